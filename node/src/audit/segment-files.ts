import { open, readdir } from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import { join } from "node:path";

/** Folder of the audit log inside a node's data directory. */
export const AUDIT_DIR = "audit";

/** One segment file of the audit log. */
export interface Segment {
  /** Segment number, from 1. */
  readonly n: number;
  /** File name, `audit-000001.jsonl`. */
  readonly name: string;
  /** Full path. */
  readonly path: string;
}

const SEGMENT_RE = /^audit-(\d{6,})\.jsonl$/;
const NEWLINE = 0x0a;

/**
 * The file name of segment `n`: six digits at least, so that names sort by number in a
 * directory listing (the code itself sorts by number, so the millionth segment still works).
 *
 * @example
 * ```ts
 * segmentName(3); // "audit-000003.jsonl"
 * ```
 */
export function segmentName(n: number): string {
  return `audit-${String(n).padStart(6, "0")}.jsonl`;
}

/**
 * Lists the segment files of an audit folder, oldest first; none when the folder is missing.
 *
 * @example
 * ```ts
 * const last = (await listSegments(dir)).at(-1);
 * ```
 */
export async function listSegments(dir: string): Promise<Segment[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw err;
  }
  const out: Segment[] = [];
  for (const name of names) {
    const m = SEGMENT_RE.exec(name);
    if (m) out.push({ n: Number(m[1]), name, path: join(dir, name) });
  }
  return out.sort((a, b) => a.n - b.n);
}

/** Reads exactly `buf.length` bytes at `position` (a short read only happens at end of file). */
async function readAt(fh: FileHandle, buf: Buffer, position: number): Promise<number> {
  let got = 0;
  while (got < buf.length) {
    const { bytesRead } = await fh.read(buf, got, buf.length - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got;
}

/** The end of a file as {@link readTail} finds it. */
export interface TailRead {
  /** File size when read. */
  readonly size: number;
  /** Offset just after the last newline: everything past it is a partial line. */
  readonly completeEnd: number;
  /** The last complete lines (at most the number asked for), without their newlines. */
  readonly lines: Buffer[];
}

/**
 * Reads the last `maxLines` complete lines of a file, walking backwards from its end in
 * chunks, so that the cost depends on the lines wanted and not on the file's size (opening a
 * 64 MiB segment reads a few kilobytes).
 *
 * @example
 * ```ts
 * const { lines, completeEnd, size } = await readTail(path, 1);
 * if (completeEnd < size) console.log("torn last line");
 * ```
 */
export async function readTail(path: string, maxLines: number, chunkSize = 64 * 1024): Promise<TailRead> {
  const fh = await open(path, "r");
  try {
    const size = (await fh.stat()).size;
    const chunks: Buffer[] = [];
    let pos = size;
    let completeEnd = -1;
    let newlines = 0;
    // One newline more than the lines wanted marks where the earliest wanted line starts.
    while (pos > 0 && newlines < maxLines + 1) {
      const len = Math.min(chunkSize, pos);
      pos -= len;
      const chunk = Buffer.allocUnsafe(len);
      await readAt(fh, chunk, pos);
      chunks.unshift(chunk);
      for (let k = len - 1; k >= 0 && newlines < maxLines + 1; k--) {
        if (chunk[k] !== NEWLINE) continue;
        if (completeEnd < 0) completeEnd = pos + k + 1;
        newlines++;
      }
    }
    if (completeEnd < 0) return { size, completeEnd: 0, lines: [] };
    const region = Buffer.concat(chunks).subarray(0, completeEnd - pos);
    const parts: Buffer[] = [];
    let end = region.length - 1; // the newline that closes the last line
    while (parts.length < maxLines && end >= 0) {
      // lastIndexOf reads a negative offset as counted from the end, hence the guard.
      const start = end === 0 ? 0 : region.lastIndexOf(NEWLINE, end - 1) + 1;
      if (start === 0 && pos > 0) break; // that line starts before what was read: not wanted
      parts.unshift(region.subarray(start, end));
      end = start - 1;
    }
    return { size, completeEnd, lines: parts };
  } finally {
    await fh.close();
  }
}

/** One line of a file as {@link readLines} yields it. */
export interface FileLine {
  /** The line, UTF-8 decoded, without its newline. */
  readonly text: string;
  /** Line number in the file, from 1 (counting from `firstLine` when reading from an offset). */
  readonly line: number;
  /** Offset of the byte after the line's newline: where reading resumes. */
  readonly end: number;
  /** False for a last line without a newline: being written, or torn by a crash. */
  readonly complete: boolean;
}

/** Options of {@link readLines}. */
export interface ReadLinesOptions {
  /**
   * Offset to start at; must be the start of a line.
   * @defaultValue 0
   */
  start?: number;
  /**
   * Number given to the first line read.
   * @defaultValue 1
   */
  firstLine?: number;
  /**
   * Bytes read at a time.
   * @defaultValue 1 MiB
   */
  chunkSize?: number;
}

/**
 * Streams the lines of a file up to its current end, in constant memory (one chunk plus the
 * longest line). A last line without a newline comes out with `complete: false`.
 *
 * @example
 * ```ts
 * for await (const l of readLines(path)) if (l.complete) console.log(l.line, l.text);
 * ```
 */
export async function* readLines(path: string, options: ReadLinesOptions = {}): AsyncGenerator<FileLine> {
  const chunkSize = options.chunkSize ?? 1024 * 1024;
  let line = options.firstLine ?? 1;
  let pos = options.start ?? 0;
  let carry: Buffer = Buffer.alloc(0);
  const fh = await open(path, "r");
  try {
    for (;;) {
      const chunk = Buffer.allocUnsafe(chunkSize);
      const got = await readAt(fh, chunk, pos);
      if (got === 0) break;
      const buf = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, got)]) : chunk.subarray(0, got);
      const base = pos - carry.length;
      pos += got;
      let start = 0;
      for (let nl = buf.indexOf(NEWLINE); nl >= 0; nl = buf.indexOf(NEWLINE, start)) {
        yield { text: buf.toString("utf8", start, nl), line: line++, end: base + nl + 1, complete: true };
        start = nl + 1;
      }
      // Copy, so the next chunk's buffer does not keep a slice of this one alive.
      carry = Buffer.from(buf.subarray(start));
    }
    if (carry.length > 0) yield { text: carry.toString("utf8"), line, end: pos, complete: false };
  } finally {
    await fh.close();
  }
}

/**
 * Flushes a directory entry to disk, so that a new segment file survives a power cut. Some
 * platforms (Windows) cannot open a directory; there the file's own sync is all there is.
 */
export async function syncDir(dir: string): Promise<void> {
  let fh: FileHandle | undefined;
  try {
    fh = await open(dir, "r");
    await fh.sync();
  } catch {
    // Best effort by design: see above.
  } finally {
    await fh?.close().catch(() => undefined);
  }
}
