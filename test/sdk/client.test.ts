import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateCorpus } from "@ipfed/corpus";
import { CatalogueChange, ChangeType, PublishStatus, Record as RecordMessage, RecordKind } from "@ipfed/proto";
import type { ExportResponse, WatchCatalogueResponse } from "@ipfed/proto";
import { IpfedError } from "@ipfed/sdk";
import { createClient } from "../../packages/sdk/src/client/create-client.js";
import type { IpfedClient } from "../../packages/sdk/src/client/create-client.js";
import type { ClientOptions } from "../../packages/sdk/src/client/client-options.js";
import type { PublishItemInit } from "../../packages/sdk/src/client/exchange-client.js";
import type { RetryEvent } from "../../packages/sdk/src/client/retry.js";
import { initNode, ipfed, IPFED_BIN, issueToken, startNode, tempDir } from "../helpers/node-process.js";
import type { RunningNode } from "../helpers/node-process.js";

const MEMBER = "sdk-node";
const CN_SIZE = 300;
const TM_SIZE = 40;
const cn = [...generateCorpus({ size: CN_SIZE, seed: 3, datasetId: "cn" })];
const tm = [...generateCorpus({ size: TM_SIZE, startIndex: CN_SIZE, seed: 3, datasetId: "tm" })];

/** A member's directory, with `cn` (300 records) and `tm` (40) imported and one public service. */
async function memberWithData(id: string): Promise<{ path: string; remove(): Promise<void> }> {
  const dir = await tempDir("ipfed-sdk-client-");
  await initNode(dir.path, { id, kind: "regional", region: "510000" });
  for (const [dataset, records] of [["cn", cn], ["tm", tm]] as const) {
    const file = join(dir.path, `${dataset}.jsonl`);
    await writeFile(file, records.map((r) => JSON.stringify(RecordMessage.toJSON(r))).join("\n") + "\n");
    const r = await ipfed(["import", "--dir", dir.path, "--dataset", dataset, "--json", file]);
    expect(r.code, r.stderr).toBe(0);
  }
  const svc = await ipfed([
    "services", "set", "--dir", dir.path, "--service", "search-desk", "--name-en", "Patent search desk",
    "--channels", "onsite,online", "--hours", "Mon-Fri 09:00-17:00",
  ]);
  expect(svc.code, svc.stderr).toBe(0);
  return dir;
}

/**
 * Starts the node in `dir` on a given gRPC address (the one it had before a restart). The
 * shared `startNode` always takes a free port.
 */
async function startOn(dir: string, grpc: string): Promise<RunningNode> {
  const proc = spawn(process.execPath, [IPFED_BIN, "node", "start", "--dir", dir, "--listen", grpc, "--http", "127.0.0.1:0"], {
    env: { ...process.env, IPFED_LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  proc.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((res) => proc.once("exit", (code) => res(code)));
  const logs: Record<string, unknown>[] = [];
  const ready = await new Promise<Record<string, unknown>>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`node did not become ready in 30 s; stderr: ${stderr}`)), 30_000);
    createInterface({ input: proc.stdout! }).on("line", (line) => {
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        logs.push(entry);
        if (entry.msg === "node ready") {
          clearTimeout(timer);
          res(entry);
        }
      } catch {
        // not a log line
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      rej(new Error(`node exited with ${code} before it was ready; stderr: ${stderr}`));
    });
  });
  return {
    proc,
    grpc: String(ready.grpc),
    http: String(ready.http),
    logs,
    async stop(signal = "SIGTERM") {
      if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode;
      proc.kill(signal);
      return exited;
    },
  };
}

