import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Dataset, MemberKind, MemberState, Record, RecordKind, SearchRequest, Tier } from "@ipfed/proto";
import type { SearchEvent } from "@ipfed/proto";
import { createMemberServer, Federation, generateMemberKey } from "@ipfed/sdk";
import type { Caller, FederationDirectory, FederationTarget, MemberServer } from "@ipfed/sdk";
import { MemoryRecordStore } from "../../node/src/store/memory-record-store.js";
import { MemorySearchIndex } from "../../node/src/search/memory-search-index.js";
import { StoreDataSource } from "../../node/src/store-data-source.js";
import { collect, rawClients } from "../helpers/grpc-clients.js";

// A three-level network in one process, each member a real gRPC server on loopback with its
// own store: hub → { reg → { tisc, tiny }, lib, none }. Members hold overlapping records, each
// in its own order, so that records held twice come at the start, in the middle and at the end
// of members' lists, and on different pages at each member. `ds:ds` scores every record alike,
// so a member's order is the order it stored its records in; `graphene` scores them unevenly,
// differently at each member. Ids do not sort in any member's order, so ties in the merge fall
// differently from page to page. Two records need a REGISTERED caller: the anonymous walker
// never sees them, and they must not stall the walk either.
const ANYONE: Caller = { anonymous: true, subject: "anonymous", issuer: "", tier: Tier.TIER_PUBLIC, scopes: new Set(["search", "read"] as const), tokenId: "", expiresAt: 0 };
const HIDDEN = new Set([3, 57]);
const servers = new Map<string, { server: MemberServer; address: string }>();
const holdings = new Map<string, number[]>();

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);
/** Record n's id: a permutation of 0..99 (101 is prime), so id order is none of the members' orders. */
const idOf = (n: number): string => `CN-${100 + ((n * 37) % 101)}-A`;
/** How often `graphene` is in record n's title: 0 (no match) to 3. */
const graphene = (n: number): number => (n * 7) % 4;

function rec(n: number): Record {
  return Record.fromPartial({
    id: idOf(n),
    kind: RecordKind.RECORD_KIND_PATENT,
    country: "CN",
    publicationDate: "2020-01-01",
    titles: [{ lang: "en", text: [`record ${n}`, ...Array.from({ length: graphene(n) }, () => "graphene")].join(" ") }],
    accessTier: HIDDEN.has(n) ? Tier.TIER_REGISTERED : Tier.TIER_PUBLIC,
  });
}

function target(id: string): FederationTarget {
  return { id, kind: MemberKind.MEMBER_KIND_REGIONAL, region: "510000", address: servers.get(id)?.address ?? "127.0.0.1:1" };
}

async function makeMember(id: string, order: number[], children: string[]): Promise<void> {
  const store = new MemoryRecordStore({ memberId: id });
  const index = new MemorySearchIndex();
  await index.open();
  await store.putDataset(Dataset.fromPartial({ id: "ds", titles: [{ lang: "en", text: id }] }));
  // One write per record, so that the order of the list is the order of the member's answer.
  for (const n of order) await store.write("ds", [{ type: "put" as const, record: rec(n) }], index);
  const key = await generateMemberKey();
  const directory: FederationDirectory = {
    selfId: () => id,
    targets: () => children.map(target),
    members: () => [...servers.keys()].map(target),
    signingKey: () => key,
    maxTier: () => Tier.TIER_CONFIDENTIAL,
  };
  const server = createMemberServer({
    identity: { id, kind: MemberKind.MEMBER_KIND_REGIONAL, region: "510000", names: [], networkId: "net", keys: () => [key] },
    dataSource: new StoreDataSource(store, index),
    // No rate limits: a walk with pages of 1 makes hundreds of calls a second.
    options: { federation: new Federation({ directory, defaultDeadlineMs: 20_000 }), authenticate: async () => ANYONE, limits: false },
  });
  servers.set(id, { server, address: await server.listen("127.0.0.1:0") });
  holdings.set(id, order);
}

interface Walk {
  ids: string[];
  ranks: number[];
  pages: number;
  empty: number;
  oversized: number;
  failed: string[];
}

