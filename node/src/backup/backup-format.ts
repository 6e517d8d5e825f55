import { createHash } from "node:crypto";
import type { Hash } from "node:crypto";
import { IpfedError } from "@ipfed/sdk";

/**
 * The backup file: a gzip stream of frames after an 8-byte magic. Each frame is a type byte,
 * then two length-prefixed byte strings (u32, big-endian): a header (JSON), the node's files
 * (relative path, contents), the store's key/value pairs in key order, and an end frame whose
 * JSON carries the counts and the SHA-256 of every byte before it. A reader knows a backup is
 * whole only when the end frame's digest matches: a truncated or altered file is refused
 * before anything is written.
 */
export const BACKUP_MAGIC = Buffer.from("IPFEDBK\x01", "latin1");

/** Frame types of a backup file. */
export const FrameType = {
  header: 0x48, // "H"
  file: 0x46, // "F"
  entry: 0x4b, // "K"
  end: 0x45, // "E"
} as const;

/** What the header frame says about the backup. */
export interface BackupHeader {
  /** Format version; 1. */
  readonly format: 1;
  /** The member whose node was backed up. */
  readonly memberId: string;
  /** Its kind (`regional`, `hub`…). */
  readonly kind: string;
  /** When the snapshot was taken (ISO 8601). */
  readonly created: string;
  /** `serving`: taken by the running node; `stopped`: taken from a stopped node's store. */
  readonly taken: "serving" | "stopped";
}

/** What the end frame says: the counts and the digest of everything before it. */
export interface BackupTrailer {
  readonly entries: number;
  readonly files: number;
  readonly sha256: string;
}

/** One frame as read back. */
export type BackupFrame =
  | { readonly type: "header"; readonly header: BackupHeader }
  | { readonly type: "file"; readonly path: string; readonly data: Buffer }
  | { readonly type: "entry"; readonly key: Buffer; readonly value: Buffer }
  | { readonly type: "end"; readonly trailer: BackupTrailer };

/**
 * Encodes frames and keeps the running digest. Feed its chunks to a gzip stream.
 *
 * @example
 * ```ts
 * const enc = new FrameEncoder();
 * const chunks = [enc.magic(), enc.frame(FrameType.entry, key, value), enc.end(1, 0)];
 * ```
 */
export class FrameEncoder {
  readonly #hash: Hash = createHash("sha256");

  /** The magic bytes that open the file. */
  magic(): Buffer {
    this.#hash.update(BACKUP_MAGIC);
    return BACKUP_MAGIC;
  }

  /** One frame. */
  frame(type: number, a: Uint8Array, b: Uint8Array): Buffer {
    const head = Buffer.allocUnsafe(5);
    head[0] = type;
    head.writeUInt32BE(a.length, 1);
    const mid = Buffer.allocUnsafe(4);
    mid.writeUInt32BE(b.length, 0);
    const out = Buffer.concat([head, a, mid, b]);
    this.#hash.update(out);
    return out;
  }

  /** The end frame, carrying the digest of every byte encoded so far. */
  end(entries: number, files: number): Buffer {
    const trailer: BackupTrailer = { entries, files, sha256: this.#hash.copy().digest("hex") };
    return this.frame(FrameType.end, Buffer.from("end"), Buffer.from(JSON.stringify(trailer)));
  }
}

/**
 * Decodes the (already gunzipped) bytes of a backup, frame by frame, checking the magic, every
 * length, and the end frame's digest.
 *
 * @throws IpfedError `BACKUP_INVALID` naming the byte offset of what is wrong.
 * @example
 * ```ts
 * for await (const frame of decodeFrames(createReadStream(file).pipe(createGunzip()), file)) {
 *   if (frame.type === "entry") count++;
 * }
 * ```
 */
export async function* decodeFrames(source: AsyncIterable<Buffer>, name: string): AsyncGenerator<BackupFrame> {
  const hash = createHash("sha256");
  let buf: Buffer = Buffer.alloc(0);
  let offset = 0; // offset in the uncompressed stream of buf[0]
  let magicSeen = false;
  let ended = false;
  let headerSeen = false;
  const bad = (at: number, what: string): IpfedError => new IpfedError("BACKUP_INVALID", `${name}: ${what} at byte ${at} of the uncompressed backup`);
  const take = (n: number): Buffer => {
    const out = buf.subarray(0, n);
    buf = buf.subarray(n);
    offset += n;
    return out;
  };
  for await (const chunk of source) {
    buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
    for (;;) {
      if (!magicSeen) {
        if (buf.length < BACKUP_MAGIC.length) break;
        const m = take(BACKUP_MAGIC.length);
        if (!m.equals(BACKUP_MAGIC)) throw bad(0, "not an ipfed backup (wrong magic bytes)");
        hash.update(m);
        magicSeen = true;
        continue;
      }
      if (ended) {
        if (buf.length > 0) throw bad(offset, "data after the end frame");
        break;
      }
      if (buf.length < 5) break;
      const type = buf[0]!;
      const aLen = buf.readUInt32BE(1);
      if (buf.length < 5 + aLen + 4) break;
      const bLen = buf.readUInt32BE(5 + aLen);
      const total = 9 + aLen + bLen;
      if (buf.length < total) break;
      const at = offset;
      const raw = take(total);
      const a = raw.subarray(5, 5 + aLen);
      const b = raw.subarray(9 + aLen);
      if (type === FrameType.end) {
        let trailer: BackupTrailer;
        try {
          trailer = JSON.parse(b.toString("utf8")) as BackupTrailer;
        } catch {
          throw bad(at, "an unreadable end frame");
        }
        const digest = hash.digest("hex");
        if (trailer.sha256 !== digest) throw bad(at, `a digest mismatch (the file says ${trailer.sha256.slice(0, 12)}…, its bytes give ${digest.slice(0, 12)}…): the backup was altered or damaged`);
        ended = true;
        yield { type: "end", trailer };
        continue;
      }
      hash.update(raw);
      if (type === FrameType.header) {
        try {
          const header = JSON.parse(b.toString("utf8")) as BackupHeader;
          if (header.format !== 1) throw bad(at, `an unsupported format ${String(header.format)}`);
          headerSeen = true;
          yield { type: "header", header };
        } catch (err) {
          if (err instanceof IpfedError) throw err;
          throw bad(at, "an unreadable header");
        }
      } else if (!headerSeen) {
        throw bad(at, "a frame before the header");
      } else if (type === FrameType.file) {
        const path = a.toString("utf8");
        if (path === "" || path.startsWith("/") || path.split(/[\\/]/).includes("..")) throw bad(at, `an unsafe file path ${JSON.stringify(path)}`);
        yield { type: "file", path, data: Buffer.from(b) };
      } else if (type === FrameType.entry) {
        yield { type: "entry", key: Buffer.from(a), value: Buffer.from(b) };
      } else {
        throw bad(at, `an unknown frame type 0x${type.toString(16)}`);
      }
    }
  }
  if (!magicSeen) throw bad(offset, "not an ipfed backup (too short)");
  if (!ended) throw bad(offset + buf.length, "a truncated backup (no end frame)");
}
