import { createRequire } from "node:module";
import { credentials, loadPackageDefinition, makeGenericClientConstructor, status } from "@grpc/grpc-js";
import type { GrpcObject, ServiceClientConstructor, ServiceError } from "@grpc/grpc-js";
import { loadSync } from "@grpc/proto-loader";
import { protoPath as healthProtoPath } from "grpc-health-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GetDatasetRequest, GetDatasetResponse, GetRecordRequest, SearchRequest, SearchServiceService } from "@ipfed/proto";
import { IpfedError } from "../errors/ipfed-error.js";
import { fromGrpcError } from "../errors/grpc-status.js";
import { createGrpcServer } from "./grpc-server.js";
import type { GrpcServer } from "./grpc-server.js";
import { unary, serverStream } from "./handlers.js";

const require = createRequire(import.meta.url);
const reflectionProto = require.resolve("@grpc/reflection/build/proto/grpc/reflection/v1/reflection.proto");

let grpc: GrpcServer;
let address: string;

beforeAll(async () => {
  grpc = createGrpcServer();
  grpc.addService("ipfed.v1.SearchService", SearchServiceService, {
    search: serverStream(async function* () {
      yield { event: { $case: "done", value: { total: 0, nextCursor: "", membersAnswered: 1, membersTargeted: 1, tookMs: 0, query: "*" } } };
      throw new IpfedError("QUERY_SYNTAX", "expected ')' at position 13", { field: "query", position: 13 });
    }),
    getRecord: unary(async () => {
      throw new IpfedError("RECORD_NOT_FOUND", "no record US-1-A", { field: "id", metadata: { id: "US-1-A" } });
    }),
  });
  // A service of one method that fails with a plain Error, to check nothing leaks.
  const def = {
    getDataset: {
      path: "/ipfed.test.Leak/GetDataset",
      requestStream: false,
      responseStream: false,
      requestSerialize: (v: GetDatasetRequest) => Buffer.from(GetDatasetRequest.encode(v).finish()),
      requestDeserialize: (b: Buffer) => GetDatasetRequest.decode(b),
      responseSerialize: (v: GetDatasetResponse) => Buffer.from(GetDatasetResponse.encode(v).finish()),
      responseDeserialize: (b: Buffer) => GetDatasetResponse.decode(b),
    },
  };
  grpc.addService("ipfed.test.Leak", def, {
    getDataset: unary(async () => {
      throw new Error("ENOENT: /secret/path/store");
    }),
  });
  address = await grpc.listen("127.0.0.1:0");
});

afterAll(async () => {
  await grpc.close();
});

function reflectionClient(): { listServices(): Promise<string[]> } {
  const pkg = loadPackageDefinition(loadSync(reflectionProto)) as GrpcObject;
  const v1 = ((pkg.grpc as GrpcObject).reflection as GrpcObject).v1 as GrpcObject;
  const Ctor = v1.ServerReflection as ServiceClientConstructor;
  const client = new Ctor(address, credentials.createInsecure());
  return {
    listServices: () =>
      new Promise((resolve, reject) => {
        const call = (client as unknown as { ServerReflectionInfo(): NodeJS.ReadWriteStream & { end(): void; write(m: unknown): void } }).ServerReflectionInfo();
        call.on("data", (res: { listServicesResponse?: { service: { name: string }[] } }) => {
          resolve(res.listServicesResponse?.service.map((s) => s.name) ?? []);
          call.end();
        });
        call.on("error", reject);
        call.write({ listServices: "" });
      }),
  };
}

