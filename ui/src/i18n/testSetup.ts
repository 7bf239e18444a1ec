// Unit tests read English unless a test switches: the machine's language must not change what they see.
import { setLocale } from "./index";

setLocale("en", false);
