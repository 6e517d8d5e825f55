import { createHash } from "node:crypto";
import type { AuditEvent } from "@ipfed/sdk";

/**
 * One line of the audit log: the audited event, its place in the chain (`seq`, `prev`) and
 * its own `hash`.
 */
export interface AuditEntry extends AuditEvent {
  /** Position in the log: 1, 2, 3 … without gaps, across segment files. */
  readonly seq: number;
  /** `hash` of the entry before; {@link GENESIS_HASH} for entry 1. */
  readonly prev: string;
  /** SHA-256 (lower-case hex) of the entry's canonical form, see {@link canonicalEntry}. */
  readonly hash: string;
}

/** The `prev` of the first entry: 64 zeros. */
export const GENESIS_HASH = "0".repeat(64);

/**
 * The keys of an entry in canonical order, `hash` excluded. The order is part of the format:
 * a verifier written in another language needs it to rebuild the hashed bytes, so it is fixed
 * here once and never changes within format version 1.
 */
export const ENTRY_FIELDS = [
  "seq",
  "prev",
  "time",
  "rpc",
  "subject",
  "issuer",
  "act",
  "tier",
  "datasets",
  "requestDigest",
  "resultCount",
  "status",
  "code",
  "peer",
  "ms",
] as const;

const HEX64 = /^[0-9a-f]{64}$/;
const STRING_FIELDS = ["time", "rpc", "subject", "issuer", "tier", "requestDigest", "status", "code", "peer"] as const;
const LIST_FIELDS = ["act", "datasets"] as const;
// Lone surrogates cannot be encoded as UTF-8; JSON.stringify would escape them while most other
// JSON encoders fail, so they are replaced before hashing to keep the canonical form portable.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// Python and JavaScript print the same digits for a number only where both use plain decimal
// notation: integers, and fractions with few digits below 1e16. `ms` is kept inside that range.
const MAX_MS = 1e15;

/**
 * The canonical form of an entry, the exact bytes that are hashed: UTF-8 JSON of an object
 * holding the {@link ENTRY_FIELDS} in that order, without `hash`, with no whitespace, strings
 * escaped as ECMAScript `JSON.stringify` does (`\"`, `\\`, `\b \f \n \r \t`, other control
 * characters as `\u00xx`, everything else as is). Python's
 * `json.dumps(obj, ensure_ascii=False, separators=(",", ":"))` over the same key order gives the
 * same bytes.
 *
 * @example
 * ```ts
 * canonicalEntry(entry); // '{"seq":1,"prev":"000…","time":"2025-06-01T08:00:00.000Z",…,"ms":12}'
 * ```
 */
export function canonicalEntry(e: Omit<AuditEntry, "hash">): string {
  // An object literal (not a loop over ENTRY_FIELDS) so the compiler proves every field of
  // AuditEvent is covered: a field added to AuditEvent fails to compile here until it is placed.
  const ordered: Omit<AuditEntry, "hash"> = {
    seq: e.seq,
    prev: e.prev,
    time: e.time,
    rpc: e.rpc,
    subject: e.subject,
    issuer: e.issuer,
    act: e.act,
    tier: e.tier,
    datasets: e.datasets,
    requestDigest: e.requestDigest,
    resultCount: e.resultCount,
    status: e.status,
    code: e.code,
    peer: e.peer,
    ms: e.ms,
  };
  return JSON.stringify(ordered);
}

/**
 * SHA-256 (lower-case hex) of an entry's canonical form.
 *
 * @example
 * ```ts
 * if (hashEntry(entry) !== entry.hash) console.log("altered");
 * ```
 */
export function hashEntry(e: Omit<AuditEntry, "hash">): string {
  return createHash("sha256").update(canonicalEntry(e), "utf8").digest("hex");
}

const text = (v: unknown): string => (typeof v === "string" ? v : v === undefined || v === null ? "" : String(v)).replace(LONE_SURROGATE, "\uFFFD");
const texts = (v: unknown): string[] => (Array.isArray(v) ? v.map(text) : []);

/**
 * Puts an event in the chain: normalises it (strings well-formed, counts whole and
 * non-negative, `ms` rounded to the microsecond) so that its canonical form is portable, then
 * adds `seq`, `prev` and `hash`. Never throws, whatever the event holds.
 *
 * @example
 * ```ts
 * const e1 = sealEntry(event, 1, GENESIS_HASH);
 * const e2 = sealEntry(next, 2, e1.hash);
 * ```
 */
