import { readFileSync } from "node:fs";
import { status } from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import { ERROR_CODES } from "./code.js";

const doc = readFileSync(new URL("../../../../docs/errors.md", import.meta.url), "utf8");
const rows = new Map(
  [...doc.matchAll(/^\| `([A-Z_]+)` \| `([A-Z_]+)` \| (.+) \|$/gm)].map((m) => [m[1]!, { status: m[2]!, meaning: m[3]! }]),
);

describe("docs/errors.md", () => {
  it("documents every code with the status it travels as, and nothing else", () => {
    expect([...rows.keys()].sort()).toEqual(Object.keys(ERROR_CODES).sort());
    for (const [code, s] of Object.entries(ERROR_CODES)) {
      expect(rows.get(code)?.status, code).toBe(status[s]);
      expect(rows.get(code)?.meaning.length, code).toBeGreaterThan(10);
    }
  });
});
