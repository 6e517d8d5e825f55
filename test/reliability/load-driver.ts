import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { credentials, Metadata, status } from "@grpc/grpc-js";
import type { ServiceError } from "@grpc/grpc-js";
import { ExchangeServiceClient, ExportRequest, GetRecordRequest, MemberState, SearchRequest, SearchServiceClient } from "@ipfed/proto";
import type { ExportResponse, GetRecordResponse, SearchEvent } from "@ipfed/proto";
import { claims, forgeToken } from "../helpers/forge-token.js";
import type { PrivateJwk } from "../helpers/forge-token.js";

/** The active private key of a node, to mint many callers' tokens without one CLI run each. */
export async function nodeKey(dir: string): Promise<PrivateJwk> {
  const ring = JSON.parse(await readFile(join(dir, "keys.json"), "utf8")) as { active: string; keys: { kid: string; privateJwk: PrivateJwk }[] };
  const k = ring.keys.find((x) => x.kid === ring.active)!;
  return { ...k.privateJwk, kid: k.kid };
}

/** A token of member `iss` for subject `sub`, as `ipfed token issue` makes it (CONFIDENTIAL, search read export). */
export function mint(key: PrivateJwk, iss: string, sub: string, over: Record<string, unknown> = {}): string {
  return forgeToken({ alg: "EdDSA", kid: key.kid, typ: "JWT" }, claims(iss, "ipfed", { sub, tier: "confidential", scope: "search read export", ...over }), { ed25519: key });
}

/** One kind of call the load mixes. */
export type LoadOp = "search" | "get" | "export" | "federated";

/** What a load run counted: every call started ends exactly once, as one of these. */
export interface LoadCounts {
  requests: number;
  ok: number;
  resourceExhausted: number;
  /** Calls that ended any other way, by `status/ipfed-code: message`. */
  other: Map<string, number>;
  /** Calls whose answer was wrong (missing record, short export, duplicate hit), by reason. */
  wrong: Map<string, number>;
  /** Calls whose callback or stream ended more than once. */
  duplicated: number;
  /** Calls started but never ended (must be 0 once the run has drained). */
  open: number;
  byOp: Record<LoadOp, number>;
  /** Member answers within federated answers that were not OK, by `STATE/code`. */
  degradedMembers: Map<string, number>;
  /** Federated answers with every member OK whose hit ids equal the expected set. */
  completeFederated: number;
}

/** What the load calls and what a right answer is. */
export interface LoadPlan {
  address: string;
  /** One token per client; clients are distinct callers. */
  tokens: string[];
  seconds: number;
  ops: LoadOp[];
  /** Ids a Get may ask for (each must come back with that id). */
  ids: string[];
  /** Query for search and federated search. */
  query: string;
  /**
   * Page size of searches.
   * @defaultValue 20
   */
  pageSize?: number;
  /** The dataset exported whole, and how many records it holds. */
  exportDataset: string;
  exportCount: number;
  /** Members a federated answer must report, and the ids it must hold when all are OK. */
  federatedMembers?: string[];
  federatedIds?: string[];
  /** Deadline of each call, ms. */
  deadlineMs?: number;
}

const codeOf = (e: ServiceError): string => String(e.metadata?.get("ipfed-error-code")[0] ?? "");
const bump = (m: Map<string, number>, k: string): void => void m.set(k, (m.get(k) ?? 0) + 1);

/**
 * Runs `tokens.length` concurrent clients, each on its own connection, each calling in a
 * loop for `seconds`, cycling through `ops`. Every call gets an id; every end is counted
 * against it, so a call lost (never ended) or ended twice shows in the counts.
 */
