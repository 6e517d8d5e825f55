import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Dataset, GetRecordRequest, MemberKind, MemberState, Record, RecordKind, SearchRequest, Tier } from "@ipfed/proto";
import type { GetRecordResponse } from "@ipfed/proto";
import type { ServiceError } from "@grpc/grpc-js";
import type { SearchEvent } from "@ipfed/proto";
import { createMemberServer, createStaticKeyResolver, Federation, generateMemberKey, issueToken, verifyToken } from "@ipfed/sdk";
import type { Caller, FederationDirectory, FederationTarget, MemberKey, MemberServer } from "@ipfed/sdk";
import type { Metadata } from "@grpc/grpc-js";
import { MemoryRecordStore } from "../../node/src/store/memory-record-store.js";
import { MemorySearchIndex } from "../../node/src/search/memory-search-index.js";
import { StoreDataSource } from "../../node/src/store-data-source.js";
import { callUnary, collect, rawClients } from "../helpers/grpc-clients.js";

// Three members in one process, each a real gRPC server on loopback with its own store:
// a hub with no data, and two members that share one record.
interface Member {
  id: string;
  key: MemberKey;
  server: MemberServer;
  address: string;
  audit: { subject: string; act: readonly string[]; rpc: string }[];
  delayMs: number;
}
const members = new Map<string, Member>();
const NETWORK = "net";

function rec(id: string, title: string): Record {
  return Record.fromPartial({ id, kind: RecordKind.RECORD_KIND_PATENT, country: id.slice(0, 2), publicationDate: "2020-01-01", titles: [{ lang: "en", text: title }], claims: [{ number: 1, text: "secret claim text", lang: "en", dependsOn: [] }] });
}

async function makeMember(id: string, records: Record[], children: string[]): Promise<Member> {
  const store = new MemoryRecordStore({ memberId: id });
  const index = new MemorySearchIndex();
  await index.open();
  await store.putDataset(Dataset.fromPartial({ id: "ds", titles: [{ lang: "en", text: id }] }));
  if (records.length) await store.write("ds", records.map((record) => ({ type: "put" as const, record })), index);
  const key = await generateMemberKey();
  const m: Member = { id, key, server: undefined as never, address: "", audit: [], delayMs: 0 };
  const directory: FederationDirectory = {
    selfId: () => id,
    targets: () => children.map((c) => target(c)),
    members: () => [...members.keys()].map((c) => target(c)),
    signingKey: () => key,
    maxTier: () => Tier.TIER_CONFIDENTIAL,
  };
  // The same source, made slow on demand (what the node's test-only delay setting does).
  class SlowSource extends StoreDataSource {
    override async search(r: Parameters<StoreDataSource["search"]>[0]) {
      if (m.delayMs) await new Promise((res) => setTimeout(res, m.delayMs));
      return super.search(r);
    }
  }
  m.server = createMemberServer({
    identity: { id, kind: MemberKind.MEMBER_KIND_REGIONAL, region: "510000", names: [], networkId: NETWORK, keys: () => [key] },
    dataSource: new SlowSource(store, index),
    options: {
      federation: new Federation({ directory, defaultDeadlineMs: 1500 }),
      authenticate: async (metadata: Metadata): Promise<Caller> => {
        const auth = metadata.get("authorization")[0];
        if (!auth) return { anonymous: true, subject: "anonymous", issuer: "", tier: Tier.TIER_PUBLIC, scopes: new Set(["search", "read"] as const), tokenId: "", expiresAt: 0 };
        const resolver = createStaticKeyResolver(Object.fromEntries([...members.values()].map((x) => [x.id, { keys: [x.key.publicJwk], maxTier: Tier.TIER_CONFIDENTIAL }])));
        return (await verifyToken(String(auth).slice(7), { keys: resolver, audience: [id, NETWORK] })).caller;
      },
      audit: { append: async (e) => void m.audit.push({ subject: e.subject, act: e.act, rpc: e.rpc }) },
    },
  });
  m.address = await m.server.listen("127.0.0.1:0");
  members.set(id, m);
  return m;
}

function target(id: string): FederationTarget {
  const m = members.get(id);
  return { id, kind: MemberKind.MEMBER_KIND_REGIONAL, region: "510000", address: m?.address ?? "127.0.0.1:1" };
}

async function fsearch(at: string, query: string, token?: string, extra: Partial<SearchRequest> = {}) {
  const c = rawClients(members.get(at)!.address, token);
  try {
    const events = await collect<SearchEvent>(c.search.search(SearchRequest.fromPartial({ query, federate: true, pageSize: 10, ...extra })));
    return {
      hits: events.flatMap((e) => (e.event?.$case === "hit" ? [e.event.value] : [])),
      statuses: events.flatMap((e) => (e.event?.$case === "memberStatus" ? [e.event.value] : [])),
      done: events.flatMap((e) => (e.event?.$case === "done" ? [e.event.value] : []))[0]!,
    };
  } finally {
    c.close();
  }
}

beforeAll(async () => {
  await makeMember("a", [rec("CN-1-A", "graphene battery"), rec("CN-2-A", "graphene anode"), rec("CN-3-A", "tea robot")], []);
  await makeMember("b", [rec("CN-2-A", "graphene anode"), rec("CN-4-A", "graphene sensor")], []);
  await makeMember("hub", [], ["a", "b", "dead"]);
});

afterAll(async () => {
  for (const m of members.values()) await m.server.close();
});

