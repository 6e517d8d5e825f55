import { createHash } from "node:crypto";
import { Metadata, status } from "@grpc/grpc-js";
import type { ServiceError } from "@grpc/grpc-js";
import { GetRecordRequest, MemberState, SearchRequest, SearchServiceClient, Tier } from "@ipfed/proto";
import type { Facet, GetRecordResponse, MemberStatus, Record, SearchEvent } from "@ipfed/proto";
import type { Caller } from "../auth/caller.js";
import { fromGrpcError } from "../errors/grpc-status.js";
import { IpfedError } from "../errors/ipfed-error.js";
import { formatQuery } from "../query/query-format.js";
import { parseQuery } from "../query/query-parser.js";
import type { CallContext } from "../server/handlers.js";
import { notify } from "../server/server-observer.js";
import type { MemberOutcomeStatus } from "../server/server-observer.js";
import type { FederatedSearcher, LocalPage } from "../server/search-service.js";
import { deriveToken } from "../tokens/derive-token.js";
import { issueToken } from "../tokens/issue-token.js";
import { AsyncQueue } from "./async-queue.js";
import type { FederationDirectory, FederationTarget } from "./federation-directory.js";
import { idDigest, MAX_SEEN, signFederationCursor, verifyFederationCursor } from "./federation-cursor.js";
import type { FederationPosition } from "./federation-cursor.js";
import { mergeFacets, mergePages } from "./merge-hits.js";
import { SeenStore } from "./seen-store.js";
import type { MemberPage } from "./merge-hits.js";
import { MemberClients } from "./member-clients.js";
import { queryRequirements, skipReason } from "./target-plan.js";

/**
 * Options of {@link Federation}.
 *
 * @example
 * ```ts
 * const options: FederationOptions = { directory, defaultDeadlineMs: 5000, maxDeadlineMs: 30_000, maxHops: 3 };
 * const federation = new Federation(options);
 * ```
 */
export interface FederationOptions {
  /** The network as this node sees it. */
  directory: FederationDirectory;
  /**
   * Deadline of a federated query when the caller sets none, in milliseconds.
   * @defaultValue 5000
   */
  defaultDeadlineMs?: number;
  /**
   * Longest deadline honoured, in milliseconds; a caller's longer deadline is cut to it.
   * @defaultValue 30000
   */
  maxDeadlineMs?: number;
  /**
   * Hops a query may travel when the caller sets none (hub → regional → outlet is 2).
   * @defaultValue 3
   */
  maxHops?: number;
}

interface TargetAnswer {
  readonly page?: MemberPage & { readonly total: number; readonly facets: readonly Facet[]; readonly nextCursor: string };
  readonly status: MemberStatus;
}

const status2state = (code: number): MemberState =>
  code === status.DEADLINE_EXCEEDED
    ? MemberState.MEMBER_STATE_TIMEOUT
    : code === status.UNAVAILABLE
      ? MemberState.MEMBER_STATE_UNAVAILABLE
      : code === status.UNAUTHENTICATED || code === status.PERMISSION_DENIED
        ? MemberState.MEMBER_STATE_DENIED
        : MemberState.MEMBER_STATE_ERROR;

const OUTCOMES: { readonly [state: number]: MemberOutcomeStatus } = {
  [MemberState.MEMBER_STATE_OK]: "OK",
  [MemberState.MEMBER_STATE_TIMEOUT]: "TIMEOUT",
  [MemberState.MEMBER_STATE_UNAVAILABLE]: "UNAVAILABLE",
  [MemberState.MEMBER_STATE_DENIED]: "DENIED",
  [MemberState.MEMBER_STATE_ERROR]: "ERROR",
  [MemberState.MEMBER_STATE_SKIPPED]: "SKIPPED",
};

