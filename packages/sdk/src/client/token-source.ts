import { IpfedError } from "../errors/ipfed-error.js";
import { raceAbort } from "./cancellation.js";

/**
 * Supplies a bearer token (a compact JWT) when the client has none or its token nears expiry.
 *
 * @example
 * ```ts
 * const tokenProvider: TokenProvider = async () => (await fetch(tokenUrl)).text();
 * ```
 */
export type TokenProvider = () => Promise<string> | string;

/**
 * Reads `exp` (seconds since the epoch) from a JWT's payload without verifying anything: the
 * client only needs to know when to ask for a new token; the member does the checking.
 * Returns `undefined` for anything that is not a JWT with a numeric `exp`.
 *
 * @example
 * ```ts
 * const exp = readTokenExpiry(token); // 1796022590
 * ```
 */
export function readTokenExpiry(token: string): number | undefined {
  const payload = token.split(".")[1];
  if (payload === undefined) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as unknown;
    const exp = typeof claims === "object" && claims !== null ? (claims as { exp?: unknown }).exp : undefined;
    return typeof exp === "number" && Number.isFinite(exp) ? exp : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What a {@link TokenSource} starts from.
 *
 * @example
 * ```ts
 * const init: TokenSourceInit = { token: cached, provider: () => login(), refreshBeforeSeconds: 60 };
 * ```
 */
export interface TokenSourceInit {
  /** The first token, if known. */
  token?: string | undefined;
  /** Where new tokens come from; without it the first token is used for ever. */
  provider?: TokenProvider | undefined;
  /** How long before its `exp` a token is replaced, in seconds. @defaultValue 30 */
  refreshBeforeSeconds?: number;
  /** The clock, in milliseconds. @defaultValue Date.now */
  now?: () => number;
}

/**
 * The token a client sends: a fixed one, or one from a provider, fetched when there is none
 * and again when it nears expiry. Calls that need a token at once share one provider call.
 *
 * @example
 * ```ts
 * const tokens = new TokenSource({ provider: () => issue(), refreshBeforeSeconds: 30 });
 * metadata.set("authorization", `Bearer ${await tokens.get(signal)}`);
 * ```
 */
export class TokenSource {
  readonly #provider: TokenProvider | undefined;
  readonly #refreshBeforeMs: number;
  readonly #now: () => number;
  #token: string | undefined;
  /** Expiry of #token in milliseconds; undefined when it has none (or is not a JWT). */
  #expiresAt: number | undefined;
  #pending: Promise<string> | undefined;

  constructor(init: TokenSourceInit = {}) {
    this.#provider = init.provider;
    this.#refreshBeforeMs = (init.refreshBeforeSeconds ?? 30) * 1000;
    this.#now = init.now ?? Date.now;
    if (init.token) this.#accept(init.token);
  }

  /** True when a provider can replace a token the member refused. */
  get canRefresh(): boolean {
    return this.#provider !== undefined;
  }

  /**
   * The token to send now, or `undefined` for an anonymous call. Rejects with the provider's
   * failure (TOKEN_MISSING unless it threw an IpfedError) when there is no usable token, and
   * with CANCELLED when the signal aborts while waiting for the provider.
   */
  async get(signal: AbortSignal): Promise<string | undefined> {
    const current = this.#token;
    if (!this.#provider || (current !== undefined && !this.#expiresWithin(this.#refreshBeforeMs))) return current;
    const pending = (this.#pending ??= this.#refresh());
    try {
      return await raceAbort(pending, signal);
    } catch (err) {
      // A token that nears expiry but still holds is better than no call at all.
      if (this.#token !== undefined && !this.#expiresWithin(0) && !signal.aborted) return this.#token;
      throw err;
    }
  }

  /** Drops `token` after the member refused it as expired, so that the next call fetches one. */
  invalidate(token: string | undefined): void {
    if (token !== undefined && token === this.#token && this.#provider) {
      this.#token = undefined;
      this.#expiresAt = undefined;
    }
  }

  #expiresWithin(ms: number): boolean {
    return this.#expiresAt !== undefined && this.#expiresAt - this.#now() <= ms;
  }

  #accept(token: string): void {
    const exp = readTokenExpiry(token);
    this.#token = token;
    this.#expiresAt = exp === undefined ? undefined : exp * 1000;
  }

  async #refresh(): Promise<string> {
    try {
      const token: unknown = await this.#provider!();
      if (typeof token !== "string" || token === "") {
        throw new IpfedError("TOKEN_MISSING", "the token provider returned no token");
      }
      this.#accept(token);
      return token;
    } catch (err) {
      if (err instanceof IpfedError) throw err;
      const message = err instanceof Error ? err.message : String(err);
      throw new IpfedError("TOKEN_MISSING", `the token provider failed: ${message}`, { cause: err });
    } finally {
      this.#pending = undefined;
    }
  }
}
