import { createHash } from "node:crypto";
import { IpfedError } from "../errors/ipfed-error.js";

/**
 * Encodes a paging position as an opaque string (base64url JSON) bound to what it pages
 * through, so that a cursor from another query or dataset is refused instead of misread.
 *
 * @example
 * ```ts
 * const cursor = encodeCursor("search", "ti:battery", { a: 20 }); // "eyJrIjoic2VhcmNoIi…"
 * ```
 */
export function encodeCursor(kind: string, scope: string, position: unknown): string {
  return Buffer.from(JSON.stringify({ k: kind, s: scopeHash(scope), p: position })).toString("base64url");
}

/**
 * Decodes a cursor made by {@link encodeCursor}; a malformed one, or one made for another
 * kind or scope, is CURSOR_INVALID.
 *
 * @example
 * ```ts
 * decodeCursor<{ a: number }>(cursor, "search", "ti:battery"); // { a: 20 }
 * decodeCursor(cursor, "search", "ti:graphene"); // throws CURSOR_INVALID: it belongs to another query
 * ```
 */
export function decodeCursor<T>(cursor: string, kind: string, scope: string, field = "cursor"): T {
  let parsed: { k?: unknown; s?: unknown; p?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as typeof parsed;
  } catch {
    throw new IpfedError("CURSOR_INVALID", `${field} is not a cursor this member issued`, { field });
  }
  if (typeof parsed !== "object" || parsed === null || parsed.k !== kind) {
    throw new IpfedError("CURSOR_INVALID", `${field} is not a ${kind} cursor`, { field });
  }
  if (parsed.s !== scopeHash(scope)) {
    throw new IpfedError("CURSOR_INVALID", `${field} belongs to another ${kind === "search" ? "query" : "dataset"}`, { field });
  }
  return parsed.p as T;
}

function scopeHash(scope: string): string {
  return createHash("sha256").update(scope).digest("base64url").slice(0, 12);
}
