import { credentials, Metadata, status } from "@grpc/grpc-js";
import type { ServiceError } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CatalogueServiceClient, GetRecordRequest, ListDatasetsRequest, MemberKind, SearchRequest, SearchServiceClient } from "@ipfed/proto";
import type { ListDatasetsResponse, SearchEvent } from "@ipfed/proto";
import type { DataSource } from "./data-source.js";
import { createMemberServer } from "./member-server.js";
import type { MemberServer } from "./member-server.js";
import type { FederatedSearcher } from "./search-service.js";
import type { MemberOutcome, RpcOutcome } from "./server-observer.js";

// A member with no data: every answer is empty, which is all the observer needs.
const emptySource: DataSource = {
  listDatasets: async () => [],
  getDataset: async () => undefined,
  listServices: async () => [],
  watchCatalogue: async function* () {},
  search: async () => ({ total: 0, hits: [], facets: [] }),
  getRecord: async () => undefined,
  scan: async () => [],
  changes: async () => [],
};

// Stands in for the federation engine: reports two member outcomes through the call's context.
const federation: FederatedSearcher = {
  async *search(req, ctx) {
    if (req.query === "hang") {
      hanging.resolve();
      // Never answers: ends when the client cancels or the deadline passes.
      await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve, { once: true }));
      return;
    }
    ctx.observe?.federation?.({ memberId: "a", status: "OK", ms: 3, hits: 2 });
    ctx.observe?.federation?.({ memberId: "b", status: "UNAVAILABLE", ms: 1, hits: 0 });
    yield { event: { $case: "done", value: { total: 0, nextCursor: "", membersAnswered: 1, membersTargeted: 2, tookMs: 3, query: "*" } } };
  },
};

/** A promise with its resolve function (Promise.withResolvers is not in Node 20). */
function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

let hanging = signal();
const rpcs: RpcOutcome[] = [];
const members: MemberOutcome[] = [];
let server: MemberServer;
let address: string;

beforeAll(async () => {
  server = createMemberServer({
    identity: { id: "m1", kind: MemberKind.MEMBER_KIND_LOCAL, region: "510000", names: [], networkId: "test", keys: () => [] },
    dataSource: emptySource,
    options: {
      federation,
      observe: {
        rpc(e) {
          rpcs.push(e);
          // A failing observer must not change any answer.
          throw new Error("observer bug");
        },
        federation: (e) => members.push(e),
      },
    },
  });
  address = await server.listen("127.0.0.1:0");
});

afterAll(async () => {
  await server.close();
});

const search = (req: Partial<SearchRequest>, md = new Metadata()): Promise<SearchEvent[]> =>
  new Promise((resolve, reject) => {
    const client = new SearchServiceClient(address, credentials.createInsecure());
    const out: SearchEvent[] = [];
    const call = client.search(SearchRequest.fromPartial(req), md);
    call.on("data", (e: SearchEvent) => out.push(e));
    call.on("error", (err) => {
      client.close();
      reject(err);
    });
    call.on("end", () => {
      client.close();
      resolve(out);
    });
  });

/** Waits for the outcome of the nth call: the status reaches the client before the hook may run. */
async function nth(n: number): Promise<RpcOutcome> {
  for (let i = 0; i < 1000 && rpcs.length < n; i++) await new Promise((r) => setTimeout(r, 10));
  return rpcs[n - 1]!;
}

describe("MemberServerOptions.observe", () => {
  it("reports a streamed Search with its service, method, status and messages sent", async () => {
    const events = await search({ query: "ti:graphene" });
    expect(events).toHaveLength(1);
    expect(await nth(1)).toMatchObject({ service: "ipfed.v1.SearchService", method: "Search", code: "OK", streamed: 1 });
    expect(rpcs[0]!.errorCode).toBeUndefined();
  });

  it("reports a unary answer and a failed call with its ipfed error code", async () => {
    const catalogue = new CatalogueServiceClient(address, credentials.createInsecure());
    const res = await new Promise<ListDatasetsResponse>((resolve, reject) =>
      catalogue.listDatasets(ListDatasetsRequest.fromPartial({}), (err, r) => (err ? reject(err) : resolve(r))),
    );
    catalogue.close();
    expect(res.datasets).toEqual([]);
    expect(await nth(2)).toMatchObject({ service: "ipfed.v1.CatalogueService", method: "ListDatasets", code: "OK", streamed: 1 });

    const client = new SearchServiceClient(address, credentials.createInsecure());
    const err = await new Promise<ServiceError>((resolve) => client.getRecord(GetRecordRequest.fromPartial({ id: "CN-1-A" }), (e) => resolve(e!)));
    client.close();
    expect(err.code).toBe(status.NOT_FOUND);
    expect(await nth(3)).toMatchObject({ service: "ipfed.v1.SearchService", method: "GetRecord", code: "NOT_FOUND", errorCode: "RECORD_NOT_FOUND", streamed: 0 });
  });

  it("reports a call the auth interceptor refused", async () => {
    const md = new Metadata();
    md.set("authorization", "Bearer not-a-token");
    await expect(search({ query: "*" }, md)).rejects.toMatchObject({ code: status.UNAUTHENTICATED });
    expect(await nth(4)).toMatchObject({ method: "Search", code: "UNAUTHENTICATED", errorCode: "TOKEN_ISSUER_UNKNOWN", streamed: 0 });
  });

  it("hands the observer to the federation engine through the call's context", async () => {
    await search({ query: "*", federate: true });
    expect(members).toEqual([
      { memberId: "a", status: "OK", ms: 3, hits: 2 },
      { memberId: "b", status: "UNAVAILABLE", ms: 1, hits: 0 },
    ]);
    expect(await nth(5)).toMatchObject({ method: "Search", code: "OK", streamed: 1 });
    expect(rpcs).toHaveLength(5);
  });

  it("reports a call the client cancelled, and one whose deadline passed", async () => {
    const client = new SearchServiceClient(address, credentials.createInsecure());
    const call = client.search(SearchRequest.fromPartial({ query: "hang", federate: true }));
    const cancelled = new Promise<ServiceError>((resolve) => call.on("error", resolve));
    // Cancelled once the server is inside the call, so that it has a call to end.
    await hanging.promise;
    call.cancel();
    expect((await cancelled).code).toBe(status.CANCELLED);
    expect(await nth(6)).toMatchObject({ method: "Search", code: "CANCELLED", streamed: 0 });

    hanging = signal();
    const late = client.search(SearchRequest.fromPartial({ query: "hang", federate: true }), new Metadata(), { deadline: Date.now() + 200 });
    const exceeded = await new Promise<ServiceError>((resolve) => late.on("error", resolve));
    client.close();
    expect(exceeded.code).toBe(status.DEADLINE_EXCEEDED);
    expect(await nth(7)).toMatchObject({ method: "Search", code: "DEADLINE_EXCEEDED", streamed: 0 });
    expect(rpcs).toHaveLength(7);
  });
});
