import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { IpfedError } from "@ipfed/sdk";
import { displayPath, shellQuote } from "./demo-commands.js";
import { DEMO_MEMBERS, windowOf } from "./demo-plan.js";
import { assertPortFree } from "./port-check.js";

describe("demo helpers", () => {
  it("quotes shell words only when they need it", () => {
    expect(shellQuote("127.0.0.1:7400")).toBe("127.0.0.1:7400");
    expect(shellQuote("CN-148209790-A")).toBe("CN-148209790-A");
    expect(shellQuote("ti:电池")).toBe("'ti:电池'");
    expect(shellQuote('ti:"a b"')).toBe(`'ti:"a b"'`);
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote("/tmp/my demo/x.jsonl")).toBe("'/tmp/my demo/x.jsonl'");
  });

  it("shows near paths relative to the working directory", () => {
    expect(displayPath("/src/shared/data", "/src/ipfed")).toBe("../shared/data");
    expect(displayPath("/src/ipfed/data/demo", "/src/ipfed")).toBe("data/demo");
    expect(displayPath("/tmp/x", "/home/a/b/c")).toBe("/tmp/x");
  });

  it("cuts the corpus into windows that overlap where the plan says", () => {
    const w = Object.fromEntries(DEMO_MEMBERS.flatMap((m) => m.datasets.map((d) => [d.id, windowOf(d, 2000)])));
    expect(w).toEqual({ "sc-patents": [0, 900], "gd-patents": [1200, 2000], "scu-patents": [700, 1200], "cd-collection": [1700, 2000] });
    expect(DEMO_MEMBERS.map((m) => m.kind)).toEqual(["hub", "regional", "regional", "tisc", "library"]);
  });

  it("names a busy port and the flag that sets it", async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const err = (await assertPortFree(address, "--hub-grpc").catch((e: unknown) => e)) as IpfedError;
      expect(err).toBeInstanceOf(IpfedError);
      expect(err.code).toBe("UNAVAILABLE");
      expect(err.field).toBe("--hub-grpc");
      expect(err.message).toBe(`${address} (--hub-grpc) is in use by another process; stop what holds it or choose another address with --hub-grpc`);
    } finally {
      await new Promise((r) => server.close(r));
    }
    await expect(assertPortFree(address, "--hub-grpc")).resolves.toBeUndefined();
  });
});
