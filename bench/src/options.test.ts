import { describe, expect, it } from "vitest";
import { IpfedError } from "@ipfed/sdk";
import { parseBenchArgs } from "./options.js";

const KNOWN = ["ingest", "search", "tokens"];

describe("parseBenchArgs", () => {
  it("runs every scenario at 200k by default, and reads sizes written 20k or 1m", () => {
    const d = parseBenchArgs([], KNOWN);
    expect([d.scenarios, d.sizes, d.runs, d.queries, d.members]).toEqual([KNOWN, [200_000], 3, 1000, [8, 32]]);
    const o = parseBenchArgs(["search", "--size", "20k,1m", "--runs=1", "--members", "2", "--report"], KNOWN);
    expect([o.scenarios, o.sizes, o.runs, o.members, o.report, o.reportOnly]).toEqual([["search"], [20_000, 1_000_000], 1, [2], true, false]);
  });

  it("names the bad flag or scenario", () => {
    const err = (args: string[]) => {
      try {
        parseBenchArgs(args, KNOWN);
      } catch (e) {
        return e as IpfedError;
      }
      throw new Error("no error");
    };
    expect(err(["--size", "0"])).toMatchObject({ code: "INVALID_ARGUMENT", field: "--size", message: "--size needs a positive whole number, got '0'" });
    expect(err(["serch"])).toMatchObject({ code: "INVALID_ARGUMENT", message: "unknown scenario 'serch'; scenarios: ingest, search, tokens" });
    expect(err(["--fast"])).toMatchObject({ code: "INVALID_ARGUMENT", field: "--fast" });
  });
});
