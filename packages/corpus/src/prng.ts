// Seeded randomness for the corpus: a 32-bit hash to derive independent streams, the sfc32
// generator, weighted and Zipf tables, and a keyed permutation (Feistel network) of the record
// indices. Everything here is pure integer arithmetic, so results are the same on every platform
// and every Node version.

/**
 * Finalises a 32-bit value (the murmur3 `fmix32` avalanche): every input bit affects every
 * output bit.
 *
 * @example
 * ```ts
 * mix32(1) !== mix32(2); // true
 * ```
 */
export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Hashes a list of 32-bit words to one unsigned 32-bit value. Order matters: `(1, 2)` and
 * `(2, 1)` hash differently.
 *
 * @example
 * ```ts
 * const streamSeed = hashWords(seed, index, 3);
 * ```
 */
export function hashWords(...words: readonly number[]): number {
  let h = 0x9e3779b9;
  for (const w of words) {
    h = mix32((h ^ (w >>> 0)) + 0x7f4a7c15);
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
  }
  return mix32(h);
}

/**
 * Splits a seed (any safe integer, negative too) into two 32-bit words, so that seeds beyond
 * 2^32 still give different streams.
 */
export function seedWords(seed: number): readonly [number, number] {
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 4294967296) >>> 0;
  return [lo, hi];
}

/**
 * A small, fast pseudo-random generator (Chris Doty-Humphrey's sfc32: 128-bit state, period
 * at least 2^32, passes PractRand). Create one per stream with {@link Rng.of}; the same words
 * always give the same sequence.
 *
 * @example
 * ```ts
 * const rng = Rng.of(1, 42, 0);
 * rng.int(6); // 0..5, the same every run
 * ```
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** Seeds the state directly; prefer {@link Rng.of}, which hashes its words first. */
  constructor(a: number, b: number, c: number, d: number) {
    this.a = a | 0;
    this.b = b | 0;
    this.c = c | 0;
    this.d = d | 0;
    for (let i = 0; i < 6; i++) this.uint32();
  }

  /**
   * A generator for one stream, named by any number of 32-bit words (seed words, a record
   * index, a stream number...). Different word lists give unrelated sequences.
   */
  static of(...words: readonly number[]): Rng {
    const h = hashWords(...words);
    return new Rng(h, mix32(h ^ 0x6a09e667), mix32(h ^ 0xbb67ae85), mix32(h ^ 0x3c6ef372));
  }

  /** The next unsigned 32-bit value. */
  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1) with 32 bits of randomness. */
  float(): number {
    return this.uint32() / 4294967296;
  }

  /** An integer in [0, n); `n` is a positive integer below 2^32. */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** An integer in [lo, hi], both ends included. */
  range(lo: number, hi: number): number {
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  /** One element of a non-empty array, uniformly. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)] as T;
  }

  /** One element of a weighted table, in proportion to its weight. */
  weighted<T>(table: WeightedTable<T>): T {
    return table.items[table.indexOf(this.float())] as T;
  }

  /**
   * `count` distinct elements of a weighted table (fewer if the table is smaller), the first
   * drawn first. Draws with rejection, so heavy items tend to come first, as in real lists.
   */
  distinct<T>(table: WeightedTable<T>, count: number): T[] {
    const n = Math.min(count, table.items.length);
    const out: T[] = [];
    let guard = 0;
    while (out.length < n && guard < n * 12) {
      guard++;
      const item = table.items[table.indexOf(this.float())] as T;
      if (!out.includes(item)) out.push(item);
    }
    return out;
  }
}

/**
 * Items with weights, drawn by binary search over the cumulative weights. Build it once (at
 * module load) and draw from it as often as needed.
 */
export class WeightedTable<T> {
  /** The items, in the order given. */
  readonly items: readonly T[];
  private readonly cdf: Float64Array;