/** Walks a federated answer page by page from `at`, as a client would; `pageSize` may change from page to page. */
async function walk(at: string, query: string, pageSize: number | ((page: number) => number)): Promise<Walk> {
  const c = rawClients(servers.get(at)!.address);
  const out: Walk = { ids: [], ranks: [], pages: 0, empty: 0, oversized: 0, failed: [] };
  try {
    let cursor = "";
    do {
      const size = typeof pageSize === "number" ? pageSize : pageSize(out.pages);
      const events = await collect<SearchEvent>(c.search.search(SearchRequest.fromPartial({ query, federate: true, pageSize: size, cursor })));
      let hits = 0;
      for (const e of events) {
        if (e.event?.$case === "hit") {
          out.ids.push(e.event.value.record!.id);
          out.ranks.push(e.event.value.rank);
          hits += 1;
        } else if (e.event?.$case === "memberStatus" && ![MemberState.MEMBER_STATE_OK, MemberState.MEMBER_STATE_SKIPPED].includes(e.event.value.state)) {
          out.failed.push(`${e.event.value.memberId}: ${e.event.value.message}`);
        } else if (e.event?.$case === "done") cursor = e.event.value.nextCursor;
      }
      out.pages += 1;
      if (hits === 0) out.empty += 1;
      if (hits > size) out.oversized += 1;
    } while (cursor && out.pages < 500);
  } finally {
    c.close();
  }
  return out;
}

/** The ids an anonymous caller may find with `query` at these members. */
function expected(query: string, ...members: string[]): string[] {
  const match = (n: number) => !HIDDEN.has(n) && (query === "ds:ds" || graphene(n) > 0);
  return [...new Set(members.flatMap((m) => holdings.get(m)!.filter(match).map(idOf)))].sort();
}

function expectExactlyOnce(r: Walk, want: string[]): void {
  expect(r.failed).toEqual([]);
  expect(r.oversized).toBe(0);
  const dups = r.ids.filter((id, i) => r.ids.indexOf(id) !== i);
  const missing = want.filter((id) => !r.ids.includes(id));
  expect({ dups, missing }).toEqual({ dups: [], missing: [] });
  expect([...r.ids].sort()).toEqual(want);
  expect(r.ranks).toEqual(range(1, want.length + 1));
}

beforeAll(async () => {
  // tisc: 30..74, what it shares with reg (30..44) in the middle of its list.
  await makeMember("tisc", [...range(45, 60), ...range(30, 45), ...range(60, 75)], []);
  // tiny: three records, fewer than most pages, each held elsewhere too (reg, tisc, hub and lib).
  await makeMember("tiny", [98, 60, 20], []);
  // reg: 0..44 in reverse, so that what it shares with tisc comes first.
  await makeMember("reg", range(0, 45).reverse(), ["tisc", "tiny"]);
  // lib: 70..99, what it shares with tisc (70..74) at the end of its list.
  await makeMember("lib", [...range(75, 100), ...range(70, 75)], []);
  // none: a member with nothing that matches.
  await makeMember("none", [], []);
  // hub: 0..4 (the end of reg's list) and 95..99 (inside lib's), interleaved.
  await makeMember("hub", [95, 0, 96, 1, 97, 2, 98, 3, 99, 4], ["reg", "lib", "none"]);
}, 60_000);

afterAll(async () => {
  for (const s of servers.values()) await s.server.close();
});

describe("paging through a federated answer, three levels deep", () => {
  it("the network holds 100 records, 33 of them twice or more, 2 of them hidden from the walker", () => {
    expect(new Set(range(0, 100).map(idOf)).size).toBe(100);
    expect([...holdings.values()].reduce((n, l) => n + l.length, 0)).toBe(133);
    expect(expected("ds:ds", "hub", "reg", "tisc", "tiny", "lib", "none")).toHaveLength(98);
    expect(expected("graphene", "hub", "reg", "tisc", "tiny", "lib", "none")).toHaveLength(73);
  });

  for (const pageSize of range(1, 16)) {
    it(`delivers every record exactly once, ranked 1..n, with pages of ${pageSize}`, async () => {
      for (const query of ["ds:ds", "graphene"]) {
        const all = await walk("hub", query, pageSize);
        expectExactlyOnce(all, expected(query, "hub", "reg", "tisc", "tiny", "lib", "none"));
        // From the middle of the hierarchy, the same holds for what is below it.
        const mid = await walk("reg", query, pageSize);
        expectExactlyOnce(mid, expected(query, "reg", "tisc", "tiny"));
      }
    });
  }

  it("a page left empty by records already sent still leads on to the rest", async () => {
    // With pages of 1, some pages offer only records that went out through another holder.
    const r = await walk("hub", "ds:ds", 1);
    expect(r.empty).toBeGreaterThan(0);
    expect(r.pages).toBe(98 + r.empty);
    expectExactlyOnce(r, expected("ds:ds", "hub", "reg", "tisc", "tiny", "lib", "none"));
  });

  it("a client may change the page size from one page to the next", async () => {
    for (const query of ["ds:ds", "graphene"]) {
      const r = await walk("hub", query, (page) => [7, 1, 15, 3, 11, 2][page % 6]!);
      expectExactlyOnce(r, expected(query, "hub", "reg", "tisc", "tiny", "lib", "none"));
    }
  });
});
