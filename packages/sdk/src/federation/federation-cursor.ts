import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { IpfedError } from "../errors/ipfed-error.js";

/**
 * Where a federated answer stands: for each member, its cursor and how many hits after it were sent.
 *
 * @example
 * ```ts
 * const position: FederationPosition = { members: { "scu-tisc": ["", 5], "cd-library": ["", 1] }, rank: 6, seen: [] };
 * ```
 */
export interface FederationPosition {
  /** Member id → `[cursor before the last page, hits after it already sent]`; absent members are exhausted. */
  readonly members: { readonly [memberId: string]: readonly [string, number] };
  /** Hits sent so far, for ranks. */
  readonly rank: number;
  /** Short digests of the ids sent so far, so a record held by two members is not sent again on a later page. */
  readonly seen: readonly string[];
  /** Handle of the whole seen-set kept by the member that made the cursor (a `SeenStore`). */
  readonly ctx?: string;
}

/** Most ids carried in a cursor itself (the member keeps them all; see `SeenStore`): small enough to stay a cursor. */
export const MAX_SEEN = 600;

/** A short digest of a canonical id, as kept in cursors. */
export function idDigest(id: string): string {
  return createHash("sha256").update(id).digest("base64url").slice(0, 8);
}

/**
 * Encodes a federated position as one opaque cursor signed (HMAC-SHA256) by the member that
 * made it, so that neither the per-member cursors nor the seen-set can be forged or moved to
 * another query.
 *
 * @example
 * ```ts
 * const cursor = signFederationCursor(secret, canonicalQuery, { members: { "scu-tisc": ["", 5] }, rank: 5, seen: [] }); // "f1.…"
 * ```
 */
export function signFederationCursor(secret: Buffer, scope: string, pos: FederationPosition): string {
  const body = Buffer.from(JSON.stringify({ s: scope, ...pos })).toString("base64url");
  const mac = createHmac("sha256", secret).update(body).digest("base64url");
  return `f1.${body}.${mac}`;
}

/**
 * Reads a cursor made by {@link signFederationCursor}; anything else is CURSOR_INVALID.
 *
 * @example
 * ```ts
 * const position = verifyFederationCursor(secret, canonicalQuery, request.cursor); // throws CURSOR_INVALID when forged or moved
 * ```
 */
export function verifyFederationCursor(secret: Buffer, scope: string, cursor: string): FederationPosition {
  const [v, body, mac] = cursor.split(".");
  const bad = (why: string): never => {
    throw new IpfedError("CURSOR_INVALID", `cursor ${why}`, { field: "cursor" });
  };
  if (v !== "f1" || !body || !mac) return bad("is not a federated cursor of this member");
  // Compared as canonical base64url text: decoding would ignore the unused low bits of the
  // last character, so two different strings could pass.
  const want = Buffer.from(createHmac("sha256", secret).update(body).digest("base64url"));
  const got = Buffer.from(mac);
  if (got.length !== want.length || !timingSafeEqual(got, want)) return bad("was not signed by this member");
  const p = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as FederationPosition & { s: string };
  if (p.s !== scope) return bad("belongs to another query");
  return { members: p.members, rank: p.rank, seen: p.seen, ...(typeof p.ctx === "string" ? { ctx: p.ctx } : {}) };
}
