import { credentials } from "@grpc/grpc-js";
import type { Client, ServiceError } from "@grpc/grpc-js";
import {
  CatalogueServiceClient,
  ExchangeServiceClient,
  FederationServiceClient,
  SearchServiceClient,
} from "@ipfed/proto";

/** Raw generated clients of the four ipfed.v1 services at one address. */
export function rawClients(address: string) {
  const c = credentials.createInsecure();
  return {
    catalogue: new CatalogueServiceClient(address, c),
    search: new SearchServiceClient(address, c),
    exchange: new ExchangeServiceClient(address, c),
    federation: new FederationServiceClient(address, c),
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
