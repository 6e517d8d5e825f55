import { credentials, InterceptingCall } from "@grpc/grpc-js";
import type { Interceptor } from "@grpc/grpc-js";
import { SearchServiceClient } from "@ipfed/proto";

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

/**
 * Search clients of other members, one per address, kept open between federated queries so
 * that a query pays for no connection set-up.
 */
export class MemberClients {
  readonly #clients = new Map<string, SearchServiceClient>();

  /** The search client of a member's gRPC address. */
  search(address: string): SearchServiceClient {
    let c = this.#clients.get(address);
    if (!c) {
      c = new SearchServiceClient(address, credentials.createInsecure(), {
        "grpc.max_receive_message_length": 64 * 1024 * 1024,
        // A dead member must fail fast rather than wait for reconnection back-off.
        "grpc.initial_reconnect_backoff_ms": 200,
        "grpc.max_reconnect_backoff_ms": 2000,
      });
      this.#clients.set(address, c);
    }
    return c;
  }

  /** Closes every client. */
  close(): void {
    for (const c of this.#clients.values()) c.close();
    this.#clients.clear();
  }
}
