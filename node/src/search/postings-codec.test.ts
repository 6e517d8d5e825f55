import { describe, expect, it } from "vitest";
import { ByteReader, ByteWriter } from "./byte-io.js";
import {
  decodePositions,
  decodePostings,
  encodePostings,
  encodePostingsRun,
  indexPositions,
  mergePostings,
  POSITION_BLOCK,
  positionsOf,
} from "./postings-codec.js";

describe("postings codec", () => {
  it("round-trips varints up to 2^53 and zigzag integers", () => {
    const values = [0, 1, 127, 128, 300, 2 ** 21, 2 ** 28 - 1, 2 ** 28, 2 ** 31 + 5, 2 ** 40 + 3, Number.MAX_SAFE_INTEGER];
    const w = new ByteWriter(4);
    for (const v of values) w.uint(v);
    for (const v of [-5, 0, 7, -(2 ** 40)]) w.int(v);
    w.string("石墨烯 ok");
    const r = new ByteReader(w.finish());
    expect(values.map(() => r.uint())).toEqual(values);
    expect([r.int(), r.int(), r.int(), r.int()]).toEqual([-5, 0, 7, -(2 ** 40)]);
    expect(r.string()).toBe("石墨烯 ok");
    expect(r.done).toBe(true);
  });

  it("round-trips postings with positions and reads one document's positions through the skips", () => {
    const n = 3 * POSITION_BLOCK + 17;
    const ords: number[] = [];
    const tfs: number[] = [];
    const positions: number[] = [];
    let o = 0;
    for (let i = 0; i < n; i++) {
      o += 1 + (i % 7);
      ords.push(o);
      const tf = 1 + ((i * 13) % 9);
      tfs.push(tf);
      let p = i % 3;
      for (let j = 0; j < tf; j++) positions.push((p += 1 + ((i + j) % 200)));
    }
    const p = decodePostings(encodePostings(ords, tfs, positions));
    expect([...p.ords]).toEqual(ords);
    expect([...(p.tfs as Int32Array)]).toEqual(tfs);
    const all = decodePositions(p);
    expect([...all.pos]).toEqual(positions);
    const out = new Int32Array(16);
    for (const i of [0, 1, POSITION_BLOCK - 1, POSITION_BLOCK, 2 * POSITION_BLOCK + 5, n - 1]) {
      const tf = positionsOf(p, i, out);
      expect([...out.subarray(0, tf)]).toEqual([...all.pos.subarray(all.starts[i], all.starts[i + 1])]);
    }
  });

  it("encodes a run of (ordinal, position) entries as the same postings", () => {
    // Entries of ordinals 2 (positions 4, 9) and 5 (position 1), given through an order array.
    const ords = Int32Array.from([5, 2, 2]);
    const pos = Int32Array.from([1, 4, 9]);
    const order = Int32Array.from([1, 2, 0]);
    expect(encodePostingsRun(order, 0, 3, ords, pos)).toEqual(encodePostings([2, 5], [2, 1], [4, 9, 1]));
    expect(encodePostingsRun(order, 0, 3, ords, null)).toEqual(encodePostings([2, 5], null, null));
    const k = decodePostings(encodePostings([3, 8], null, null));
    expect([...k.ords]).toEqual([3, 8]);
    expect(k.tfs).toBeNull();
  });

  it("merges postings of several segments, renumbered, dropping removed documents", () => {
    const a = { ords: Array.from({ length: 150 }, (_, i) => i * 2), tfs: Array.from({ length: 150 }, (_, i) => 1 + (i % 3)) };
    const b = { ords: [0, 3, 4], tfs: [2, 1, 1] };
    const posOf = (o: number, tf: number, salt: number): number[] => Array.from({ length: tf }, (_, j) => o * 3 + j * 200 + salt);
    const enc = (l: { ords: number[]; tfs: number[] }, salt: number) => encodePostings(l.ords, l.tfs, l.ords.flatMap((o, i) => posOf(o, l.tfs[i] as number, salt)));
    // Segment a: 300 docs, every third one removed; b: 5 docs after them, doc 3 removed.
    const remapA = new Int32Array(300).fill(-1);
    let next = 0;
    for (let o = 0; o < 300; o++) if (o % 3 !== 0) remapA[o] = next++;
    const remapB = Int32Array.from([next, next + 1, next + 2, -1, next + 3]);
    const merged = mergePostings([
      { bytes: enc(a, 1), remap: remapA },
      { bytes: enc(b, 7), remap: remapB },
    ]);
    const want = { ords: [] as number[], tfs: [] as number[], pos: [] as number[] };
    a.ords.forEach((o, i) => {
      if ((remapA[o] as number) < 0) return;
      want.ords.push(remapA[o] as number);
      want.tfs.push(a.tfs[i] as number);
      want.pos.push(...posOf(o, a.tfs[i] as number, 1));
    });
    b.ords.forEach((o, i) => {
      if ((remapB[o] as number) < 0) return;
      want.ords.push(remapB[o] as number);
      want.tfs.push(b.tfs[i] as number);
      want.pos.push(...posOf(o, b.tfs[i] as number, 7));
    });
    expect(merged).toEqual(encodePostings(want.ords, want.tfs, want.pos));
    const m = decodePostings(merged as Uint8Array);
    indexPositions(m);
    const out = new Int32Array(8);
    const last = m.ords.length - 1;
    expect([...out.subarray(0, positionsOf(m, last, out))]).toEqual(posOf(4, 1, 7));
    expect(mergePostings([{ bytes: enc(b, 0), remap: new Int32Array(5).fill(-1) }])).toBeUndefined();
    expect(mergePostings([{ bytes: encodePostings([1, 2], null, null), remap: Int32Array.from([-1, 0, 1]) }])).toEqual(encodePostings([0, 1], null, null));
    // Without removals, each part's positions are copied in one run.
    const whole = mergePostings([
      { bytes: enc(a, 1), remap: Int32Array.from({ length: 300 }, (_, i) => i) },
      { bytes: enc(b, 7), remap: Int32Array.from({ length: 5 }, (_, i) => 300 + i) },
    ]);
    expect(whole).toEqual(encodePostings([...a.ords, ...b.ords.map((o) => 300 + o)], [...a.tfs, ...b.tfs], [...a.ords.flatMap((o, i) => posOf(o, a.tfs[i] as number, 1)), ...b.ords.flatMap((o, i) => posOf(o, b.tfs[i] as number, 7))]));
  });
});