export function sealEntry(event: AuditEvent, seq: number, prev: string): AuditEntry {
  const ev = (event ?? {}) as Partial<Record<keyof AuditEvent, unknown>>;
  const count = Number(ev.resultCount);
  const ms = Number(ev.ms);
  const body: Omit<AuditEntry, "hash"> = {
    seq,
    prev,
    time: text(ev.time),
    rpc: text(ev.rpc),
    subject: text(ev.subject),
    issuer: text(ev.issuer),
    act: texts(ev.act),
    tier: text(ev.tier),
    datasets: texts(ev.datasets),
    requestDigest: text(ev.requestDigest),
    resultCount: Number.isFinite(count) ? Math.min(Number.MAX_SAFE_INTEGER, Math.max(0, Math.trunc(count))) : 0,
    status: text(ev.status),
    code: text(ev.code),
    peer: text(ev.peer),
    ms: Number.isFinite(ms) ? Math.min(MAX_MS, Math.max(0, Math.round(ms * 1000) / 1000)) : 0,
  };
  return { ...body, hash: hashEntry(body) };
}

/**
 * The stored line of an entry: its canonical form with `"hash"` added as the last key, and a
 * newline. Removing `,"hash":"<64 hex>"` from a stored line gives back the hashed bytes.
 *
 * @example
 * ```ts
 * await file.write(entryLine(sealEntry(event, seq, prev)));
 * ```
 */
export function entryLine(e: AuditEntry): string {
  const canonical = canonicalEntry(e);
  return `${canonical.slice(0, -1)},"hash":"${e.hash}"}\n`;
}

/** What {@link parseEntry} returns: an entry, or why the line is not one. */
export type ParsedEntry = { readonly ok: true; readonly entry: AuditEntry } | { readonly ok: false; readonly reason: string };

/**
 * Reads one stored line (without its newline) and checks its shape: exactly the
 * {@link ENTRY_FIELDS} plus `hash`, each of the right type. It does not check the hash: that
 * is the verifier's job, which also knows the entry before.
 *
 * @example
 * ```ts
 * const p = parseEntry(line);
 * if (p.ok && hashEntry(p.entry) === p.entry.hash) console.log(p.entry.seq);
 * ```
 */
export function parseEntry(line: string): ParsedEntry {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (err) {
    return { ok: false, reason: `not JSON (${(err as Error).message})` };
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return { ok: false, reason: "not a JSON object" };
  const o = raw as Record<string, unknown>;
  const allowed = new Set<string>([...ENTRY_FIELDS, "hash"]);
  // An unknown key would not be covered by the hash, so it could be added unnoticed: refuse it.
  const extra = Object.keys(o).find((k) => !allowed.has(k));
  if (extra !== undefined) return { ok: false, reason: `unknown field "${extra}"` };
  const missing = [...allowed].find((k) => !(k in o));
  if (missing !== undefined) return { ok: false, reason: `missing field "${missing}"` };
  if (!Number.isSafeInteger(o.seq) || (o.seq as number) < 1) return { ok: false, reason: `"seq" must be a whole number from 1` };
  for (const k of ["prev", "hash"] as const) {
    if (typeof o[k] !== "string" || !HEX64.test(o[k])) return { ok: false, reason: `"${k}" must be 64 lower-case hex digits` };
  }
  for (const k of STRING_FIELDS) if (typeof o[k] !== "string") return { ok: false, reason: `"${k}" must be a string` };
  for (const k of LIST_FIELDS) {
    const v = o[k];
    if (!Array.isArray(v) || v.some((s) => typeof s !== "string")) return { ok: false, reason: `"${k}" must be a list of strings` };
  }
  if (!Number.isSafeInteger(o.resultCount) || (o.resultCount as number) < 0) return { ok: false, reason: `"resultCount" must be a whole number` };
  if (typeof o.ms !== "number" || !Number.isFinite(o.ms) || o.ms < 0) return { ok: false, reason: `"ms" must be a number from 0` };
  return { ok: true, entry: o as unknown as AuditEntry };
}