  /** Builds a table from items and their non-negative weights (same length, total > 0). */
  constructor(items: readonly T[], weights: readonly number[]) {
    if (items.length === 0 || items.length !== weights.length) {
      throw new RangeError("a weighted table needs as many weights as items, and at least one item");
    }
    this.items = items;
    this.cdf = new Float64Array(items.length);
    let total = 0;
    for (let i = 0; i < weights.length; i++) {
      total += weights[i] as number;
      this.cdf[i] = total;
    }
    if (!(total > 0)) throw new RangeError("a weighted table needs a positive total weight");
    for (let i = 0; i < this.cdf.length; i++) this.cdf[i] = (this.cdf[i] as number) / total;
  }

  /** The index selected by a uniform float `u` in [0, 1). */
  indexOf(u: number): number {
    let lo = 0;
    let hi = this.cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (u < (this.cdf[mid] as number)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

/**
 * A Zipf table over items listed from most to least common: item `r` (from 0) has weight
 * `1 / (r + 1)^exponent`. With the default exponent 1 the first of twelve items is drawn about
 * 32% of the time and the last about 3%.
 *
 * @example
 * ```ts
 * const words = zipf(["电池", "电极", "隔膜"]);
 * rng.weighted(words);
 * ```
 */
export function zipf<T>(items: readonly T[], exponent = 1): WeightedTable<T> {
  return new WeightedTable(
    items,
    items.map((_, r) => 1 / Math.pow(r + 1, exponent)),
  );
}

/**
 * A rank in [0, n) with probability close to `1 / (rank + 1)` (log-uniform), in constant time.
 * Used where a table would be large: applicant pools of thousands.
 */
export function zipfRank(rng: Rng, n: number): number {
  const r = Math.floor(Math.exp(rng.float() * Math.log(n + 1))) - 1;
  return r < 0 ? 0 : r >= n ? n - 1 : r;
}

const FEISTEL_ROUNDS = 4;

/**
 * A keyed bijection of [0, domain) onto itself (domain at most 2^28): a four-round Feistel
 * network on the smallest even number of bits that covers the domain, with cycle walking (so at
 * most about four rounds of walking per input). Consecutive inputs map to scattered outputs, and
 * no two inputs share an output; that is what makes corpus ids unique without remembering them.
 *
 * @example
 * ```ts
 * const p = new Permutation(100_000_000, 7, 0);
 * p.apply(0) !== p.apply(1); // always
 * ```
 */
export class Permutation {
  /** Size of the permuted range. */
  readonly domain: number;
  private readonly keys: Uint32Array;

  /** A permutation of [0, domain) keyed by any number of 32-bit words. */
  private readonly halfBits: number;
  private readonly halfMask: number;

  constructor(domain: number, ...keyWords: readonly number[]) {
    if (!Number.isInteger(domain) || domain < 1 || domain > 2 ** 28) {
      throw new RangeError(`permutation domain must be an integer in 1..2^28, got ${domain}`);
    }
    this.domain = domain;
    this.halfBits = Math.max(1, Math.ceil(Math.ceil(Math.log2(domain)) / 2));
    this.halfMask = (1 << this.halfBits) - 1;
    this.keys = new Uint32Array(FEISTEL_ROUNDS);
    for (let r = 0; r < FEISTEL_ROUNDS; r++) this.keys[r] = hashWords(...keyWords, 0xfe1, r);
  }

  /** The image of `x`, an integer in [0, domain). */
  apply(x: number): number {
    let y = this.network(x);
    while (y >= this.domain) y = this.network(y);
    return y;
  }

  private network(x: number): number {
    const bits = this.halfBits;
    const mask = this.halfMask;
    let left = x >>> bits;
    let right = x & mask;
    for (let r = 0; r < FEISTEL_ROUNDS; r++) {
      const f = mix32((right ^ (this.keys[r] as number)) + Math.imul(right, 0x9e3779b1)) & mask;
      const next = left ^ f;
      left = right;
      right = next;
    }
    return ((left << bits) | right) >>> 0;
  }
}
