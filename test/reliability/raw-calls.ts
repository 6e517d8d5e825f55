import { Client, credentials, Metadata, status } from "@grpc/grpc-js";
import type { ServiceError } from "@grpc/grpc-js";
import {
  CatalogueServiceService,
  ExchangeServiceService,
  ExportRequest,
  FederationServiceService,
  GetDatasetRequest,
  GetKeysRequest,
  GetNetworkConfigRequest,
  GetRecordRequest,
  HarvestRequest,
  HeartbeatRequest,
  ListDatasetsRequest,
  ListMembersRequest,
  ListServicesRequest,
  PublishRequest,
  RegisterRequest,
  SearchRequest,
  SearchServiceService,
  WatchCatalogueRequest,
} from "@ipfed/proto";

// The request message of each method, to fill partial requests as the generated client would.
const REQUEST_TYPES: { [method: string]: { fromPartial(o: object): unknown } } = {
  ListDatasets: ListDatasetsRequest,
  GetDataset: GetDatasetRequest,
  ListServices: ListServicesRequest,
  WatchCatalogue: WatchCatalogueRequest,
  Search: SearchRequest,
  GetRecord: GetRecordRequest,
  Export: ExportRequest,
  Harvest: HarvestRequest,
  Publish: PublishRequest,
  Register: RegisterRequest,
  Heartbeat: HeartbeatRequest,
  ListMembers: ListMembersRequest,
  GetNetworkConfig: GetNetworkConfigRequest,
  GetKeys: GetKeysRequest,
};

/** One RPC of the four ipfed.v1 services, as its generated definition describes it. */
export interface RpcInfo {
  /** `/ipfed.v1.SearchService/Search`. */
  path: string;
  /** `SearchService.Search`. */
  name: string;
  requestStream: boolean;
  responseStream: boolean;
  /** Encodes a request given as a partial object, as the generated client would. */
  encode(partial: object): Buffer;
}

/** Every RPC of every ipfed.v1 service. */
export const ALL_RPCS: RpcInfo[] = (
  [
    ["CatalogueService", CatalogueServiceService],
    ["SearchService", SearchServiceService],
    ["ExchangeService", ExchangeServiceService],
    ["FederationService", FederationServiceService],
  ] as const
).flatMap(([service, def]) =>
  Object.values(def).map((d): RpcInfo => {
    const m = d as { path: string; requestStream: boolean; responseStream: boolean; requestSerialize: (v: unknown) => Buffer };
    const method = m.path.split("/").pop()!;
    const type = REQUEST_TYPES[method];
    if (!type) throw new Error(`no request type known for ${m.path}`);
    return {
      path: m.path,
      name: `${service}.${method}`,
      requestStream: m.requestStream,
      responseStream: m.responseStream,
      encode: (partial: object) => m.requestSerialize(type.fromPartial(partial)),
    };
  }),
);

/** How a raw call ended: its status, ipfed code and message, and the messages it got. */
export interface RawOutcome {
  code: number;
  ipfedCode: string;
  details: string;
  messages: number;
  /** The `retry-after-ms` trailer of a RESOURCE_EXHAUSTED refusal. */
  retryAfterMs?: number;
}

const identity = (b: Buffer): Buffer => b;

/**
 * Sends `body` as the bytes of one request message to `rpc`, with no encoding of ours in
 * between, and waits for the call to end. Never rejects: the outcome is the status.
 */
export function rawCall(client: Client, rpc: RpcInfo, body: Buffer, opts: { token?: string; deadlineMs?: number; metadata?: Metadata } = {}): Promise<RawOutcome> {
  const md = opts.metadata ?? new Metadata();
  if (opts.token) md.set("authorization", `Bearer ${opts.token}`);
  const options = { deadline: Date.now() + (opts.deadlineMs ?? 10_000) };
  return new Promise((resolve) => {
    let messages = 0;
    let settled = false;
    const end = (err: ServiceError | null): void => {
      if (settled) return;
      settled = true;
      resolve(
        err
          ? {
              code: err.code,
              ipfedCode: String(err.metadata?.get("ipfed-error-code")[0] ?? ""),
              details: err.details,
              messages,
              ...(err.metadata?.get("retry-after-ms")[0] !== undefined ? { retryAfterMs: Number(err.metadata.get("retry-after-ms")[0]) } : {}),
            }
          : { code: status.OK, ipfedCode: "", details: "", messages },
      );
    };
    if (!rpc.requestStream && !rpc.responseStream) {
      client.makeUnaryRequest(rpc.path, identity, identity, body, md, options, (err) => end(err));
    } else if (!rpc.requestStream) {
      const call = client.makeServerStreamRequest(rpc.path, identity, identity, body, md, options);
      call.on("data", () => messages++);
      call.on("error", (e: ServiceError) => end(e));
      call.on("end", () => end(null));
    } else {
      const call = client.makeClientStreamRequest(rpc.path, identity, identity, md, options, (err) => end(err));
      call.write(body);
      call.end();
    }
  });
}

/**
 * A raw client with no size limit of its own, so that only the server's limits show, on a
 * connection of its own: grpc-js would otherwise share one with earlier clients of the same
 * address, perhaps one the server is just closing after a hostile call.
 */
export function rawClient(address: string): Client {
  return new Client(address, credentials.createInsecure(), {
    "grpc.max_send_message_length": -1,
    "grpc.max_receive_message_length": -1,
    "grpc.use_local_subchannel_pool": 1,
  });
}

/** mulberry32: small, seeded and the same on every machine, so a failing input can be replayed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random bytes, or a valid message with bytes flipped, cut, repeated or inserted. */
export function hostileBytes(random: () => number, valid: Buffer): Buffer {
  const r = random();
  const rand = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(random() * 256)));
  if (r < 0.35) return rand(Math.floor(random() * 64));
  const b = Buffer.from(valid);
  if (r < 0.6) {
    for (let i = 0; i < 1 + Math.floor(random() * 4) && b.length > 0; i++) b[Math.floor(random() * b.length)] = Math.floor(random() * 256);
    return b;
  }
  if (r < 0.75) return b.subarray(0, Math.floor(random() * b.length));
  if (r < 0.9) {
    const at = Math.floor(random() * (b.length + 1));
    return Buffer.concat([b.subarray(0, at), rand(1 + Math.floor(random() * 16)), b.subarray(at)]);
  }
  // A field header claiming a huge length, or an unknown field number with every wire type.
  return Buffer.concat([b, Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]), rand(4)]);
}

/**
 * {@link rawCall}, repeated while the node answers RATE_LIMITED, after the wait its
 * `retry-after-ms` trailer asks for: for tests that send many calls as one caller and are
 * about something other than rate limits. Returns the first other outcome.
 */
export async function politeCall(client: Client, rpc: RpcInfo, body: Buffer, opts: Parameters<typeof rawCall>[3] = {}): Promise<RawOutcome> {
  for (let attempt = 0; ; attempt++) {
    const o = await rawCall(client, rpc, body, { ...opts, ...(opts.metadata ? { metadata: opts.metadata.clone() } : {}) });
    if (o.code !== status.RESOURCE_EXHAUSTED || o.ipfedCode !== "RATE_LIMITED" || attempt >= 50) return o;
    await new Promise((r) => setTimeout(r, Math.max(10, o.retryAfterMs ?? 100)));
  }
}
