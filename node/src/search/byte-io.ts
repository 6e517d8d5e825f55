/**
 * Unsigned LEB128 varints (up to 2^53), zigzag integers and length-prefixed UTF-8 strings: the
 * building blocks of the LevelDB index's values.
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Appends varints, strings and bytes to a growing buffer. */
export class ByteWriter {
  private buf: Uint8Array;
  private pos = 0;

  constructor(initialSize = 256) {
    this.buf = new Uint8Array(Math.max(16, initialSize));
  }

  /** Bytes written so far. */
  get length(): number {
    return this.pos;
  }

  /** Appends an unsigned integer below 2^53 as a varint. */
  uint(n: number): void {
    if (this.pos + 10 > this.buf.length) this.grow(10);
    const buf = this.buf;
    let pos = this.pos;
    // Bit operations only work on 32 bits; larger values (docnos) take the division path.
    while (n > 0x7fffffff) {
      buf[pos++] = (n % 128) | 0x80;
      n = Math.floor(n / 128);
    }
    while (n > 0x7f) {
      buf[pos++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    buf[pos++] = n;
    this.pos = pos;
  }

  /** Appends a signed integer as a zigzag varint. */
  int(n: number): void {
    this.uint(n >= 0 ? n * 2 : -n * 2 - 1);
  }

  /** Appends a string as its UTF-8 length and bytes. */
  string(s: string): void {
    const bytes = encoder.encode(s);
    this.uint(bytes.length);
    this.bytes(bytes);
  }

  /** Appends raw bytes. */
  bytes(bytes: Uint8Array): void {
    if (this.pos + bytes.length > this.buf.length) this.grow(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** The bytes written, as a new array of exactly their size. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }

  private grow(extra: number): void {
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.pos + extra));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }
}

/** Reads what a {@link ByteWriter} wrote, from a position. */
export class ByteReader {
  constructor(
    readonly buf: Uint8Array,
    public pos = 0,
  ) {}

  /** Tells whether every byte has been read. */
  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  /** Reads an unsigned varint. */
  uint(): number {
    const buf = this.buf;
    let b = buf[this.pos++] as number;
    if (b < 0x80) return b;
    let n = b & 0x7f;
    let shift = 7;
    for (;;) {
      b = buf[this.pos++] as number;
      if (b === undefined) throw new Error("truncated varint");
      n += shift < 28 ? (b & 0x7f) << shift : (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return n;
      shift += 7;
    }
  }

  /** Reads a zigzag varint. */
  int(): number {
    const z = this.uint();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  /** Reads a length-prefixed UTF-8 string. */
  string(): string {
    const len = this.uint();
    const s = decoder.decode(this.buf.subarray(this.pos, this.pos + len));
    this.pos += len;
    return s;
  }
}
