// Every symbol exported by @ipfed/sdk and @ipfed/node has TSDoc with a summary and an `@example`
// (TypeDoc's own check, run by `pnpm run docs`, also covers members and properties). Tables and
// enums are documented as a whole, on the exported constant.
import { describe, expect, it } from "vitest";
import { listPublicApi } from "./public-api.js";

describe("public API documentation", () => {
  const api = listPublicApi();

  it("lists the exports of @ipfed/sdk and @ipfed/node", () => {
    const names = (pkg: string) => api.filter((s) => s.pkg === pkg).map((s) => s.name);
    expect(names("@ipfed/sdk")).toEqual(expect.arrayContaining(["createClient", "createMemberServer", "issueToken", "IpfedError", "DataSource"]));
    expect(names("@ipfed/node")).toEqual(expect.arrayContaining(["IpfedNode", "loadConfig", "createLogger"]));
    const createClient = api.find((s) => s.name === "createClient")!;
    expect(createClient).toMatchObject({ kind: "function", documented: true, hasExample: true });
    expect(createClient.where).toMatch(/^packages\/sdk\/src\/client\/create-client\.ts:\d+$/);
  });

  it("tells documented symbols from those without TSDoc or without an example", () => {
    const fixture = listPublicApi({ fixture: "test/docs/fixtures/partly-documented.ts" });
    expect(fixture.map(({ name, kind, documented, hasExample }) => ({ name, kind, documented, hasExample }))).toEqual([
      { name: "add", kind: "function", documented: true, hasExample: true },
      { name: "ANSWER", kind: "const", documented: true, hasExample: false },
      { name: "Undocumented", kind: "interface", documented: false, hasExample: false },
      { name: "reExported", kind: "function", documented: true, hasExample: true },
    ]);
    expect(fixture.find((s) => s.name === "Undocumented")!.where).toBe("test/docs/fixtures/partly-documented.ts:18");
  });

  it("documents every exported symbol, with an @example", () => {
    const missing = api
      .filter((s) => !s.documented || !s.hasExample)
      .map((s) => `${s.pkg} ${s.name} (${s.kind}) at ${s.where}: ${[!s.documented && "no TSDoc", !s.hasExample && "no @example"].filter(Boolean).join(", ")}`);
    expect(missing).toEqual([]);
  });
});
