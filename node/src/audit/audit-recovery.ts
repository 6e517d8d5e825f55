import { open } from "node:fs/promises";
import { IpfedError } from "@ipfed/sdk";
import { GENESIS_HASH, hashEntry, parseEntry } from "./audit-entry.js";
import { listSegments, readTail } from "./segment-files.js";
import type { Segment } from "./segment-files.js";

/** What opening an audit log cut from the end of its last segment after a crash. */
export interface AuditRecovery {
  /** Segment file name. */
  readonly file: string;
  /** Size of the file after the cut. */
  readonly offset: number;
  /** Bytes removed. */
  readonly bytes: number;
  /** Lines removed: a partial line, and the last complete line when it was not JSON. */
  readonly lines: number;
}

/** Where a chain stands: the last entry's seq and hash (0 and 64 zeros when empty). */
export interface ChainHead {
  readonly seq: number;
  readonly hash: string;
}

/** What {@link recoverAuditLog} found. */
export interface RecoveredLog {
  /** The newest segment, where appends continue; undefined when there is none yet. */
  readonly last: Segment | undefined;
  /** The last entry. */
  readonly head: ChainHead;
  /** What was cut, if anything. */
  readonly recovery: AuditRecovery | undefined;
}

/**
 * Makes an audit folder ready for appending after whatever stopped the last writer: cuts a
 * torn tail from the newest segment and finds the last entry, reading only the ends of
 * files. Throws STORE_CORRUPT when that entry is unreadable or does not match its own hash,
 * since appending to a damaged chain would hide the damage behind fresh entries.
 *
 * @example
 * ```ts
 * const { head, recovery } = await recoverAuditLog(dir);
 * ```
 */
export async function recoverAuditLog(dir: string): Promise<RecoveredLog> {
  const segments = await listSegments(dir);
  const last = segments.at(-1);
  const recovery = last ? await repairTail(last) : undefined;
  // The newest segment may be empty (a crash right after a rollover): look further back.
  for (let i = segments.length - 1; i >= 0; i--) {
    const seg = segments[i]!;
    const line = (await readTail(seg.path, 1)).lines[0];
    if (line !== undefined) return { last, head: checkHead(line.toString("utf8"), seg), recovery };
  }
  return { last, head: { seq: 0, hash: GENESIS_HASH }, recovery };
}

/** Cuts a partial last line, and a last complete line that is not JSON (bytes a crash left). */
async function repairTail(seg: Segment): Promise<AuditRecovery | undefined> {
  const tail = await readTail(seg.path, 1);
  let cut = tail.completeEnd;
  let lines = cut < tail.size ? 1 : 0;
  const last = tail.lines[0];
  if (last !== undefined && !isJson(last.toString("utf8"))) {
    cut -= last.length + 1;
    lines++;
  }
  if (cut === tail.size) return undefined;
  const fh = await open(seg.path, "r+");
  try {
    await fh.truncate(cut);
    await fh.sync();
  } finally {
    await fh.close();
  }
  return { file: seg.name, offset: cut, bytes: tail.size - cut, lines };
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function checkHead(text: string, seg: Segment): ChainHead {
  const p = parseEntry(text);
  const fix = "run `ipfed audit verify` to find the first damaged entry";
  if (!p.ok) throw new IpfedError("STORE_CORRUPT", `the last entry of ${seg.path} is unreadable (${p.reason}); ${fix}`, { metadata: { file: seg.path } });
  if (hashEntry(p.entry) !== p.entry.hash) {
    throw new IpfedError("STORE_CORRUPT", `the last entry of ${seg.path} (#${p.entry.seq}) does not match its hash; ${fix}`, { metadata: { file: seg.path } });
  }
  return { seq: p.entry.seq, hash: p.entry.hash };
}
