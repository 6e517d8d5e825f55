import { describe, expect, it } from "vitest";
import { ByteReader, ByteWriter, decodePositions, decodePostings, encodePostings, encodePostingsRun, POSITION_BLOCK, positionsOf } from "./postings-codec.js";

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
});
