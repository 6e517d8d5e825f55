import { createClient, derToPem } from "@ipfed/sdk";
import type { IpfedClient } from "@ipfed/sdk";

/**
 * The gateway's gRPC clients, one per address, opened on first use: the node's own services
 * (reached over loopback, so that every HTTP call passes the same auth interceptor and audit
 * log as a gRPC call) and other members' (for the network catalogue). Calls are not retried:
 * the HTTP client decides whether to try again.
 *
 * @example
 * ```ts
 * const clients = new MemberClients();
 * const datasets = await clients.at("127.0.0.1:7400").catalogue.list();
 * clients.close();
 * ```
 */
export class MemberClients {
  readonly #clients = new Map<string, IpfedClient>();

  readonly #allowPlaintext: boolean;

  /** `allowPlaintext`: plaintext to members whose address is not loopback (the node's own setting). */
  constructor(options: { allowPlaintext?: boolean } = {}) {
    this.#allowPlaintext = options.allowPlaintext ?? false;
  }

  /**
   * The client of the member at `address` (`host:port`); a wildcard host means this machine.
   * With `certificate` (DER or PEM: the member's from the network configuration, or the node's
   * own) the channel is TLS pinned to it.
   */
  at(address: string, certificate?: Uint8Array | string): IpfedClient {
    const endpoint = loopbackFor(address);
    const ca = certificate === undefined || certificate.length === 0 ? undefined : typeof certificate === "string" ? certificate : derToPem(certificate);
    const key = ca ? `${endpoint}|${ca}` : endpoint;
    let c = this.#clients.get(key);
    if (!c) {
      c = createClient({ endpoint, retry: false, allowPlaintext: this.#allowPlaintext, ...(ca ? { tls: { ca: Buffer.from(ca) } } : {}) });
      this.#clients.set(key, c);
    }
    return c;
  }

  /** Closes every client; idempotent. */
  close(): void {
    for (const c of this.#clients.values()) c.close();
    this.#clients.clear();
  }
}

/** A listening address made dialable: `0.0.0.0:7400` and `[::]:7400` become loopback. */
function loopbackFor(address: string): string {
  const i = address.lastIndexOf(":");
  const host = address.slice(0, i);
  if (host === "0.0.0.0") return `127.0.0.1${address.slice(i)}`;
  if (host === "[::]" || host === "::") return `[::1]${address.slice(i)}`;
  return address;
}
