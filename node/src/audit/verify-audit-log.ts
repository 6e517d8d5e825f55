import { GENESIS_HASH, hashEntry, parseEntry } from "./audit-entry.js";
import { listSegments, readLines } from "./segment-files.js";

/**
 * Why an entry breaks the chain:
 * - `hash-mismatch`: the entry does not match its own hash, so it was altered after it was written;
 * - `prev-mismatch`: it does not link to the entry before it (one was removed, reordered, or
 *   altered and re-hashed);
 * - `seq-gap`: its number does not follow the one before (entries removed or out of order);
 * - `unparsable`: the line is not an entry (not JSON, a missing or unknown field, a bad type).
 */
export type AuditBreakReason = "hash-mismatch" | "prev-mismatch" | "seq-gap" | "unparsable";

/** Where the chain first breaks. */
export interface AuditBreak {
  /** Seq of the entry found there; for an unparsable line, the seq expected there. */
  readonly seq: number;
  /** Segment file name (`audit-000002.jsonl`). */
  readonly file: string;
  /** Line in that file, from 1. */
  readonly line: number;
  /** Why. */
  readonly reason: AuditBreakReason;
  /** The same for a person, with what was expected. */
  readonly message: string;
}

/** The result of {@link verifyAuditLog}. */
export type AuditVerifyResult =
  | {
      readonly ok: true;
      /** Entries verified. */
      readonly entries: number;
      /** Hash of the last entry (64 zeros for an empty log): note it to detect truncation later. */
      readonly lastHash: string;
      /** Segment files read. */
      readonly segments: number;
      /** True when the last file ended in a partial line, skipped: a write in flight, or a torn line the node cuts at its next start. */
      readonly partialTail: boolean;
    }
  | {
      readonly ok: false;
      /** Entries verified before the first broken one. */
      readonly entries: number;
      /** The first broken entry. */
      readonly firstBroken: AuditBreak;
    };

/**
 * Verifies an audit log from its first entry: recomputes each entry's hash, checks that each
 * links to the one before and that the numbers run 1, 2, 3 … across segment files. Streams
 * the files, so it runs in constant memory and while the node keeps appending (it verifies
 * the entries present when each file is reached). Stops at the first broken entry: after it,
 * nothing is trustworthy. It cannot tell that entries were cut from the end; compare
 * `lastHash` with a value noted earlier (or held by someone else) for that.
 *
 * @example
 * ```ts
 * const r = await verifyAuditLog("/var/lib/ipfed/audit");
 * if (!r.ok) console.log(`broken at #${r.firstBroken.seq}: ${r.firstBroken.message}`);
 * ```
 */
export async function verifyAuditLog(dir: string): Promise<AuditVerifyResult> {
  const segments = await listSegments(dir);
  let prev = GENESIS_HASH;
  let seq = 0;
  let partialTail = false;
  const broken = (file: string, line: number, at: number, reason: AuditBreakReason, message: string): AuditVerifyResult => ({
    ok: false,
    entries: seq,
    firstBroken: { seq: at, file, line, reason, message },
  });
  for (const [i, seg] of segments.entries()) {
    for await (const l of readLines(seg.path)) {
      if (!l.complete) {
        // Only the newest file may end mid-line (a write in progress); the writer never starts a new file before finishing a line.
        if (i === segments.length - 1) {
          partialTail = true;
          break;
        }
        return broken(seg.name, l.line, seq + 1, "unparsable", "unparsable line: no newline at the end of a finished segment");
      }
      const p = parseEntry(l.text);
      if (!p.ok) return broken(seg.name, l.line, seq + 1, "unparsable", `unparsable line: ${p.reason}`);
      const e = p.entry;
      // Own hash first: an altered entry is named as altered, even when what was altered is its seq or prev.
      if (hashEntry(e) !== e.hash) return broken(seg.name, l.line, e.seq, "hash-mismatch", "hash mismatch: the entry was altered after it was written");
      if (e.seq !== seq + 1) {
        return broken(seg.name, l.line, e.seq, "seq-gap", `seq gap: expected #${seq + 1}, found #${e.seq} (entries removed or out of order)`);
      }
      if (e.prev !== prev) {
        const before = seq === 0 ? "the start of the log" : `entry #${seq}`;
        return broken(seg.name, l.line, e.seq, "prev-mismatch", `prev mismatch: does not link to ${before} (an entry was removed, reordered, or altered and re-hashed)`);
      }
      prev = e.hash;
      seq = e.seq;
    }
  }
  return { ok: true, entries: seq, lastHash: prev, segments: segments.length, partialTail };
}