describe("federated search through the kit", () => {
  it("merges answers, each record once with every holder, and reports every member", async () => {
    const r = await fsearch("hub", "graphene");
    expect(r.hits.map((h) => h.record!.id).sort()).toEqual(["CN-1-A", "CN-2-A", "CN-4-A"]);
    const shared = r.hits.find((h) => h.record!.id === "CN-2-A")!;
    expect([...shared.holders].sort()).toEqual(["a", "b"]);
    expect(r.hits.map((h) => h.rank)).toEqual([1, 2, 3]);
    const states = Object.fromEntries(r.statuses.map((s) => [s.memberId, s.state]));
    expect(states).toEqual({ hub: MemberState.MEMBER_STATE_OK, a: MemberState.MEMBER_STATE_OK, b: MemberState.MEMBER_STATE_OK, dead: MemberState.MEMBER_STATE_UNAVAILABLE });
    expect(r.done).toMatchObject({ total: 3, membersAnswered: 3, membersTargeted: 4 });
  });

  it("a slow member times out while the answer arrives within the deadline", async () => {
    members.get("b")!.delayMs = 3000;
    const t0 = Date.now();
    const r = await fsearch("hub", "graphene");
    const took = Date.now() - t0;
    members.get("b")!.delayMs = 0;
    expect(took).toBeLessThan(2500);
    expect(r.statuses.find((s) => s.memberId === "b")?.state).toBe(MemberState.MEMBER_STATE_TIMEOUT);
    expect(r.hits.map((h) => h.record!.id).sort()).toEqual(["CN-1-A", "CN-2-A"]);
    expect(r.done.membersAnswered).toBe(2);
  });

  it("never forwards the caller's token: downstream sees a derived token with the act chain, and redacts", async () => {
    const hub = members.get("hub")!;
    const token = await issueToken(hub.key, { issuer: "hub", subject: "alice", audience: NETWORK, tier: Tier.TIER_PUBLIC, scopes: ["search", "read"], ttlSeconds: 600 });
    members.get("a")!.audit.length = 0;
    const r = await fsearch("hub", "graphene", token);
    expect(r.hits.every((h) => h.record!.claims.length === 0)).toBe(true);
    const seen = members.get("a")!.audit.find((e) => e.rpc.endsWith("/Search"));
    expect(seen).toEqual({ subject: "alice", act: ["hub"], rpc: "/ipfed.v1.SearchService/Search" });
  });

  it("pages through the federation with one signed cursor, each record once", async () => {
    const first = await fsearch("hub", "graphene OR tea", undefined, { pageSize: 2 });
    expect(first.hits).toHaveLength(2);
    const ids = first.hits.map((h) => h.record!.id);
    let cursor = first.done.nextCursor;
    for (let i = 0; i < 5 && cursor; i++) {
      const next = await fsearch("hub", "graphene OR tea", undefined, { pageSize: 2, cursor });
      ids.push(...next.hits.map((h) => h.record!.id));
      cursor = next.done.nextCursor;
    }
    expect(ids.sort()).toEqual(["CN-1-A", "CN-2-A", "CN-3-A", "CN-4-A"]);
    // Changing the body (another position) or the signature's last character is refused.
    const [v, body, mac] = first.done.nextCursor.split(".");
    const pos = JSON.parse(Buffer.from(body!, "base64url").toString("utf8"));
    const movedBody = Buffer.from(JSON.stringify({ ...pos, rank: 0 })).toString("base64url");
    await expect(fsearch("hub", "graphene OR tea", undefined, { pageSize: 2, cursor: `${v}.${movedBody}.${mac}` })).rejects.toMatchObject({ code: 3 });
    const lastChar = mac!.slice(-1) === "A" ? "B" : "A";
    await expect(fsearch("hub", "graphene OR tea", undefined, { pageSize: 2, cursor: `${v}.${body}.${mac!.slice(0, -1)}${lastChar}` })).rejects.toMatchObject({ code: 3 });
  });

  it("skips members out of scope or already visited", async () => {
    const r = await fsearch("hub", "graphene", undefined, { scope: { memberIds: ["a"], kinds: [], regions: [] } });
    expect(r.statuses.map((s) => [s.memberId, s.state]).sort()).toEqual([
      ["a", MemberState.MEMBER_STATE_OK],
      ["hub", MemberState.MEMBER_STATE_OK],
    ]);
    const v = await fsearch("hub", "graphene", undefined, { visited: ["b"] });
    expect(v.statuses.find((s) => s.memberId === "b")).toMatchObject({ state: MemberState.MEMBER_STATE_SKIPPED, message: "already visited by this query" });
  });

  it("routes GetRecord of an id the member does not hold to the members that do", async () => {
    const c = rawClients(members.get("hub")!.address);
    try {
      const one = await callUnary<GetRecordResponse>((cb) => c.search.getRecord(GetRecordRequest.fromPartial({ id: "CN-4-A", federate: true }), cb));
      expect(one.record?.titles[0]?.text).toBe("graphene sensor");
      expect(one.holders).toEqual(["b"]);
      expect(one.record?.claims).toEqual([]);
      const two = await callUnary<GetRecordResponse>((cb) => c.search.getRecord(GetRecordRequest.fromPartial({ id: "CN-2-A", federate: true }), cb));
      expect([...two.holders].sort()).toEqual(["a", "b"]);
      const none = await callUnary((cb) => c.search.getRecord(GetRecordRequest.fromPartial({ id: "CN-999-A", federate: true }), cb)).catch((e: ServiceError) => e);
      expect((none as ServiceError).metadata.get("ipfed-error-code")).toEqual(["RECORD_NOT_FOUND"]);
      const local = await callUnary((cb) => c.search.getRecord(GetRecordRequest.fromPartial({ id: "CN-4-A" }), cb)).catch((e: ServiceError) => e);
      expect((local as ServiceError).metadata.get("ipfed-error-code")).toEqual(["RECORD_NOT_FOUND"]);
    } finally {
      c.close();
    }
  });
});
