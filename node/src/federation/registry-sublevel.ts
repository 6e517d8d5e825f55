import type { Level } from "level";

/**
 * The part of an abstract-level sublevel the registry uses, typed structurally. Any sublevel
 * opened with `{ keyEncoding: "utf8", valueEncoding: "view" }` fits; see {@link registrySublevel}.
 */
export interface RegistrySublevel {
  get(key: string): Promise<Uint8Array | undefined>;
  batch(operations: RegistryBatchOperation[]): Promise<void>;
  iterator(options: { gte: string; lt: string }): { all(): Promise<[string, Uint8Array][]> };
}

/** A batch operation on the registry's sublevel. */
export type RegistryBatchOperation = { type: "put"; key: string; value: Uint8Array } | { type: "del"; key: string };

/** Name of the registry's sublevel in the node's LevelDB. */
export const REGISTRY_SUBLEVEL = "fed";

/**
 * Opens the registry's sublevel in a node's LevelDB (the database `openNodeStore` opens).
 *
 * @example
 * ```ts
 * const registry = new MemberRegistry(registrySublevel(db), { hubId, keys: () => trust.keys() });
 * ```
 */
export function registrySublevel(db: Level<string, Uint8Array>): RegistrySublevel {
  return db.sublevel<string, Uint8Array>(REGISTRY_SUBLEVEL, { keyEncoding: "utf8", valueEncoding: "view" });
}

/**
 * Key layout inside the sublevel: one prefix per kind of entry, so that each kind is one
 * contiguous range.
 *
 * @internal
 */
export const KEYS = {
  member: "member:",
  enrolment: "enrol:",
  revoked: "revoked:",
  version: "meta:version",
  signed: "meta:signed",
} as const;

/**
 * The range of keys under a prefix: from the prefix to the prefix with its last character raised by one.
 *
 * @internal
 */
export function rangeOf(prefix: string): { gte: string; lt: string } {
  return { gte: prefix, lt: prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1) };
}

/**
 * Encodes a value as JSON bytes.
 *
 * @internal
 */
export const encodeJson = (v: unknown): Uint8Array => Buffer.from(JSON.stringify(v));

/**
 * Decodes JSON bytes.
 *
 * @internal
 */
export const decodeJson = <T>(b: Uint8Array): T => JSON.parse(Buffer.from(b).toString("utf8")) as T;
