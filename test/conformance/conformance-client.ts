import { credentials, InterceptingCall, loadPackageDefinition, makeGenericClientConstructor, Metadata } from "@grpc/grpc-js";
import type { Client, GrpcObject, Interceptor, ServiceClientConstructor, ServiceError } from "@grpc/grpc-js";
import { loadSync } from "@grpc/proto-loader";
import { protoPath as healthProtoPath } from "grpc-health-check";
import {
  CatalogueServiceClient,
  ExchangeServiceClient,
  FederationServiceClient,
  SearchRequest,
  SearchServiceClient,
} from "@ipfed/proto";
import type { Facet, SearchDone, SearchEvent, SearchHit } from "@ipfed/proto";
import { fromGrpcError, IpfedError } from "@ipfed/sdk";

/** The generated clients of the four ipfed.v1 services at one address, anonymous or with a bearer token. */
export interface ConformanceClients {
  readonly catalogue: CatalogueServiceClient;
  readonly search: SearchServiceClient;
  readonly exchange: ExchangeServiceClient;
  readonly federation: FederationServiceClient;
  close(): void;
}

function bearer(token: string): Interceptor {
  return (options, next) =>
    new InterceptingCall(next(options), {
      start(metadata, listener, nextStart) {
        metadata.set("authorization", `Bearer ${token}`);
        nextStart(metadata, listener);
      },
    });
}

/**
 * Connects the generated clients to a member.
 *
 * @example
 * ```ts
 * const c = connect("127.0.0.1:7400", token);
 * ```
 */
export function connect(address: string, token?: string): ConformanceClients {
  const c = credentials.createInsecure();
  const o = token ? { interceptors: [bearer(token)] } : {};
  const clients = {
    catalogue: new CatalogueServiceClient(address, c, o),
    search: new SearchServiceClient(address, c, o),
    exchange: new ExchangeServiceClient(address, c, o),
    federation: new FederationServiceClient(address, c, o),
  };
  return { ...clients, close: () => Object.values(clients).forEach((x: Client) => x.close()) };
}

/**
 * Calls a generated unary method; a failure arrives as the IpfedError the server sent.
 *
 * @example
 * ```ts
 * const res = await unary<GetDatasetResponse>((cb) => c.catalogue.getDataset(req, cb));
 * ```
 */
export function unary<Res>(fn: (cb: (err: ServiceError | null, res: Res) => void) => unknown): Promise<Res> {
  return new Promise((resolve, reject) => {
    fn((err, res) => (err ? reject(fromGrpcError(err)) : resolve(res)));
  });
}

/**
 * Reads a server stream to its end; a failure arrives as the IpfedError the server sent.
 *
 * @example
 * ```ts
 * const batches = await stream<ExportResponse>(c.exchange.export(req));
 * ```
 */
export function stream<T>(s: NodeJS.ReadableStream): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const out: T[] = [];
    s.on("data", (m: T) => out.push(m));
    s.on("error", (err: ServiceError) => reject(fromGrpcError(err)));
    s.on("end", () => resolve(out));
  });
}

/**
 * The error a call failed with (the test fails if it succeeded).
 *
 * @example
 * ```ts
 * expect((await failure(call())).code).toBe("DATASET_NOT_FOUND");
 * ```
 */
export async function failure(p: Promise<unknown>): Promise<IpfedError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof IpfedError) return err;
    throw err;
  }
  throw new Error("the call succeeded; a failure was expected");
}

/** One Search answer, split by event. */
export interface SearchAnswer {
  readonly hits: SearchHit[];
  readonly facets: Facet[];
  readonly done: SearchDone;
  /** Event kinds in the order they came. */
  readonly order: string[];
}

/**
 * Runs one Search and splits its events.
 *
 * @example
 * ```ts
 * const { hits, done } = await search(c, { query: "ti:battery" });
 * ```
 */
