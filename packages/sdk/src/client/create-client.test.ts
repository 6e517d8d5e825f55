import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CatalogueChange,
  CatalogueServiceService,
  ChangeType,
  ExchangeServiceService,
  FederationServiceService,
  Record as RecordMessage,
  SearchServiceService,
} from "@ipfed/proto";
import type { Change, ExportRequest, ExportResponse, HarvestRequest, PublishRequest, SearchEvent, SearchRequest, WatchCatalogueResponse } from "@ipfed/proto";
import { IpfedError } from "../errors/ipfed-error.js";
import { createGrpcServer } from "../server/grpc-server.js";
import type { GrpcServer } from "../server/grpc-server.js";
import { clientStream, serverStream, unary } from "../server/handlers.js";
import type { CallContext } from "../server/handlers.js";
import { createClient } from "./create-client.js";
import type { IpfedClient } from "./create-client.js";
import type { RetryEvent } from "./retry.js";

// A member in this process whose handlers fail on purpose, so that the client's retry,
// resume, token and cancellation rules are checked exactly, with no process to kill.
const IDS = Array.from({ length: 10 }, (_, i) => `CN-${100000 + i}-A`);
const jwt = (name: string, expInSeconds: number) =>
  `eyJhbGciOiJFZERTQSJ9.${Buffer.from(JSON.stringify({ sub: name, exp: Math.floor(Date.now() / 1000) + expInSeconds })).toString("base64url")}.c2ln`;
const subjectOf = (ctx: CallContext): string => {
  const auth = String(ctx.call.metadata.get("authorization")[0] ?? "");
  const payload = auth.replace(/^Bearer /, "").split(".")[1];
  return payload ? (JSON.parse(Buffer.from(payload, "base64url").toString()) as { sub: string }).sub : "";
};
/** The IpfedError a promise rejects with. */
async function failure(promise: Promise<unknown>): Promise<IpfedError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(IpfedError);
  return err as IpfedError;
}
const never = (ctx: CallContext) => new Promise<never>((_, reject) => ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason)));

const counts = { listDatasets: 0, listServices: 0, search: 0, export: 0, publish: 0 };
const exportCursors: string[] = [];
let failListDatasets = 0;
let grpc: GrpcServer;
let address: string;
const clients: IpfedClient[] = [];

function client(options: Omit<Parameters<typeof createClient>[0], "endpoint"> = {}): IpfedClient {
  const c = createClient({ endpoint: address, retry: { initialBackoffMs: 5, maxBackoffMs: 20 }, ...options });
  clients.push(c);
  return c;
}

beforeAll(async () => {
  grpc = createGrpcServer();
  grpc.addService("ipfed.v1.CatalogueService", CatalogueServiceService, {
    listDatasets: unary(async () => {
      counts.listDatasets++;
      if (failListDatasets-- > 0) throw new IpfedError("UNAVAILABLE", "starting up");
      return { datasets: [], nextPageToken: "" };
    }),
    getDataset: unary(async (_req, ctx) => never(ctx)),
    listServices: unary(async (_req, ctx) => {
      counts.listServices++;
      const sub = subjectOf(ctx);
      if (sub.startsWith("stale")) throw new IpfedError("TOKEN_EXPIRED", "the token has expired");
      return { services: [{ id: sub, names: [], descriptions: [], channels: [], hours: "", memberId: "m" }] };
    }),
    watchCatalogue: serverStream(async function* (_req, ctx): AsyncGenerator<WatchCatalogueResponse> {
      yield { change: CatalogueChange.CATALOGUE_CHANGE_UPSERTED, version: 1 };
      await never(ctx);
    }),
  });
  grpc.addService("ipfed.v1.SearchService", SearchServiceService, {
    search: serverStream(async function* (req: SearchRequest, ctx): AsyncGenerator<SearchEvent> {
      const n = ++counts.search;
      if (req.query === "unavailable-at-first" && n % 2 === 1) throw new IpfedError("UNAVAILABLE", "starting up");
      if (req.query === "slow") await never(ctx);
      yield { event: { $case: "hit", value: { score: 1, holders: ["m"], rank: 1 } } };
      if (req.query === "unavailable-after-a-hit") throw new IpfedError("UNAVAILABLE", "went away");
      yield { event: { $case: "done", value: { total: 1, nextCursor: "", membersAnswered: 1, membersTargeted: 1, tookMs: 0, query: req.query } } };
    }),
    getRecord: unary(async () => {
      throw new IpfedError("RECORD_NOT_FOUND", "no record");
    }),
  });
  grpc.addService("ipfed.v1.ExchangeService", ExchangeServiceService, {
    // Two records a batch; the first export of each test breaks off after two batches.
    export: serverStream(async function* (req: ExportRequest): AsyncGenerator<ExportResponse> {
      const n = ++counts.export;
      exportCursors.push(req.cursor);
      let at = req.cursor ? Number(req.cursor) : 0;
      for (let sent = 0; at < IDS.length; sent++) {
        if (n === 1 && sent === 2) throw new IpfedError("UNAVAILABLE", "connection dropped");
        const ids = IDS.slice(at, at + 2);
        at += ids.length;
        yield { records: ids.map((id) => RecordMessage.fromPartial({ id })), cursor: String(at), total: IDS.length, last: at >= IDS.length };
      }
    }),
    harvest: unary(async (req: HarvestRequest) => {
      const at = req.cursor ? Number(req.cursor) : 0;
      const changes: Change[] = IDS.slice(at, at + 3).map((id, i) => ({ type: ChangeType.CHANGE_TYPE_UPSERT, recordId: id, sequence: at + i + 1 }));
      return { changes, nextCursor: String(at + changes.length), hasMore: at + changes.length < IDS.length };
    }),
    publish: clientStream(async (items: AsyncIterable<PublishRequest>) => {
      counts.publish++;
      for await (const item of items) void item;
      throw new IpfedError("UNAVAILABLE", "store is busy");
    }),
  });
  grpc.addService("ipfed.v1.FederationService", FederationServiceService, {
    register: unary(async () => ({ state: 0, message: "" })),
    heartbeat: unary(async () => ({ configVersion: 0, intervalSeconds: 0 })),
    listMembers: unary(async () => ({ members: [] })),
    getNetworkConfig: unary(async () => ({ signed: "", notModified: true })),
    getKeys: unary(async () => ({ keys: [], jwks: '{"keys":[]}' })),
  });
  address = await grpc.listen("127.0.0.1:0");
});