/** Tells the server's observer how a member took part, as soon as that is known. */
function observed(ctx: CallContext, st: MemberStatus): MemberStatus {
  notify(ctx.observe, (o) => o.federation?.({ memberId: st.memberId, status: OUTCOMES[st.state] ?? "ERROR", ms: st.tookMs, hits: st.hitCount }));
  return st;
}

/**
 * The federation engine: answers `Search` with `federate: true` by asking this member and
 * the members it federates to, in parallel, within the caller's deadline, each with a fresh
 * token derived for it; merges the answers without duplicates; and reports the state of
 * every member asked or skipped. A slow or dead member never holds the answer past the
 * deadline. Each member's part is also reported to the server's observer
 * (`MemberServerOptions.observe`). See docs/federation.md.
 *
 * @example
 * ```ts
 * const federation = new Federation({ directory });
 * const server = createMemberServer({ identity, dataSource, options: { federation } });
 * ```
 */
export class Federation implements FederatedSearcher {
  readonly #dir: FederationDirectory;
  readonly #defaultDeadline: number;
  readonly #maxDeadline: number;
  readonly #maxHops: number;
  readonly #clients: MemberClients;
  /** The whole seen-set of every cursor handed out, so that deep pages stay free of duplicates. */
  readonly #seen = new SeenStore();

  /** Creates the engine over a directory of the network; it opens connections to members as it needs them. */
  constructor(options: FederationOptions) {
    this.#dir = options.directory;
    const dir = options.directory;
    this.#clients = new MemberClients(() => dir.tlsIdentity?.(), () => dir.allowPlaintext?.() ?? false);
    this.#defaultDeadline = options.defaultDeadlineMs ?? 5000;
    this.#maxDeadline = options.maxDeadlineMs ?? 30_000;
    this.#maxHops = options.maxHops ?? 3;
  }

  /** Closes the connections to other members. */
  close(): void {
    this.#clients.close();
  }

