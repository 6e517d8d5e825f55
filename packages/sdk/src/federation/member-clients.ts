import { InterceptingCall } from "@grpc/grpc-js";
import type { Interceptor } from "@grpc/grpc-js";
import { SearchServiceClient } from "@ipfed/proto";
import { certificateFingerprint } from "../tls/tls-certificate.js";
import { channelFor } from "../tls/tls-credentials.js";

/** A client interceptor that sends `authorization: Bearer <token>`. */
export function bearerInterceptor(token: string): Interceptor {
  return (options, next) =>
    new InterceptingCall(next(options), {
      start(metadata, listener, nextStart) {
        metadata.set("authorization", `Bearer ${token}`);
        nextStart(metadata, listener);
      },
    });
}

/** How to reach a member: its address, and its certificate when it serves TLS. */
export interface MemberChannel {
  readonly address: string;
  readonly tlsCertificate?: Uint8Array | undefined;
}

/**
 * Search clients of other members, one per address and certificate, kept open between
 * federated queries so that a query pays for no connection set-up. A member with a
 * certificate is reached over TLS pinned to it, presenting `own` (mutual TLS); one without
 * over plaintext, which a non-loopback address refuses (`PLAINTEXT_REFUSED`) unless
 * `allowPlaintext` says otherwise.
 */
export class MemberClients {
  readonly #clients = new Map<string, SearchServiceClient>();
  readonly #own: () => { readonly cert: string; readonly key: string } | undefined;
  readonly #allowPlaintext: () => boolean;

  constructor(own: () => { readonly cert: string; readonly key: string } | undefined = () => undefined, allowPlaintext: () => boolean = () => false) {
    this.#own = own;
    this.#allowPlaintext = allowPlaintext;
  }

  /** The search client of a member. */
  search(target: MemberChannel): SearchServiceClient {
    const cert = target.tlsCertificate?.length ? target.tlsCertificate : undefined;
    const own = cert ? this.#own() : undefined;
    const key = `${target.address}|${cert ? certificateFingerprint(cert) : "plaintext"}|${own ? certificateFingerprint(own.cert) : ""}`;
    let c = this.#clients.get(key);
    if (!c) {
      const options = {
        "grpc.max_receive_message_length": 64 * 1024 * 1024,
        // A dead member must fail fast rather than wait for reconnection back-off.
        "grpc.initial_reconnect_backoff_ms": 200,
        "grpc.max_reconnect_backoff_ms": 2000,
      };
      const channel = channelFor(target.address, { tls: cert ? { ca: cert, ...own } : false, allowPlaintext: this.#allowPlaintext() });
      c = new SearchServiceClient(target.address, channel.credentials, { ...options, ...channel.options });
      this.#clients.set(key, c);
    }
    return c;
  }

  /** Closes every client. */
  close(): void {
    for (const c of this.#clients.values()) c.close();
    this.#clients.clear();
  }
}
