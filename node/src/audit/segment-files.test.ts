import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { listSegments, readLines, readTail, segmentName } from "./segment-files.js";
import { tempDir } from "./audit.fixtures.js";

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

// Lines of varied lengths (empty, multi-byte, longer than a chunk) to catch boundary slips.
const LINES = ["a", "", "bb", "四川大学知识产权", "x".repeat(40), "c", "", "dd", "é".repeat(9), "end"];

describe("segment files", () => {
  it("names and lists segments by number", async () => {
    for (const n of [10, 2, 1000000, 1]) await writeFile(join(dir, segmentName(n)), "");
    await writeFile(join(dir, "audit-1.jsonl"), "");
    await writeFile(join(dir, "notes.txt"), "");
    expect((await listSegments(dir)).map((s) => s.name)).toEqual(["audit-000001.jsonl", "audit-000002.jsonl", "audit-000010.jsonl", "audit-1000000.jsonl"]);
    expect(await listSegments(join(dir, "missing"))).toEqual([]);
  });

  it("reads the last n lines from the end with any chunk size, and finds a partial tail", async () => {
    const file = join(dir, "f");
    for (const tail of ["", "partial-ü"]) {
      const text = LINES.map((l) => `${l}\n`).join("") + tail;
      await writeFile(file, text);
      const completeEnd = Buffer.byteLength(text) - Buffer.byteLength(tail);
      for (const chunk of [1, 2, 3, 7, 16, 1024]) {
        for (let n = 0; n <= LINES.length + 2; n++) {
          const t = await readTail(file, n, chunk);
          expect({ n, chunk, lines: t.lines.map((b) => b.toString("utf8")), completeEnd: t.completeEnd }).toEqual({
            n,
            chunk,
            lines: n === 0 ? [] : LINES.slice(-n),
            completeEnd,
          });
        }
      }
    }
    await writeFile(file, "no newline at all");
    expect(await readTail(file, 3)).toEqual({ size: 17, completeEnd: 0, lines: [] });
  });

  it("streams lines with numbers and resume offsets, with any chunk size", async () => {
    const file = join(dir, "f");
    const text = LINES.map((l) => `${l}\n`).join("") + "partial";
    await writeFile(file, text);
    for (const chunkSize of [1, 3, 8, 1 << 20]) {
      const got = [];
      for await (const l of readLines(file, { chunkSize })) got.push(l);
      expect(got.map((l) => l.text)).toEqual([...LINES, "partial"]);
      expect(got.map((l) => l.line)).toEqual(LINES.map((_, i) => i + 1).concat(LINES.length + 1));
      expect(got.at(-1)!.complete).toBe(false);
      expect(got.slice(0, -1).every((l) => l.complete)).toBe(true);
      // Resuming from a line's end offset gives the lines after it.
      const from = got[3]!;
      const rest = [];
      for await (const l of readLines(file, { start: from.end, firstLine: from.line + 1, chunkSize })) rest.push(l.text);
      expect(rest).toEqual([...LINES.slice(4), "partial"]);
    }
  });
});