export async function search(c: ConformanceClients, request: Partial<SearchRequest>): Promise<SearchAnswer> {
  const events = await stream<SearchEvent>(c.search.search(SearchRequest.fromPartial(request)));
  const hits: SearchHit[] = [];
  const facets: Facet[] = [];
  let done: SearchDone | undefined;
  for (const e of events) {
    if (e.event?.$case === "hit") hits.push(e.event.value);
    if (e.event?.$case === "facets") facets.push(...e.event.value.facets);
    if (e.event?.$case === "done") done = e.event.value;
  }
  if (!done) throw new Error("the search ended without a done event");
  return { hits, facets, done, order: events.map((e) => e.event?.$case ?? "") };
}

/**
 * The health a server reports for a service (`""` is the whole server), through grpc.health.v1.
 *
 * @example
 * ```ts
 * await health(address, "ipfed.v1.SearchService"); // "SERVING"
 * ```
 */
export async function health(address: string, service: string): Promise<string> {
  const pkg = loadPackageDefinition(loadSync(healthProtoPath, { enums: String })) as GrpcObject;
  const Health = (((pkg.grpc as GrpcObject).health as GrpcObject).v1 as GrpcObject).Health as ServiceClientConstructor;
  const client = new Health(address, credentials.createInsecure()) as unknown as {
    Check(r: { service: string }, cb: (e: ServiceError | null, r: { status: string }) => void): void;
    close(): void;
  };
  try {
    return (await unary<{ status: string }>((cb) => client.Check({ service }, cb))).status;
  } finally {
    client.close();
  }
}

// grpc.reflection.v1 by hand (two small messages), so that the suite needs no reflection package.
const REFLECTION = {
  ServerReflectionInfo: {
    path: "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
    requestStream: true,
    responseStream: true,
    requestSerialize: (b: Buffer) => b,
    requestDeserialize: (b: Buffer) => b,
    responseSerialize: (b: Buffer) => b,
    responseDeserialize: (b: Buffer) => b,
  },
};

/** Reads the length-delimited fields of a protobuf message: [field number, bytes][]. */
function fields(buf: Buffer): [number, Buffer][] {
  const out: [number, Buffer][] = [];
  let i = 0;
  const varint = (): number => {
    let n = 0;
    let shift = 0;
    for (;;) {
      const b = buf[i++]!;
      n += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return n;
      shift += 7;
    }
  };
  while (i < buf.length) {
    const tag = varint();
    const wire = tag & 7;
    if (wire === 2) {
      const len = varint();
      out.push([tag >>> 3, buf.subarray(i, i + len)]);
      i += len;
    } else if (wire === 0) varint();
    else throw new Error(`unexpected wire type ${wire} in a reflection answer`);
  }
  return out;
}

/**
 * The services a server lists through server reflection (grpc.reflection.v1).
 *
 * @example
 * ```ts
 * await reflectedServices(address); // ["grpc.health.v1.Health", "ipfed.v1.CatalogueService", …]
 * ```
 */
export function reflectedServices(address: string): Promise<string[]> {
  const Ctor = makeGenericClientConstructor(REFLECTION, "ServerReflection");
  const client = new Ctor(address, credentials.createInsecure()) as unknown as {
    ServerReflectionInfo(md: Metadata): NodeJS.ReadWriteStream & { write(b: Buffer): void; end(): void };
    close(): void;
  };
  return new Promise((resolve, reject) => {
    const call = client.ServerReflectionInfo(new Metadata());
    call.on("data", (res: Buffer) => {
      // ServerReflectionResponse.list_services_response (6) → ListServiceResponse.service (1) → ServiceResponse.name (1)
      const list = fields(res).find(([n]) => n === 6)?.[1];
      const names = list ? fields(list).filter(([n]) => n === 1).map(([, s]) => fields(s).find(([n]) => n === 1)?.[1].toString("utf8") ?? "") : [];
      call.end();
      client.close();
      resolve(names.sort());
    });
    call.on("error", (err: Error) => (client.close(), reject(err)));
    // ServerReflectionRequest.list_services (7) = ""
    call.write(Buffer.from([0x3a, 0x00]));
  });
}