afterAll(async () => {
  for (const c of clients) c.close();
  await grpc?.close();
});

describe("retries", () => {
  it("retries a unary call on UNAVAILABLE with backoff, and stops after maxAttempts", async () => {
    const events: RetryEvent[] = [];
    const c = client({ retry: { initialBackoffMs: 5, maxBackoffMs: 20, onRetry: (e) => events.push(e) } });
    failListDatasets = 2;
    counts.listDatasets = 0;
    expect(await c.catalogue.list()).toEqual([]);
    expect(counts.listDatasets).toBe(3);
    expect(events.map((e) => [e.attempt, e.error.code, e.error.message])).toEqual([
      [1, "UNAVAILABLE", "starting up"],
      [2, "UNAVAILABLE", "starting up"],
    ]);
    failListDatasets = 10;
    counts.listDatasets = 0;
    const err = await failure(c.catalogue.list());
    expect([err.code, counts.listDatasets]).toEqual(["UNAVAILABLE", 4]);
    failListDatasets = 0;
    counts.listDatasets = 0;
    failListDatasets = 1;
    await expect(client({ retry: false }).catalogue.list()).rejects.toMatchObject({ code: "UNAVAILABLE" });
    expect(counts.listDatasets).toBe(1);
    failListDatasets = 0;
  });

  it("retries a server stream before its first message, never after it", async () => {
    const c = client();
    counts.search = 0;
    expect((await c.searchAll("unavailable-at-first")).done.total).toBe(1);
    expect(counts.search).toBe(2);
    counts.search = 0;
    const seen: string[] = [];
    const err = await failure(
      (async () => {
        for await (const e of c.search("unavailable-after-a-hit")) seen.push(e.event!.$case);
      })(),
    );
    expect([seen, err.code, counts.search]).toEqual([["hit"], "UNAVAILABLE", 1]);
  });

  it("resumes an export from the last batch's cursor", async () => {
    const events: RetryEvent[] = [];
    const c = client({ retry: { initialBackoffMs: 5, maxBackoffMs: 20, onRetry: (e) => events.push(e) } });
    counts.export = 0;
    exportCursors.length = 0;
    const batches: ExportResponse[] = [];
    for await (const b of c.export({ datasetId: "cn" })) batches.push(b);
    expect(batches.flatMap((b) => b.records.map((r) => r.id))).toEqual(IDS);
    expect(batches.at(-1)!.last).toBe(true);
    expect(exportCursors).toEqual(["", "4"]);
    expect(events.map((e) => [e.method, e.attempt])).toEqual([["/ipfed.v1.ExchangeService/Export", 1]]);
    // With retries off, the break shows.
    counts.export = 0;
    const ids: string[] = [];
    const err = await failure(
      (async () => {
        for await (const b of client({ retry: false }).export({ datasetId: "cn" })) ids.push(...b.records.map((r) => r.id));
      })(),
    );
    expect([ids.length, err.code]).toEqual([4, "UNAVAILABLE"]);
  });

  it("never retries publish", async () => {
    counts.publish = 0;
    const err = await failure(client().publish("cn", [{ deleteId: IDS[0]! }, { deleteId: IDS[1]! }]));
    expect([err.code, err.message, counts.publish]).toEqual(["UNAVAILABLE", "store is busy", 1]);
  });
});

