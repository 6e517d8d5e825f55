// The signed-in token, kept in sessionStorage for this tab only. Its claims are read here for
// display ("signed in as ..."); the hub verifies the token on every call.

const KEY = "ipfed.token";

function decodePart(part) {
  const b64 = part.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(part.length / 4) * 4, "=");
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

/** Reads a token's claims, or throws when it is not a compact JWS. */
export function readClaims(token) {
  const parts = token.split(".");
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]+$/.test(p))) throw new Error("token.bad");
  try {
    return decodePart(parts[1]);
  } catch {
    throw new Error("token.bad");
  }
}

/** The stored token, or "" when anonymous. */
export function token() {
  return sessionStorage.getItem(KEY) ?? "";
}

/** Stores a token after checking its shape and expiry; returns its claims. */
export function signIn(raw) {
  const tok = raw.trim();
  const claims = readClaims(tok);
  if (typeof claims.exp === "number" && claims.exp * 1000 < Date.now()) throw new Error("token.expired");
  sessionStorage.setItem(KEY, tok);
  return claims;
}

/** Forgets the token. */
export function signOut() {
  sessionStorage.removeItem(KEY);
}

/** `{ sub, tier }` of the signed-in user, or null when anonymous. */
export function who() {
  const tok = token();
  if (!tok) return null;
  try {
    const c = readClaims(tok);
    return { sub: String(c.sub ?? "?"), tier: String(c.tier ?? "public"), scope: String(c.scope ?? "") };
  } catch {
    return null;
  }
}
