import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Record } from "@ipfed/proto";
import { afterAll, describe, expect, it } from "vitest";
import { CliUsageError, parseCliArgs } from "./cli.js";
import { corpusRecordAt } from "./index.js";

const cli = fileURLToPath(new URL("./cli.ts", import.meta.url));
const root = fileURLToPath(new URL("../../../", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "ipfed-corpus-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(...args: string[]) {
  return spawnSync(process.execPath, ["--import", "tsx", cli, ...args], { cwd: root, encoding: "utf8", maxBuffer: 64 << 20 });
}

describe("corpus CLI", () => {
  it("writes N lines of canonical JSON to a file", () => {
    const out = join(dir, "corpus.jsonl");
    const result = run("--size", "250", "--seed", "3", "--out", out, "--dataset", "ds-1", "--member", "m-1");
    expect(result.stderr).toMatch(/wrote 250 records/);
    expect(result.status).toBe(0);
    const lines = readFileSync(out, "utf8").split("\n");
    expect(lines.pop()).toBe("");
    expect(lines).toHaveLength(250);
    const first = Record.fromJSON(JSON.parse(lines[0] as string));
    const expected = corpusRecordAt(0, { seed: 3, datasetId: "ds-1", memberId: "m-1" });
    expect(first).toStrictEqual(expected);
    expect(lines[0]).toBe(JSON.stringify(Record.toJSON(expected)));
    for (const line of lines) expect(Record.fromJSON(JSON.parse(line)).datasetId).toBe("ds-1");
  });

  it("writes to standard output with --out -, from --start", () => {
    const result = run("--size", "20", "--start", "100", "--out", "-");
    expect(result.status).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(20);
    expect(JSON.parse(lines[0] as string).id).toBe(corpusRecordAt(100).id);
  });

  it("explains bad arguments and exits with status 2", () => {
    for (const args of [["--size", "abc"], [], ["--size", "5", "--bogus"], ["--size", "5", "--trademark-share", "3"], ["--size", "5", "extra"]]) {
      const result = run(...args);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/^ipfed-corpus: .+\n/);
      expect(result.stderr).toMatch(/Usage:/);
    }
  });
});

describe("parseCliArgs", () => {
  it("reads options and defaults", () => {
    expect(parseCliArgs(["--size", "10"])).toEqual({
      size: 10,
      seed: 1,
      out: "-",
      startIndex: 0,
      datasetId: undefined,
      memberId: undefined,
      trademarkShare: undefined,
    });
    expect(parseCliArgs(["--size", "0", "--seed=-4", "--trademark-share", "0.25"])).toMatchObject({ size: 0, seed: -4, trademarkShare: 0.25 });
    expect(parseCliArgs(["-h"])).toBe("help");
  });

  it("names the bad option", () => {
    expect(() => parseCliArgs(["--size", "-3"])).toThrow(CliUsageError);
    expect(() => parseCliArgs(["--size", "3", "--seed", "1.5"])).toThrow(/--seed must be an integer/);
    expect(() => parseCliArgs(["--seed", "3"])).toThrow(/--size is required/);
    expect(() => parseCliArgs(["--size", "3", "--start", "x"])).toThrow(/--start/);
    expect(() => parseCliArgs(["--size", "3", "--dataset", ""])).toThrow(/--dataset/);
  });
});