describe("tokens", () => {
  it("sends the token as a bearer, and fetches a new one once when the member finds it expired", async () => {
    expect((await client({ token: jwt("alice", 3600) }).catalogue.services())[0]!.id).toBe("alice");
    let calls = 0;
    const c = client({ tokenProvider: () => jwt(++calls === 1 ? "stale" : "fresh", 3600) });
    counts.listServices = 0;
    expect((await c.catalogue.services())[0]!.id).toBe("fresh");
    expect([calls, counts.listServices]).toEqual([2, 2]);
    // Without a provider there is nothing to refresh with.
    await expect(client({ token: jwt("stale", 3600) }).catalogue.services()).rejects.toMatchObject({ code: "TOKEN_EXPIRED" });
  });
});

describe("cancellation and deadlines", () => {
  it("a deadline ends a unary call and a stream with DEADLINE_EXCEEDED", async () => {
    const c = client({ deadlineMs: 50 });
    await expect(c.catalogue.get("cn")).rejects.toMatchObject({ code: "DEADLINE_EXCEEDED" });
    await expect(c.searchAll("slow")).rejects.toMatchObject({ code: "DEADLINE_EXCEEDED" });
    // AbortSignal.timeout() as the call's signal reads as a deadline too.
    await expect(client().catalogue.get("cn", { signal: AbortSignal.timeout(30) })).rejects.toMatchObject({ code: "DEADLINE_EXCEEDED" });
  });

  it("the long streams have no deadline of their own; the signal ends them", async () => {
    const c = client({ deadlineMs: 50 });
    const ac = new AbortController();
    const versions: number[] = [];
    setTimeout(() => ac.abort(), 200);
    const err = await failure(
      (async () => {
        for await (const e of c.catalogue.watch({}, { signal: ac.signal })) versions.push(e.version);
      })(),
    );
    expect([versions, err.code]).toEqual([[1], "CANCELLED"]);
  });

  it("a publish whose items fail is cancelled with the items' error", async () => {
    async function* items() {
      yield { deleteId: IDS[0]! };
      throw new IpfedError("RECORD_INVALID", "record 2 is broken", { field: "items[1]" });
    }
    await expect(client().publish("cn", items())).rejects.toMatchObject({ code: "RECORD_INVALID", field: "items[1]" });
    async function* plain() {
      yield { deleteId: IDS[0]! };
      throw new Error("disk read failed");
    }
    await expect(client().publish("cn", plain())).rejects.toMatchObject({ code: "CANCELLED", message: "the call was cancelled: its request items failed: disk read failed" });
    await expect(client().publish("cn", [{} as { deleteId: string }])).rejects.toMatchObject({ code: "INVALID_ARGUMENT", field: "items[0]" });
  });
});

describe("the rest of the surface", () => {
  it("harvestAll follows pages and keeps the cursor; federation calls answer", async () => {
    const c = client();
    const changes = c.harvestAll({ datasetId: "cn", cursor: "2" });
    const ids: string[] = [];
    for await (const x of changes) ids.push(x.recordId);
    expect([ids, changes.cursor]).toEqual([IDS.slice(2), "10"]);
    await expect((async () => {
      for await (const x of changes) void x;
    })()).rejects.toMatchObject({ code: "FAILED_PRECONDITION" });
    expect(await c.federation.members()).toEqual([]);
    expect((await c.federation.config(3)).notModified).toBe(true);
    expect((await c.federation.keys()).jwks).toBe('{"keys":[]}');
    await expect(c.getRecord("CN-1-A")).rejects.toMatchObject({ code: "RECORD_NOT_FOUND" });
  });

  it("an error's stack ends with the caller's, starting at the function that made the call", async () => {
    const c = client();
    async function loadRecord() {
      return c.getRecord("CN-1-A");
    }
    const err = await failure(loadRecord());
    const [own, caller] = err.stack!.split("\nfor call at (caller)\n") as [string, string];
    expect(own).toMatch(/^IpfedError: no record\n/);
    expect(caller.split("\n")[0]).toMatch(/^ {4}at loadRecord \(.*create-client\.test\.ts:\d+:\d+\)$/);
    // The caller's stack is appended once.
    expect(err.stack!.split("for call at").length).toBe(2);
  });
});