describe("createGrpcServer", () => {
  it("lists every service through server reflection", async () => {
    const names = await reflectionClient().listServices();
    expect(names.sort()).toEqual([
      "grpc.health.v1.Health",
      "ipfed.v1.CatalogueService",
      "ipfed.v1.ExchangeService",
      "ipfed.v1.FederationService",
      "ipfed.v1.SearchService",
    ]);
  });

  it("answers grpc.health.v1 for the server and for each service", async () => {
    const pkg = loadPackageDefinition(loadSync(healthProtoPath, { enums: String })) as GrpcObject;
    const Health = ((pkg.grpc as GrpcObject).health as GrpcObject).v1 as GrpcObject;
    const client = new (Health.Health as ServiceClientConstructor)(address, credentials.createInsecure()) as unknown as {
      Check(req: { service: string }, cb: (e: ServiceError | null, r: { status: string }) => void): void;
    };
    const check = (service: string) =>
      new Promise<{ status: string } | ServiceError>((resolve) => client.Check({ service }, (e, r) => resolve(e ?? r)));
    expect(await check("")).toEqual({ status: "SERVING" });
    expect(await check("ipfed.v1.SearchService")).toEqual({ status: "SERVING" });
    expect(((await check("ipfed.v1.Nope")) as ServiceError).code).toBe(status.NOT_FOUND);
  });
});

describe("errors cross the wire as the same IpfedError", () => {
  const Client = makeGenericClientConstructor(SearchServiceService, "ipfed.v1.SearchService");

  it("unary: code, status, field and metadata are rebuilt", async () => {
    const client = new Client(address, credentials.createInsecure()) as unknown as {
      getRecord(req: unknown, cb: (e: ServiceError | null) => void): void;
    };
    const err = await new Promise<ServiceError>((resolve) => client.getRecord(GetRecordRequest.fromPartial({ id: "US-1-A" }), (e) => resolve(e!)));
    expect(err.code).toBe(status.NOT_FOUND);
    const rebuilt = fromGrpcError(err);
    expect(rebuilt).toBeInstanceOf(IpfedError);
    expect(rebuilt.code).toBe("RECORD_NOT_FOUND");
    expect(rebuilt.field).toBe("id");
    expect(rebuilt.metadata).toEqual({ id: "US-1-A" });
    expect(rebuilt.message).toBe("no record US-1-A");
    expect(err.metadata.get("ipfed-error-code")).toEqual(["RECORD_NOT_FOUND"]);
  });

  it("server stream: messages before the error arrive, then the error with its position", async () => {
    const client = new Client(address, credentials.createInsecure()) as unknown as {
      search(req: unknown): NodeJS.ReadableStream;
    };
    const stream = client.search(SearchRequest.fromPartial({ query: "ti:(graphene" }));
    const events: unknown[] = [];
    const err = await new Promise<ServiceError>((resolve) => {
      stream.on("data", (e: unknown) => events.push(e));
      stream.on("error", (e: ServiceError) => resolve(e));
    });
    expect(events).toHaveLength(1);
    expect(err.code).toBe(status.INVALID_ARGUMENT);
    const rebuilt = fromGrpcError(err);
    expect(rebuilt.code).toBe("QUERY_SYNTAX");
    expect(rebuilt.position).toBe(13);
    expect(rebuilt.field).toBe("query");
  });

  it("a plain Error becomes INTERNAL without leaking its message", async () => {
    const Leak = makeGenericClientConstructor(
      {
        getDataset: {
          path: "/ipfed.test.Leak/GetDataset",
          requestStream: false,
          responseStream: false,
          requestSerialize: (v: GetDatasetRequest) => Buffer.from(GetDatasetRequest.encode(v).finish()),
          requestDeserialize: (b: Buffer) => GetDatasetRequest.decode(b),
          responseSerialize: (v: GetDatasetResponse) => Buffer.from(GetDatasetResponse.encode(v).finish()),
          responseDeserialize: (b: Buffer) => GetDatasetResponse.decode(b),
        },
      },
      "Leak",
    );
    const client = new Leak(address, credentials.createInsecure()) as unknown as {
      getDataset(req: unknown, cb: (e: ServiceError | null) => void): void;
    };
    const err = await new Promise<ServiceError>((resolve) => client.getDataset(GetDatasetRequest.fromPartial({ id: "x" }), (e) => resolve(e!)));
    expect(err.code).toBe(status.INTERNAL);
    expect(err.details).toBe("internal error");
    expect(fromGrpcError(err).code).toBe("INTERNAL");
  });

  it("a status without ipfed trailers gets the generic code of its status", () => {
    const e = fromGrpcError({ code: status.UNAVAILABLE, details: "connect ECONNREFUSED" });
    expect(e.code).toBe("UNAVAILABLE");
    expect(e.message).toBe("connect ECONNREFUSED");
  });
});
