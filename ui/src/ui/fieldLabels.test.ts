import { describe, expect, it } from "vitest";
import { fieldLabel } from "./fieldLabels";

describe("field labels", () => {
  it("names the schema's keys as the form does", () => {
    expect(fieldLabel("stype")).toBe("Session type");
    expect(fieldLabel("speechLink")).toBe("Video link");
    expect(fieldLabel("title")).toBe("Title");
  });

  it("shows other keys as they are, even ones named like object members", () => {
    expect(fieldLabel("sponsor")).toBe("sponsor");
    expect(fieldLabel("constructor")).toBe("constructor");
    expect(fieldLabel("toString")).toBe("toString");
  });
});
