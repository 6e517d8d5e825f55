import { createHash } from "node:crypto";
import { Metadata, ServerInterceptingCall, status } from "@grpc/grpc-js";
import type { ServerInterceptor, ServerMethodDefinition } from "@grpc/grpc-js";
import { IpfedError } from "../errors/ipfed-error.js";
import { toGrpcStatus } from "../errors/grpc-status.js";
import type { AuditSink } from "../server/audit-sink.js";
import type { Caller } from "./caller.js";
import { actChainToList } from "../tokens/actor-chain.js";
import { RPC_SCOPES, isIpfedRpc } from "./rpc-scopes.js";
import { tierName as tierLabel } from "../privacy/tier-order.js";

/** Turns a call's metadata into the caller it speaks for, or throws an IpfedError. */
export type Authenticate = (metadata: Metadata, path: string) => Promise<Caller>;

/** Options of {@link createAuthInterceptor}. */
export interface AuthInterceptorOptions {
  /** Establishes the caller: token check, or the anonymous caller. */
  authenticate: Authenticate;
  /** Where every ipfed.v1 call is recorded, allowed or denied. */
  audit?: AuditSink;
}

/** What the interceptor knows about a call, shared with the handlers through the call's metadata. */
export interface CallRecord {
  readonly caller: Caller;
  /** Datasets the call touched; handlers add to it. */
  readonly datasets: Set<string>;
}

const records = new WeakMap<Metadata, CallRecord>();

/**
 * The caller of a call that passed the interceptor, found through the call's metadata (a
 * WeakMap, so a client cannot forge it with a header).
 */
export function callRecordOf(metadata: Metadata): CallRecord | undefined {
  return records.get(metadata);
}

const STATUS_NAMES = Object.fromEntries(Object.entries(status).filter(([, v]) => typeof v === "number").map(([k, v]) => [v, k])) as { [n: number]: string };

/** Results a response message carries, for the audit log. */
function resultsIn(message: unknown): number {
  const m = message as { event?: { $case?: string }; records?: unknown[]; changes?: unknown[]; record?: unknown; datasets?: unknown[]; results?: unknown[]; members?: unknown[] };
  if (m.event) return m.event.$case === "hit" ? 1 : 0;
  for (const list of [m.records, m.changes, m.datasets, m.results, m.members]) if (Array.isArray(list)) return list.length;
  return m.record ? 1 : 0;
}

function datasetsIn(message: unknown): string[] {
  const m = message as { datasetId?: unknown; datasets?: unknown };
  const out: string[] = [];
  if (typeof m.datasetId === "string" && m.datasetId) out.push(m.datasetId);
  if (Array.isArray(m.datasets)) for (const d of m.datasets) if (typeof d === "string") out.push(d);
  return out;
}

/**
 * The one server interceptor that guards every ipfed.v1 RPC: it establishes the caller
 * (token check, or anonymous), refuses a call whose token lacks the RPC's scope, and writes
 * one audit entry per call when it ends — allowed or denied, successful or failed. Handlers
 * read the caller with {@link callRecordOf}.
 *
 * @example
 * ```ts
 * const server = new Server({ interceptors: [createAuthInterceptor({ authenticate, audit })] });
 * ```
 */
export function createAuthInterceptor(options: AuthInterceptorOptions): ServerInterceptor {
  return (method: ServerMethodDefinition<unknown, unknown>, call) => {
    const path = method.path;
    if (!isIpfedRpc(path)) return new ServerInterceptingCall(call);
    const started = Date.now();
    const digest = createHash("sha256");
    const datasets = new Set<string>();
    let caller: Caller | undefined;
    let results = 0;
    let audited = false;
    const audit = (s: { code?: status | undefined; metadata?: Metadata | null | undefined }): void => {
      if (audited || !options.audit) return;
      audited = true;
      const code = s.metadata?.get("ipfed-error-code")[0];
      void options.audit.append({
        time: new Date(started).toISOString(),
        rpc: path,
        subject: caller?.subject ?? "?",
        issuer: caller?.issuer ?? "",
        act: caller?.act ? actChainToList(caller.act) : [],
        tier: caller ? tierLabel(caller.tier) : "",
        datasets: [...datasets].sort(),
        requestDigest: digest.digest("hex"),
        resultCount: results,
        status: STATUS_NAMES[s.code ?? status.OK] ?? String(s.code),
        code: typeof code === "string" ? code : "",
        peer: call.getPeer(),
        ms: Date.now() - started,
      });
    };
    return new ServerInterceptingCall(call, {
      start(next) {
        next({
          onReceiveMetadata(metadata, mdNext) {
            options
              .authenticate(metadata, path)
              .then((c) => {
                caller = c;
                const scope = RPC_SCOPES[path];
                if (scope && !c.scopes.has(scope)) {
                  throw new IpfedError("SCOPE_MISSING", `${path.slice(path.lastIndexOf("/") + 1)} needs the "${scope}" scope, which the ${c.anonymous ? "anonymous caller does not have" : "token does not grant"}`);
                }
                records.set(metadata, { caller: c, datasets });
                mdNext(metadata);
              })
              .catch((err: unknown) => {
                const s = toGrpcStatus(IpfedError.from(err));
                audit(s);
                call.sendStatus(s);
              });
          },
          onReceiveMessage(message, msgNext) {
            // Decoded messages have a fixed key order, so equal requests give equal digests.
            digest.update(JSON.stringify(message) ?? "");
            for (const d of datasetsIn(message)) datasets.add(d);
            msgNext(message);
          },
        });
      },
      sendMessage(message, next) {
        results += resultsIn(message);
        next(message);
      },
      sendStatus(s, next) {
        audit(s);
        next(s);
      },
    });
  };
}
