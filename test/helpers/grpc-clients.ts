import { readFileSync } from "node:fs";
import { channelFor } from "@ipfed/sdk";
import { credentials, InterceptingCall } from "@grpc/grpc-js";
import type { Client, Interceptor, ServiceError } from "@grpc/grpc-js";
import {
  CatalogueServiceClient,
  ExchangeServiceClient,
  FederationServiceClient,
  SearchServiceClient,
} from "@ipfed/proto";

/** A client interceptor that sends `authorization: Bearer <token>` on every call that has none. */
export function bearer(token: string): Interceptor {
  return (options, next) =>
    new InterceptingCall(next(options), {
      start(metadata, listener, nextStart) {
        if (metadata.get("authorization").length === 0) metadata.set("authorization", `Bearer ${token}`);
        nextStart(metadata, listener);
      },
    });
}

/**
 * Raw generated clients of the four ipfed.v1 services at one address, anonymous or with a
 * token; over TLS pinned to `tlsCert` (a PEM file, as the demo prints) when given.
 */
export function rawClients(address: string, token?: string, tlsCert?: string) {
  const channel = tlsCert ? channelFor(address, { tls: { ca: readFileSync(tlsCert, "utf8") } }) : { credentials: credentials.createInsecure(), options: {} };
  const c = channel.credentials;
  const o = { ...channel.options, ...(token ? { interceptors: [bearer(token)] } : {}) };
  return {
    catalogue: new CatalogueServiceClient(address, c, o),
    search: new SearchServiceClient(address, c, o),
    exchange: new ExchangeServiceClient(address, c, o),
    federation: new FederationServiceClient(address, c, o),
    close(): void {
      for (const x of [this.catalogue, this.search, this.exchange, this.federation] as Client[]) x.close();
    },
  };
}

/** Calls a generated unary method and resolves with the response or the error. */
export function callUnary<Res>(fn: (cb: (err: ServiceError | null, res: Res) => void) => unknown): Promise<Res> {
  return new Promise((resolve, reject) => {
    fn((err, res) => (err ? reject(err) : resolve(res)));
  });
}

/** Collects a server stream into an array, or rejects with the stream's error. */
export function collect<T>(stream: NodeJS.ReadableStream): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const out: T[] = [];
    stream.on("data", (m: T) => out.push(m));
    stream.on("error", reject);
    stream.on("end", () => resolve(out));
  });
}