/** The IpfedError a promise rejects with (fails the test when it resolves). */
async function failure(promise: Promise<unknown>): Promise<IpfedError> {
  const outcome = await promise.then(
    (value) => ({ value }),
    (err: unknown) => ({ err }),
  );
  if (!("err" in outcome)) throw new Error(`expected a failure, got ${JSON.stringify(outcome.value)}`);
  expect(outcome.err).toBeInstanceOf(IpfedError);
  return outcome.err as IpfedError;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let dir: { path: string; remove(): Promise<void> };
let node: RunningNode;
let token: string;
const clients: IpfedClient[] = [];
/** A client of the main node; closed after all tests. */
function client(options: Partial<ClientOptions> = {}): IpfedClient {
  const c = createClient({ endpoint: node.grpc, token, ...options });
  clients.push(c);
  return c;
}

beforeAll(async () => {
  dir = await memberWithData(MEMBER);
  node = await startNode(dir.path);
  token = await issueToken(dir.path);
}, 120_000);

afterAll(async () => {
  for (const c of clients) c.close();
  await node?.stop();
  await dir?.remove();
});

describe("catalogue", () => {
  it("lists every dataset across pages, one page, one dataset, the services", async () => {
    const c = client();
    const all = await c.catalogue.list();
    expect(all.map((d) => [d.id, d.recordCount, d.publisher])).toEqual([
      ["cn", CN_SIZE, MEMBER],
      ["tm", TM_SIZE, MEMBER],
    ]);
    const first = await c.catalogue.listPage({ pageSize: 1 });
    expect(first.datasets.map((d) => d.id)).toEqual(["cn"]);
    expect(first.nextPageToken).not.toBe("");
    const second = await c.catalogue.listPage({ pageSize: 1, pageToken: first.nextPageToken });
    expect([second.datasets.map((d) => d.id), second.nextPageToken]).toEqual([["tm"], ""]);
    // One dataset per page: list() follows the tokens to the end.
    expect((await c.catalogue.list({ pageSize: 1 })).map((d) => d.id)).toEqual(["cn", "tm"]);

    const ds = await c.catalogue.get("tm");
    expect([ds.id, ds.recordCount, ds.version > 0]).toEqual(["tm", TM_SIZE, true]);
    expect((await failure(c.catalogue.get("nope"))).code).toBe("DATASET_NOT_FOUND");

    const services = await c.catalogue.services();
    expect(services.map((s) => [s.id, s.memberId, s.hours, s.channels])).toEqual([["search-desk", MEMBER, "Mon-Fri 09:00-17:00", ["onsite", "online"]]]);
  });

  it("watch replays the catalogue's changes, and leaving the loop ends the call", async () => {
    const c = client();
    const events: WatchCatalogueResponse[] = [];
    // The replay is the catalogue's history, in version order: the datasets as they were
    // imported, then the service.
    for await (const e of c.catalogue.watch({ sinceVersion: 0 })) {
      events.push(e);
      if (e.entry?.$case === "service") break;
    }
    const versions = events.map((e) => e.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(events.every((e) => e.change === CatalogueChange.CATALOGUE_CHANGE_UPSERTED)).toBe(true);
    const latest = new Map(events.flatMap((e) => (e.entry?.$case === "dataset" ? [[e.entry.value.id, e.entry.value.recordCount] as const] : [])));
    expect([...latest]).toEqual([
      ["cn", CN_SIZE],
      ["tm", TM_SIZE],
    ]);
    expect(events.at(-1)!.entry?.value.id).toBe("search-desk");
    // From the last version there is nothing to replay: the watch waits until its signal aborts.
    const ac = new AbortController();
    const seen: WatchCatalogueResponse[] = [];
    setTimeout(() => ac.abort(), 300);
    const err = await failure(
      (async () => {
        for await (const e of c.catalogue.watch({ sinceVersion: versions.at(-1)! }, { signal: ac.signal })) seen.push(e);
      })(),
    );
    expect(err.code).toBe("CANCELLED");
    expect(seen).toEqual([]);
  });
});

describe("search and records", () => {
  it("search streams hits then done; searchAll collects hits, facets and done", async () => {
    const c = client();
    const events = [];
    for await (const e of c.search({ query: "ds:cn", pageSize: 7 })) events.push(e);
    expect(events.map((e) => e.event?.$case)).toEqual([...Array<string>(7).fill("hit"), "done"]);
    const last = events[7]!.event;
    expect(last?.$case === "done" && last.value.total).toBe(CN_SIZE);

    const all = await c.searchAll({ query: "ds:cn", pageSize: 50, facets: ["kind"] });
    expect(all.hits).toHaveLength(50);
    expect(all.hits.map((h) => h.rank)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(new Set(all.hits.map((h) => h.record!.datasetId))).toEqual(new Set(["cn"]));
    expect(all.done.total).toBe(CN_SIZE);
    expect(all.done.nextCursor).not.toBe("");
    expect(all.memberStatuses).toEqual([]);
    const kinds = all.facets.find((f) => f.name === "kind")!;
    expect(kinds.buckets.reduce((n, b) => n + b.count, 0)).toBe(CN_SIZE);

    const byString = await c.searchAll("ds:tm");
    expect([byString.hits.length, byString.done.total]).toEqual([20, TM_SIZE]);
  });

  it("getRecord returns the record and its holders; a missing one is RECORD_NOT_FOUND", async () => {
    const c = client();
    const want = cn[42]!;
    const res = await c.getRecord(want.id);
    expect(res.record?.id).toBe(want.id);
    expect(res.record?.titles).toEqual(want.titles);
    expect(res.record?.datasetId).toBe("cn");
    expect(res.holders).toContain(MEMBER);
    expect((await c.getRecord(want.id, { datasetId: "cn" })).record?.id).toBe(want.id);
    const missing = await failure(c.getRecord("CN-1-A"));
    expect(missing.code).toBe("RECORD_NOT_FOUND");
  });
});

describe("export, harvest, publish", () => {
  it("export batches add up to the dataset", async () => {
    const c = client();
    const batches: ExportResponse[] = [];
    for await (const b of c.export({ datasetId: "cn", batchSize: 64 })) batches.push(b);
    expect(batches.map((b) => b.records.length)).toEqual([64, 64, 64, 64, 44]);
    expect(batches.map((b) => b.last)).toEqual([false, false, false, false, true]);
    expect(batches.every((b) => b.total === CN_SIZE && b.cursor !== "")).toBe(true);
    const ids = batches.flatMap((b) => b.records.map((r) => r.id));
    expect(ids).toEqual(cn.map((r) => r.id).sort());
    // Resuming after a batch's cursor gives the rest.
    const rest: string[] = [];
    for await (const b of c.export({ datasetId: "cn", cursor: batches[2]!.cursor, batchSize: 100 })) rest.push(...b.records.map((r) => r.id));
    expect(rest).toEqual(ids.slice(192));
  });

  it("harvestAll sees every change, then a deletion and a record published through publish", async () => {
    const c = client();
    const page = await c.harvest({ datasetId: "tm", limit: 15 });
    expect([page.changes.length, page.hasMore]).toEqual([15, true]);

    const before = c.harvestAll({ datasetId: "tm", limit: 15 });
    const changes = [];
    for await (const change of before) changes.push(change);
    expect(changes).toHaveLength(TM_SIZE);
    expect(changes.every((x) => x.type === ChangeType.CHANGE_TYPE_UPSERT)).toBe(true);
    expect(changes.map((x) => x.recordId).sort()).toEqual(tm.map((r) => r.id).sort());
    expect(before.cursor).not.toBe("");

    const gone = tm[0]!.id;
    const added: PublishItemInit = {
      record: { id: "CN-209999001-U", kind: RecordKind.RECORD_KIND_UTILITY_MODEL, country: "CN", publicationDate: "2023-05-06", titles: [{ lang: "zh", text: "茶叶采摘机器人" }] },
    };
    async function* items(): AsyncGenerator<PublishItemInit> {
      yield { deleteId: gone };
      yield added;
      yield { record: { id: "not an id", kind: RecordKind.RECORD_KIND_PATENT } };
    }
    const published = await c.publish("tm", items());
    expect([published.deleted, published.created, published.rejected]).toEqual([1, 1, 1]);
    expect(published.results.map((r) => [r.index, r.status])).toEqual([
      [0, PublishStatus.PUBLISH_STATUS_DELETED],
      [1, PublishStatus.PUBLISH_STATUS_CREATED],
      [2, PublishStatus.PUBLISH_STATUS_REJECTED],
    ]);
    expect(published.results[2]!.errorCode).toBe("RECORD_INVALID");

    const after = c.harvestAll({ datasetId: "tm", cursor: before.cursor });
    const next = [];
    for await (const change of after) next.push(change);
    expect(next.map((x) => [x.type, x.recordId])).toEqual([
      [ChangeType.CHANGE_TYPE_DELETE, gone],
      [ChangeType.CHANGE_TYPE_UPSERT, "CN-209999001-U"],
    ]);
    expect(next[1]!.record?.titles).toEqual([{ lang: "zh", text: "茶叶采摘机器人" }]);
    expect(after.cursor).not.toBe(before.cursor);
    // A plain array publishes too; nothing left to change answers UNCHANGED.
    const again = await c.publish("tm", [added]);
    expect([again.unchanged, again.created]).toEqual([1, 0]);
    expect((await c.catalogue.get("tm")).recordCount).toBe(TM_SIZE);
  });
});

describe("federation", () => {
  it("members, keys, and the network configuration (which only a hub serves)", async () => {
    const c = client();
    const members = await c.federation.members();
    expect(members.map((m) => [m.id, m.region])).toEqual([[MEMBER, "510000"]]);
    expect(members[0]!.endpoints.map((e) => e.address)).toContain(node.grpc);
    const keys = await c.federation.keys();
    expect(keys.keys.length).toBeGreaterThan(0);
    expect(keys.keys[0]).toMatchObject({ alg: "EdDSA", crv: "Ed25519" });
    const jwks = JSON.parse(keys.jwks) as { keys: { kid: string }[] };
    expect(jwks.keys.map((k) => k.kid)).toEqual(keys.keys.map((k) => k.kid));
    const config = await failure(c.federation.config());
    expect(config.code).toBe("UNIMPLEMENTED");
    expect(config.message).toContain("not a hub");
  });
});

describe("errors", () => {
  it("a syntax error is QUERY_SYNTAX with its position, and the stack leads to this file", async () => {
    const c = client();
    const err = await failure(c.searchAll("ti:(graphene OR battery"));
    expect(err.code).toBe("QUERY_SYNTAX");
    expect(err.position).toBe(24);
    expect(err.stack).toContain("for call at (caller)");
    const callerPart = err.stack!.split("for call at (caller)")[1]!;
    expect(callerPart).toContain("client.test.ts");
    expect(callerPart).not.toContain("rpc-invoker");
    // The same from the stream form, caught in the loop.
    let streamed: unknown;
    try {
      for await (const e of c.search("ti:(graphene")) void e;
    } catch (e) {
      streamed = e;
    }
    expect(streamed).toBeInstanceOf(IpfedError);
    expect((streamed as IpfedError).code).toBe("QUERY_SYNTAX");
    expect((streamed as IpfedError).stack).toContain("client.test.ts");
  });

  it("a bad token is TOKEN_MALFORMED or TOKEN_SIGNATURE_INVALID; a missing scope is SCOPE_MISSING", async () => {
    expect((await failure(client({ token: "not-a-token" }).catalogue.list())).code).toBe("TOKEN_MALFORMED");
    const [h, p, s] = token.split(".") as [string, string, string];
    const forged = `${h}.${p}.${s.slice(0, -4)}${s.slice(-4) === "AAAA" ? "BBBB" : "AAAA"}`;
    expect((await failure(client({ token: forged }).catalogue.list())).code).toBe("TOKEN_SIGNATURE_INVALID");
    const readOnly = client({ token: await issueToken(dir.path, { scope: "read" }) });
    expect((await readOnly.catalogue.list()).length).toBe(2);
    const denied = await failure(readOnly.searchAll("ds:cn"));
    expect([denied.code, denied.status]).toEqual(["SCOPE_MISSING", 7]);
    const noExport = await failure(readOnly.harvest({ datasetId: "cn" }));
    expect(noExport.code).toBe("SCOPE_MISSING");
    // Metadata of the call replaces the client's token.
    const asAdmin = await readOnly.searchAll("ds:tm", { metadata: { authorization: `Bearer ${token}` } });
    expect(asAdmin.done.total).toBeGreaterThan(0);
  });

  it("aborting mid-stream is CANCELLED, and so is aborting the client's signal", async () => {
    const c = client();
    const ac = new AbortController();
    let batches = 0;
    const err = await failure(
      (async () => {
        for await (const b of c.export({ datasetId: "cn", batchSize: 10 }, { signal: ac.signal })) {
          expect(b.records).toHaveLength(10);
          if (++batches === 2) ac.abort();
        }
      })(),
    );
    expect(err.code).toBe("CANCELLED");
    expect(batches).toBe(2);
    expect(err.stack).toContain("client.test.ts");
    // A signal aborted before the call.
    expect((await failure(c.catalogue.list(undefined, { signal: AbortSignal.abort() }))).code).toBe("CANCELLED");

    const clientWide = new AbortController();
    const cw = client({ signal: clientWide.signal });
    expect((await cw.catalogue.list()).length).toBe(2);
    const pending = cw.searchAll("ds:cn");
    clientWide.abort(new Error("shutting down"));
    const cancelled = await failure(pending);
    expect(cancelled.code).toBe("CANCELLED");
    expect(cancelled.message).toContain("shutting down");
    expect((await failure(cw.catalogue.services())).code).toBe("CANCELLED");
  });

  it("close() cancels calls in flight; later calls are FAILED_PRECONDITION", async () => {
    const c = createClient({ endpoint: node.grpc, token });
    await c.catalogue.list();
    const inFlight = c.searchAll("ds:cn");
    c.close();
    expect((await failure(inFlight)).code).toBe("CANCELLED");
    expect((await failure(c.catalogue.list())).code).toBe("FAILED_PRECONDITION");
    c.close();
  });

  it("options are checked when the client is made", () => {
    expect(() => createClient({ endpoint: "no-port" })).toThrow(IpfedError);
    expect(() => createClient({ endpoint: "127.0.0.1:1", retry: { maxAttempts: 0 } })).toThrow(/maxAttempts/);
    expect(() => createClient({ endpoint: "127.0.0.1:1", deadlineMs: 0 })).toThrow(/deadlineMs/);
  });
});

describe("deadlines against a slow member", () => {
  let slowDir: { path: string; remove(): Promise<void> };
  let slow: RunningNode;
  let slowToken: string;
  beforeAll(async () => {
    slowDir = await memberWithData("slow-node");
    slow = await startNode(slowDir.path, { IPFED_TEST_SEARCH_DELAY_MS: "500" });
    slowToken = await issueToken(slowDir.path);
  }, 120_000);
  afterAll(async () => {
    await slow?.stop();
    await slowDir?.remove();
  });

  it("a tiny deadline is DEADLINE_EXCEEDED, not retried; a generous one succeeds", async () => {
    const retries: RetryEvent[] = [];
    const c = createClient({ endpoint: slow.grpc, token: slowToken, retry: { onRetry: (e) => retries.push(e) } });
    clients.push(c);
    await c.catalogue.list(); // connected
    const started = Date.now();
    const err = await failure(c.searchAll("ds:cn", { deadlineMs: 100 }));
    expect(err.code).toBe("DEADLINE_EXCEEDED");
    expect(Date.now() - started).toBeLessThan(450);
    expect(err.stack).toContain("client.test.ts");
    // The client's default deadline applies the same way.
    const hasty = createClient({ endpoint: slow.grpc, token: slowToken, deadlineMs: 150 });
    clients.push(hasty);
    expect((await failure(hasty.searchAll("ds:cn"))).code).toBe("DEADLINE_EXCEEDED");
    expect((await c.searchAll("ds:cn", { deadlineMs: 5000 })).done.total).toBe(CN_SIZE);
    expect(retries).toEqual([]);
  });
});

describe("tokens from a provider", () => {
  it("asks once for calls made together, and again when the token nears expiry", async () => {
    let calls = 0;
    const c = client({
      token: undefined,
      refreshBeforeSeconds: 1,
      tokenProvider: async () => {
        calls++;
        return issueToken(dir.path, { extra: ["--ttl", "2s"] });
      },
    });
    const lists = await Promise.all([c.catalogue.list(), c.catalogue.list(), c.catalogue.services()]);
    expect(lists.map((l) => l.length)).toEqual([2, 2, 1]);
    expect(calls).toBe(1);
    await sleep(2100); // past exp: the token has expired (the member would still allow its skew)
    expect((await c.searchAll("ds:tm")).done.total).toBe(TM_SIZE);
    expect(calls).toBe(2);
  });

  it("keeps a long-lived token, and reports a failing provider as TOKEN_MISSING", async () => {
    let calls = 0;
    const c = client({ token: undefined, tokenProvider: () => (calls++, issueToken(dir.path, { extra: ["--ttl", "1h"] })) });
    for (let i = 0; i < 3; i++) await c.catalogue.list();
    expect(calls).toBe(1);
    const broken = client({ token: undefined, tokenProvider: () => Promise.reject(new Error("vault unreachable")) });
    const err = await failure(broken.catalogue.list());
    expect([err.code, err.message]).toEqual(["TOKEN_MISSING", "the token provider failed: vault unreachable"]);
  });
});

describe("a member that restarts", () => {
  let restartDir: { path: string; remove(): Promise<void> };
  let member: RunningNode;
  let memberToken: string;
  beforeAll(async () => {
    restartDir = await memberWithData("restarting-node");
    member = await startNode(restartDir.path);
    memberToken = await issueToken(restartDir.path);
  }, 120_000);
  afterAll(async () => {
    await member?.stop();
    await restartDir?.remove();
  });

  it("catalogue.list succeeds through retries while the member restarts on the same port", async () => {
    const retries: RetryEvent[] = [];
    const c = createClient({
      endpoint: member.grpc,
      token: memberToken,
      retry: { maxAttempts: 40, initialBackoffMs: 100, maxBackoffMs: 500, onRetry: (e) => retries.push(e) },
    });
    clients.push(c);
    expect((await c.catalogue.list()).length).toBe(2);
    await member.stop();
    const listed = c.catalogue.list();
    await sleep(200);
    member = await startOn(restartDir.path, member.grpc);
    expect((await listed).map((d) => d.id)).toEqual(["cn", "tm"]);
    expect(retries.length).toBeGreaterThan(0);
    expect(retries.every((r) => r.error.code === "UNAVAILABLE" && r.method === "/ipfed.v1.CatalogueService/ListDatasets")).toBe(true);
    expect(retries.map((r) => r.attempt)).toEqual(retries.map((_, i) => i + 1));
  });

  it("publish is not retried: against a stopped member it fails fast with UNAVAILABLE", async () => {
    const retries: RetryEvent[] = [];
    const c = createClient({ endpoint: member.grpc, token: memberToken, retry: { initialBackoffMs: 2000, onRetry: (e) => retries.push(e) } });
    clients.push(c);
    await member.stop();
    try {
      const started = Date.now();
      const err = await failure(c.publish("tm", [{ deleteId: tm[1]!.id }]));
      expect(err.code).toBe("UNAVAILABLE");
      expect(Date.now() - started).toBeLessThan(1500);
      expect(retries).toEqual([]);
    } finally {
      member = await startOn(restartDir.path, member.grpc);
    }
    expect((await c.catalogue.get("tm")).recordCount).toBe(TM_SIZE);
  });

  it("export resumes from the last batch's cursor when the member dies mid-way", async () => {
    const retries: RetryEvent[] = [];
    const c = createClient({
      endpoint: member.grpc,
      token: memberToken,
      retry: { maxAttempts: 40, initialBackoffMs: 100, maxBackoffMs: 500, onRetry: (e) => retries.push(e) },
    });
    clients.push(c);
    const ids: string[] = [];
    let batches = 0;
    let restarted: Promise<RunningNode> | undefined;
    for await (const b of c.export({ datasetId: "cn", batchSize: 2 })) {
      ids.push(...b.records.map((r) => r.id));
      if (++batches === 3) {
        const address = member.grpc;
        await member.stop("SIGKILL");
        restarted = startOn(restartDir.path, address);
      }
    }
    member = await restarted!;
    expect(ids).toEqual(cn.map((r) => r.id).sort());
    expect(retries.length).toBeGreaterThan(0);
    expect(retries.every((r) => r.error.code === "UNAVAILABLE" && r.method === "/ipfed.v1.ExchangeService/Export")).toBe(true);
  });
});
