import "./styles.css";
import { App } from "./app";
import { locale } from "./i18n";

document.documentElement.lang = locale();


const mount = document.getElementById("app");
if (mount) {
  const app = new App(mount);
  app.start().catch((e: unknown) => {
    mount.dataset["startError"] = e instanceof Error ? e.message : String(e);
    console.error(e);
  });
}