  /**
   * Milliseconds this member may spend: the caller's deadline less a margin to merge and send
   * the answer before it, else the default; never more than the maximum.
   */
  #budget(ctx: CallContext, started: number): number {
    const callDeadline = (ctx.call as { getDeadline?: () => Date | number }).getDeadline?.() ?? Infinity;
    const callLeft = callDeadline instanceof Date ? callDeadline.getTime() - started : Number(callDeadline) - started;
    const callBudget = Number.isFinite(callLeft) ? callLeft - Math.max(100, callLeft * 0.05) : this.#defaultDeadline;
    return Math.max(50, Math.min(callBudget, this.#maxDeadline));
  }

  #secret(): Buffer {
    // Cursors are signed with a key derived from the member's own signing key: stable across
    // restarts, different for every member, and never sent anywhere.
    return createHash("sha256").update("ipfed-federation-cursor\0").update(String(this.#dir.signingKey().privateJwk.d)).digest();
  }

  async #tokenFor(caller: Caller, target: string, ttlSeconds: number): Promise<string> {
    const self = this.#dir.selfId();
    const key = this.#dir.signingKey();
    if (caller.anonymous) {
      // An anonymous caller has no token to derive from: the member vouches for an anonymous
      // PUBLIC caller, and the act chain still records who asked on its behalf.
      return issueToken(key, {
        issuer: self,
        subject: "anonymous",
        audience: target,
        tier: Tier.TIER_PUBLIC,
        scopes: [...caller.scopes].filter((s) => s === "search" || s === "read"),
        act: { sub: self, iss: self },
        ttlSeconds,
      });
    }
    return deriveToken(caller, key, { issuer: self, audience: target, actor: self, ttlSeconds, maxTier: this.#dir.maxTier() });
  }

  async *search(req: SearchRequest, ctx: CallContext, local: (req: SearchRequest) => Promise<LocalPage>): AsyncGenerator<SearchEvent> {
    const started = Date.now();
    const self = this.#dir.selfId();
    const query = parseQuery(req.query);
    const canonical = formatQuery(query);
    // The page size is not part of the query's identity: a member further down is asked with
    // the page size of the member above it, which may differ from its own caller's.
    const scopeKey = JSON.stringify([canonical, [...req.datasets].sort(), req.scope ?? null, req.facets]);
    const secret = this.#secret();
    const pos: FederationPosition | undefined = req.cursor ? verifyFederationCursor(secret, scopeKey, req.cursor) : undefined;
    const hops = req.hopLimit > 0 ? Math.min(req.hopLimit, this.#maxHops) : this.#maxHops;
    const visited = new Set([...req.visited, self]);
    const budget = this.#budget(ctx, started);
    const deadline = started + budget;
    const pageSize = req.pageSize || 20;
    const requirements = queryRequirements(query);

    // Plan: who is asked, who is skipped and why.
    const queue = new AsyncQueue<SearchEvent>();
    const statuses: MemberStatus[] = [];
    const skipped: MemberStatus[] = [];
    const asked: FederationTarget[] = [];
    const targets = req.scope?.memberIds.length ? this.#dir.members().filter((m) => req.scope!.memberIds.includes(m.id)) : this.#dir.targets();
    for (const t of targets) {
      if (t.id === self) continue;
      let why = skipReason(t, requirements, req.scope, new Set(req.visited));
      if (!why && pos && !pos.members[t.id]) why = "no more results";
      if (!why && hops < 1) why = "hop limit reached";
      if (why) skipped.push(observed(ctx, { memberId: t.id, state: MemberState.MEMBER_STATE_SKIPPED, tookMs: 0, hitCount: 0, total: 0, message: why, errorCode: "" }));
      else asked.push(t);
    }
    for (const s of skipped) yield { event: { $case: "memberStatus", value: s } };

    const localPos = pos ? pos.members[self] : undefined;
    const selfAsked = !pos || localPos !== undefined;
    const answers: Promise<TargetAnswer>[] = [];
    if (selfAsked) {
      answers.push(
        (async () => {
          const t0 = Date.now();
          const [cursor, skip] = localPos ?? ["", 0];
          try {
            const p = await local(SearchRequest.fromPartial({ ...req, federate: false, cursor, pageSize }));
            const hits = p.hits.slice(skip).map((h) => ({ ...h, holders: [self] }));
            const st = observed(ctx, { memberId: self, state: MemberState.MEMBER_STATE_OK, tookMs: Date.now() - t0, hitCount: hits.length, total: p.total, message: "", errorCode: "" });
            return { page: { memberId: self, hits, total: p.total, facets: p.facets, nextCursor: p.nextCursor }, status: st };
          } catch (err) {
            const e = IpfedError.from(err);
            // A query this member refuses (syntax, cursor) fails the whole answer, as it would locally.
            if (e.status === status.INVALID_ARGUMENT) throw e;
            const message = e.code === "INTERNAL" ? "internal error" : e.message;
            return { status: observed(ctx, { memberId: self, state: MemberState.MEMBER_STATE_ERROR, tookMs: Date.now() - t0, hitCount: 0, total: 0, message, errorCode: e.code }) };
          }
        })(),
      );
    }
    for (const t of asked) answers.push(this.#ask(t, req, ctx, { pos, visited, hops, deadline, pageSize, queue }));

    // Statuses stream as members answer; the merged hits follow once every member has
    // answered or the deadline has passed, so each record is sent once with all its holders.
    const all = Promise.all(answers).then((a) => {
      queue.close();
      return a;
    });
    all.catch(() => queue.close());
    for await (const ev of queue) yield ev;
    const results = await all;
    for (const r of results) statuses.push(r.status);
    const selfStatus = results.find((r) => r.status.memberId === self)?.status;
    if (selfStatus) yield { event: { $case: "memberStatus", value: selfStatus } };

    const pages = results.flatMap((r) => (r.page ? [r.page] : []));
    const seen = new Set((pos?.ctx ? this.#seen.get(pos.ctx) : undefined) ?? pos?.seen ?? []);
    const merged = mergePages(pages).filter((h) => !seen.has(idDigest(h.record.id)));
    const page = merged.slice(0, pageSize);
    let rank = pos?.rank ?? 0;
    for (const h of page) {
      rank += 1;
      yield { event: { $case: "hit", value: { record: h.record, score: h.score, holders: h.holders, rank } } };
    }
    if (req.facets.length) yield { event: { $case: "facets", value: { facets: mergeFacets(pages.map((p) => p.facets), req.facetSize || 10) } } };

    // Next position: per member, the cursor it was asked with and how many of the hits of
    // that page have been sent — the longest run from the front of what it offered that has
    // gone out (through it or another holder); the rest is offered again next time. Every
    // member is asked for one page of `pageSize` from its cursor, so the skip stays below the
    // page size; a member whose whole page went out moves on to its next cursor.
    const nextMembers: { [id: string]: [string, number] } = {};
    const sentIds = new Set([...seen, ...page.map((h) => idDigest(h.record.id))]);
    for (const p of pages) {
      const [cursor, skip] = pos?.members[p.memberId] ?? ["", 0];
      let used = 0;
      while (used < p.hits.length && sentIds.has(idDigest(p.hits[used]!.record.id))) used += 1;
      if (used >= p.hits.length) {
        if (p.nextCursor) nextMembers[p.memberId] = [p.nextCursor, 0];
      } else nextMembers[p.memberId] = [cursor, skip + used];
    }
    // A page whose offered hits had all been sent already is empty, yet every member has moved
    // on, so the walk goes on while any member has more.
    const more = Object.keys(nextMembers).length > 0;
    const nextCursor = more
      ? signFederationCursor(secret, scopeKey, { members: nextMembers, rank, seen: [...sentIds].slice(-MAX_SEEN), ctx: this.#seen.put(sentIds) })
      : "";
    const totals = pages.reduce((n, p) => n + p.total, 0);
    const duplicates = pages.reduce((n, p) => n + p.hits.length, 0) - mergePages(pages).length;
    yield {
      event: {
        $case: "done",
        value: {
          total: Math.max(0, totals - duplicates),
          nextCursor,
          membersAnswered: results.filter((r) => r.status.state === MemberState.MEMBER_STATE_OK).length,
          membersTargeted: results.length,
          tookMs: Date.now() - started,
          query: canonical,
        },
      },
    };
  }

  /**
   * Routes `GetRecord` for an id this member does not hold to every member it knows, in
   * parallel under the deadline, each with a derived token: the first copy found (in member
   * order) is returned, with every member that answered with it as a holder.
   */
  async getRecord(req: GetRecordRequest, ctx: CallContext): Promise<GetRecordResponse | undefined> {
    const self = this.#dir.selfId();
    const started = Date.now();
    const budget = this.#budget(ctx, started);
    const visited = new Set([self]);
    const targets = this.#dir.members().filter((m) => !visited.has(m.id));
    const answers = await Promise.all(
      targets.map(async (t) => {
        try {
          const token = await this.#tokenFor(ctx.caller, t.id, Math.ceil(budget / 1000) + 30);
          const md = new Metadata();
          md.set("authorization", `Bearer ${token}`);
          const client: SearchServiceClient = this.#clients.search(t);
          const res = await new Promise<GetRecordResponse>((resolve, reject) =>
            client.getRecord(GetRecordRequest.fromPartial({ id: req.id, datasetId: req.datasetId }), md, { deadline: new Date(started + budget) }, (err, r) => (err ? reject(err) : resolve(r))),
          );
          return res.record ? { member: t.id, res } : undefined;
        } catch {
          return undefined;
        }
      }),
    );
    const found = answers.filter((a): a is { member: string; res: GetRecordResponse } => a !== undefined);
    if (!found.length) return undefined;
    found.sort((a, b) => (a.member < b.member ? -1 : a.member > b.member ? 1 : 0));
    return { record: found[0]!.res.record, holders: [...new Set(found.flatMap((f) => (f.res.holders.length ? f.res.holders : [f.member])))] };
  }

  async #ask(
    t: FederationTarget,
    req: SearchRequest,
    ctx: CallContext,
    o: { pos: FederationPosition | undefined; visited: Set<string>; hops: number; deadline: number; pageSize: number; queue: AsyncQueue<SearchEvent> },
  ): Promise<TargetAnswer> {
    const t0 = Date.now();
    const [cursor, skip] = o.pos?.members[t.id] ?? ["", 0];
    const fail = (state: MemberState, message: string, errorCode = ""): TargetAnswer => {
      const st = observed(ctx, { memberId: t.id, state, tookMs: Date.now() - t0, hitCount: 0, total: 0, message, errorCode });
      o.queue.push({ event: { $case: "memberStatus", value: st } });
      return { status: st };
    };
    let token: string;
    try {
      token = await this.#tokenFor(ctx.caller, t.id, Math.ceil((o.deadline - Date.now()) / 1000) + 30);
    } catch (err) {
      const e = IpfedError.from(err);
      return fail(MemberState.MEMBER_STATE_DENIED, `no token could be derived for it: ${e.message}`, e.code);
    }
    const md = new Metadata();
    md.set("authorization", `Bearer ${token}`);
    // Leave the downstream member a margin to answer before this member's own deadline.
    const downstreamDeadline = new Date(Math.max(Date.now() + 10, o.deadline - 30));
    const call = this.#clients.search(t).search(
      SearchRequest.fromPartial({
        ...req,
        cursor: "",
        pageSize: o.pageSize,
        federate: o.hops > 1,
        hopLimit: o.hops - 1,
        visited: [...o.visited],
        // Datasets named `member/dataset` go to that member, without the prefix.
        datasets: req.datasets.filter((d) => d.startsWith(`${t.id}/`)).map((d) => d.slice(t.id.length + 1)),
        scope: undefined,
        ...(cursor ? { cursor } : {}),
      }),
      md,
      { deadline: downstreamDeadline },
    );
    const hits: { record: Record; score: number; holders: string[] }[] = [];
    let facets: Facet[] = [];
    let total = 0;
    let nextCursor = "";
    const timer = setTimeout(() => call.cancel(), Math.max(0, o.deadline - Date.now()));
    try {
      for await (const ev of call as AsyncIterable<SearchEvent>) {
        const e = ev.event;
        if (e?.$case === "hit") hits.push({ record: e.value.record!, score: e.value.score, holders: e.value.holders.length ? e.value.holders : [t.id] });
        // Members further down the hierarchy; the target's word about itself is replaced by ours.
        else if (e?.$case === "memberStatus" && e.value.memberId !== t.id) o.queue.push(ev);
        else if (e?.$case === "facets") facets = e.value.facets;
        else if (e?.$case === "done") {
          total = e.value.total;
          nextCursor = e.value.nextCursor;
        }
      }
    } catch (err) {
      const se = err as ServiceError;
      if (Date.now() >= o.deadline - 5 || se.code === status.CANCELLED || se.code === status.DEADLINE_EXCEEDED) {
        return fail(MemberState.MEMBER_STATE_TIMEOUT, `no answer within ${o.deadline - t0} ms`);
      }
      const e = fromGrpcError(se);
      return fail(status2state(se.code ?? status.UNKNOWN), e.message, se.code === status.UNAVAILABLE ? "UNAVAILABLE" : e.code);
    } finally {
      clearTimeout(timer);
    }
    const page = hits.slice(skip);
    const st = observed(ctx, { memberId: t.id, state: MemberState.MEMBER_STATE_OK, tookMs: Date.now() - t0, hitCount: page.length, total, message: "", errorCode: "" });
    o.queue.push({ event: { $case: "memberStatus", value: st } });
    return { page: { memberId: t.id, hits: page, total, facets, nextCursor }, status: st };
  }
}
