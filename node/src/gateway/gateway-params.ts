import type { IncomingMessage } from "node:http";
import { IpfedError } from "@ipfed/sdk";
import type { ErrorCode } from "@ipfed/sdk";

/**
 * The query-string parameters of one gateway request, read with checks: a bad value is an
 * INVALID_ARGUMENT (or the given code) naming the parameter.
 *
 * @example
 * ```ts
 * const p = new GatewayParams(url.searchParams);
 * const pageSize = p.uint("page_size", 0, "PAGE_SIZE_INVALID");
 * ```
 */
export class GatewayParams {
  readonly #params: URLSearchParams;

  constructor(params: URLSearchParams) {
    this.#params = params;
  }

  /** A string parameter, or `fallback` when absent. */
  string(name: string, fallback = ""): string {
    return this.#params.get(name) ?? fallback;
  }

  /** A required, non-empty string parameter. */
  required(name: string): string {
    const v = this.#params.get(name);
    if (v === null || v.trim() === "") throw new IpfedError("INVALID_ARGUMENT", `the "${name}" parameter is required`, { field: name });
    return v;
  }

  /** `true`/`1`/empty or `false`/`0`; `fallback` when absent. */
  bool(name: string, fallback = false): boolean {
    const v = this.#params.get(name);
    if (v === null) return fallback;
    if (v === "" || v === "true" || v === "1") return true;
    if (v === "false" || v === "0") return false;
    throw new IpfedError("INVALID_ARGUMENT", `"${name}" must be true or false, not ${JSON.stringify(v)}`, { field: name });
  }

  /** A non-negative integer up to `max`; `fallback` when absent. */
  uint(name: string, fallback: number, code: ErrorCode = "INVALID_ARGUMENT", max = 0xffff_ffff): number {
    const v = this.#params.get(name);
    if (v === null || v === "") return fallback;
    if (!/^\d+$/.test(v) || Number(v) > max) {
      throw new IpfedError(code, `"${name}" must be a whole number from 0 to ${max}, not ${JSON.stringify(v)}`, { field: name });
    }
    return Number(v);
  }

  /** A list: repeated parameters and comma-separated values, blanks dropped. */
  list(name: string): string[] {
    return this.#params
      .getAll(name)
      .flatMap((v) => v.split(","))
      .map((v) => v.trim())
      .filter((v) => v !== "");
  }

  /** One of `choices`; `fallback` when absent. */
  oneOf<T extends string>(name: string, choices: readonly T[], fallback: T): T {
    const v = this.#params.get(name);
    if (v === null || v === "") return fallback;
    if (!(choices as readonly string[]).includes(v)) {
      throw new IpfedError("INVALID_ARGUMENT", `"${name}" must be one of ${choices.join(", ")}, not ${JSON.stringify(v)}`, { field: name });
    }
    return v as T;
  }
}

/**
 * The call metadata that carries an HTTP caller's credentials to the node's gRPC side: the
 * `Authorization` header exactly as sent, so that the one auth interceptor checks and audits
 * it (no header: an anonymous call), and the caller's address as `x-forwarded-for`.
 *
 * @example
 * ```ts
 * await client.getRecord(id, {}, { metadata: forwardedAuth(req) });
 * ```
 */
export function forwardedAuth(req: IncomingMessage): Record<string, string> {
  const auth = req.headers.authorization;
  // The node sees every gateway call come from loopback; the caller's own address goes with
  // it, so that per-caller limits tell anonymous HTTP callers apart (trusted from loopback only).
  const address = req.socket.remoteAddress;
  return { ...(auth ? { authorization: auth } : {}), ...(address ? { "x-forwarded-for": address.replace(/^::ffff:/, "") } : {}) };
}
