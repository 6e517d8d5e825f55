import { setTimeout as sleep } from "node:timers/promises";
import { IpfedError } from "@ipfed/sdk";
import { parseEntry } from "./audit-entry.js";
import type { AuditEntry } from "./audit-entry.js";
import { listSegments, readLines, readTail } from "./segment-files.js";
import type { Segment } from "./segment-files.js";

/** Options of {@link tailAuditLog}. */
export interface TailOptions {
  /**
   * Start with the last `last` entries instead of the first entry.
   * @defaultValue every entry from the start
   */
  last?: number;
  /**
   * Keep waiting for new entries (new segment files included) until `signal` aborts.
   * @defaultValue false
   */
  follow?: boolean;
  /** Ends the iteration (normally, without an error) when aborted. */
  signal?: AbortSignal;
  /**
   * How often to look for new entries when following, in milliseconds. Polling rather than
   * `fs.watch`, which misses events on network file systems and in some containers.
   * @defaultValue 250
   */
  pollMs?: number;
}

/**
 * Reads the entries of an audit log in order, optionally only the last ones, and with
 * `follow` goes on with entries appended later, like `tail -f`. Safe while the node writes:
 * a line is only read once its newline is there. Does not verify the chain (see
 * {@link verifyAuditLog}); a line that is not an entry ends the iteration with STORE_CORRUPT.
 *
 * @example
 * ```ts
 * const ac = new AbortController();
 * for await (const e of tailAuditLog(dir, { last: 10, follow: true, signal: ac.signal })) {
 *   console.log(e.seq, e.rpc, e.status);
 * }
 * ```
 */
export async function* tailAuditLog(dir: string, options: TailOptions = {}): AsyncGenerator<AuditEntry> {
  const { follow = false, signal, pollMs = 250 } = options;
  let segments = await listSegments(dir);
  // Position: a segment number and the offset of the next unread line in it.
  let current = 0;
  let offset = 0;
  if (options.last !== undefined && segments.length > 0) {
    const picked: Array<{ seg: Segment; lines: Buffer[] }> = [];
    let need = options.last;
    for (let i = segments.length - 1; i >= 0; i--) {
      const seg = segments[i]!;
      const t = await readTail(seg.path, need);
      if (i === segments.length - 1) {
        current = seg.n;
        offset = t.completeEnd;
      }
      picked.unshift({ seg, lines: t.lines });
      need -= t.lines.length;
      if (need <= 0) break;
    }
    for (const { seg, lines } of picked) for (const line of lines) yield entryOf(line.toString("utf8"), seg, "near the end");
  } else {
    current = segments[0]?.n ?? 0;
  }
  for (;;) {
    if (signal?.aborted) return;
    const seg = segments.find((s) => s.n === current);
    if (seg) {
      for await (const l of readLines(seg.path, { start: offset })) {
        if (!l.complete) break;
        yield entryOf(l.text, seg, `line ${l.line}`);
        offset = l.end;
        if (signal?.aborted) return;
      }
    }
    const next = segments.find((s) => s.n > current);
    if (next) {
      current = next.n;
      offset = 0;
      continue;
    }
    // At the end of the newest file known. A newer file means this one is finished, but it
    // may have got its last lines after the read above: read it once more before moving on.
    segments = await listSegments(dir);
    if (current === 0 && segments[0]) {
      current = segments[0].n; // the log was empty when the tail started
      continue;
    }
    if (segments.some((s) => s.n > current)) continue;
    if (!follow) return;
    try {
      await sleep(pollMs, undefined, { signal });
    } catch {
      return; // aborted
    }
  }
}

function entryOf(text: string, seg: Segment, where: string): AuditEntry {
  const p = parseEntry(text);
  if (!p.ok) throw new IpfedError("STORE_CORRUPT", `${seg.path} ${where}: not an audit entry (${p.reason}); run \`ipfed audit verify\``, { metadata: { file: seg.path } });
  return p.entry;
}