export async function runLoad(plan: LoadPlan): Promise<LoadCounts> {
  const counts: LoadCounts = {
    requests: 0,
    ok: 0,
    resourceExhausted: 0,
    other: new Map(),
    wrong: new Map(),
    duplicated: 0,
    open: 0,
    byOp: { search: 0, get: 0, export: 0, federated: 0 },
    degradedMembers: new Map(),
    completeFederated: 0,
  };
  const ended = new Map<number, number>();
  const expectedFederated = plan.federatedIds ? [...plan.federatedIds].sort().join(",") : undefined;
  const until = Date.now() + plan.seconds * 1000;
  const deadlineMs = plan.deadlineMs ?? 30_000;
  let nextId = 0;

  const finish = (id: number, err: ServiceError | null, wrong?: string): void => {
    const n = (ended.get(id) ?? 0) + 1;
    ended.set(id, n);
    if (n > 1) {
      counts.duplicated++;
      return;
    }
    if (!err) {
      if (wrong) bump(counts.wrong, wrong);
      else counts.ok++;
    } else if (err.code === status.RESOURCE_EXHAUSTED) counts.resourceExhausted++;
    else bump(counts.other, `${status[err.code]}/${codeOf(err)}: ${err.details}`);
  };

  const client = async (token: string, index: number): Promise<void> => {
    // A local subchannel pool gives each client its own HTTP/2 connection.
    const opts = { "grpc.use_local_subchannel_pool": 1, "grpc.max_receive_message_length": 64 * 1024 * 1024 };
    const search = new SearchServiceClient(plan.address, credentials.createInsecure(), opts);
    const exchange = new ExchangeServiceClient(plan.address, credentials.createInsecure(), opts);
    const md = (): Metadata => {
      const m = new Metadata();
      m.set("authorization", `Bearer ${token}`);
      return m;
    };
    let turn = index;
    try {
      while (Date.now() < until) {
        const op = plan.ops[turn++ % plan.ops.length]!;
        const id = nextId++;
        counts.requests++;
        counts.byOp[op]++;
        const deadline = Date.now() + deadlineMs;
        await new Promise<void>((done) => {
          const end = (err: ServiceError | null, wrong?: string): void => {
            finish(id, err, wrong);
            done();
          };
          if (op === "get") {
            const want = plan.ids[id % plan.ids.length]!;
            search.getRecord(GetRecordRequest.fromPartial({ id: want }), md(), { deadline }, (err: ServiceError | null, res?: GetRecordResponse) =>
              end(err, err ? undefined : res?.record?.id === want ? undefined : "get returned another record"),
            );
            return;
          }
          const events: unknown[] = [];
          let failed: ServiceError | null = null;
          const stream =
            op === "export"
              ? exchange.export(ExportRequest.fromPartial({ datasetId: plan.exportDataset, batchSize: 100 }), md(), { deadline })
              : search.search(SearchRequest.fromPartial({ query: plan.query, pageSize: plan.pageSize ?? 20, federate: op === "federated" }), md(), { deadline });
          stream.on("data", (m: unknown) => events.push(m));
          stream.on("error", (e: ServiceError) => {
            failed = e;
            end(e);
          });
          stream.on("end", () => {
            if (failed) return;
            if (op === "export") {
              const ids = (events as ExportResponse[]).flatMap((b) => b.records.map((r) => r.id));
              end(null, ids.length !== plan.exportCount ? `export held ${ids.length} records` : new Set(ids).size !== ids.length ? "export repeated a record" : undefined);
              return;
            }
            const ev = events as SearchEvent[];
            const dones = ev.filter((e) => e.event?.$case === "done").length;
            const hits = ev.flatMap((e) => (e.event?.$case === "hit" ? [e.event.value.record!.id] : []));
            if (dones !== 1) return end(null, `search ended with ${dones} done events`);
            if (new Set(hits).size !== hits.length) return end(null, "search repeated a hit");
            if (op === "federated" && plan.federatedMembers) {
              const states = new Map(ev.flatMap((e) => (e.event?.$case === "memberStatus" ? [[e.event.value.memberId, e.event.value] as const] : [])));
              const missing = plan.federatedMembers.filter((m) => !states.has(m));
              if (missing.length > 0) return end(null, `federated answer did not report ${missing.join(", ")}`);
              const notOk = [...states.values()].filter((s) => s.state !== MemberState.MEMBER_STATE_OK);
              for (const s of notOk) bump(counts.degradedMembers, `${MemberState[s.state]}${s.errorCode ? `/${s.errorCode}` : ""}`);
              if (notOk.length === 0 && expectedFederated !== undefined) {
                if ([...hits].sort().join(",") !== expectedFederated) {
                  const want = new Set(plan.federatedIds);
                  const missed = [...want].filter((x) => !hits.includes(x));
                  const added = hits.filter((x) => !want.has(x));
                  return end(null, `federated answer with every member OK missed ${missed.length} (${missed.slice(0, 3).join(" ")}) and added ${added.length} (${added.slice(0, 3).join(" ")})`);
                }
                counts.completeFederated++;
              }
            }
            end(null);
          });
        });
      }
    } finally {
      search.close();
      exchange.close();
    }
  };

  await Promise.all(plan.tokens.map((t, i) => client(t, i)));
  counts.open = nextId - ended.size;
  return counts;
}
