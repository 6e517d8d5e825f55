import { createHash } from "node:crypto";
import { TLSSocket } from "node:tls";
import { Metadata, ServerInterceptingCall, status } from "@grpc/grpc-js";
import type { ServerInterceptor, ServerMethodDefinition } from "@grpc/grpc-js";
import { IpfedError } from "../errors/ipfed-error.js";
import { toGrpcStatus } from "../errors/grpc-status.js";
import type { AuditSink } from "../server/audit-sink.js";
import { notify } from "../server/server-observer.js";
import type { ServerObserver } from "../server/server-observer.js";
import type { CallLimiter, Admission } from "../server/call-limits.js";
import { isUndecodable, UNDECODABLE } from "../server/grpc-server.js";
import { isEncodedMessage } from "../server/encoded-message.js";
import type { Caller } from "./caller.js";
import { actChainToList } from "../tokens/actor-chain.js";
import { RPC_SCOPES, isIpfedRpc } from "./rpc-scopes.js";
import { tierName as tierLabel } from "../privacy/tier-order.js";

/**
 * Turns a call's metadata into the caller it speaks for, or throws an IpfedError.
 *
 * @example
 * ```ts
 * const authenticate: Authenticate = async (metadata) => {
 *   const header = String(metadata.get("authorization")[0] ?? "");
 *   return (await verifier.verify(header.replace(/^Bearer\s+/i, ""))).caller;
 * };
 * ```
 */
export type Authenticate = (metadata: Metadata, path: string) => Promise<Caller>;

/**
 * Options of {@link createAuthInterceptor}.
 *
 * @example
 * ```ts
 * const interceptor = createAuthInterceptor({ authenticate, audit: { append: (event) => log.info(event, "audit") } });
 * ```
 */
export interface AuthInterceptorOptions {
  /** Establishes the caller: token check, or the anonymous caller. */
  authenticate: Authenticate;
  /** Where every ipfed.v1 call is recorded, allowed or denied. */
  audit?: AuditSink;
  /** Told how every ipfed.v1 call ended (status, duration, messages sent); shared with the handlers. */
  observe?: ServerObserver;
  /** Per-caller rate limits and stream caps, applied once the caller is known. */
  limits?: CallLimiter;
  /**
   * Checks the caller against the TLS client certificate the call came with (its SHA-256
   * fingerprint, lower-case hex; undefined without a verified one) and throws to refuse it;
   * see {@link memberCertificateCheck}.
   */
  peerCheck?: PeerCheck;
}

/**
 * Checks a caller against the verified TLS client certificate of its connection.
 *
 * @example
 * ```ts
 * const peerCheck: PeerCheck = (caller, fingerprint) => {
 *   if (caller.act && !fingerprint) throw new IpfedError("PEER_CERTIFICATE_MISMATCH", "members call over mutual TLS");
 * };
 * ```
 */
export type PeerCheck = (caller: Caller, certificateFingerprint: string | undefined) => void;

/**
 * The rule that binds a member's calls to its certificate: a call made by another member —
 * a token with an `act` chain (the member acting for its callers: the chain's current actor),
 * or a member's own token (issuer and subject are the member) — must come over mutual TLS
 * with the certificate whose fingerprint `fingerprintOf` gives for that member (its
 * `tls_fingerprint` in the network configuration). A member without one (plaintext on
 * loopback, or not yet moved to TLS) is not checked; `selfId`'s own tokens are the
 * operator's, on the node's machine.
 *
 * @example
 * ```ts
 * const peerCheck = memberCertificateCheck("sc-regional", (id) => config.members.find((m) => m.id === id)?.tlsFingerprint);
 * ```
 */
export function memberCertificateCheck(selfId: string, fingerprintOf: (memberId: string) => string | undefined): PeerCheck {
  return (caller, presented) => {
    const member = caller.act ? caller.act.sub : !caller.anonymous && caller.subject === caller.issuer ? caller.issuer : undefined;
    if (member === undefined || member === selfId) return;
    const expected = fingerprintOf(member);
    if (!expected || expected === presented) return;
    throw new IpfedError(
      "PEER_CERTIFICATE_MISMATCH",
      presented
        ? `a call made by member ${member} came with TLS certificate ${presented.slice(0, 16)}…, not the one the network configuration binds to it (${expected.slice(0, 16)}…)`
        : `a call made by member ${member} must come over mutual TLS with its certificate (${expected.slice(0, 16)}…), and came without one`,
    );
  };
}

/**
 * What the interceptor knows about a call, shared with the handlers through the call's metadata.
 *
 * @example
 * ```ts
 * const record: CallRecord | undefined = callRecordOf(call.metadata);
 * record?.datasets.add("cn-patents"); // the audit entry lists the datasets a call touched
 * ```
 */
export interface CallRecord {
  /** Who is calling, as `authenticate` established. */
  readonly caller: Caller;
  /** Datasets the call touched; handlers add to it. */
  readonly datasets: Set<string>;
  /** The server's observer, for what handlers report (federation outcomes). */
  readonly observe?: ServerObserver;
}

const records = new WeakMap<Metadata, CallRecord>();

/**
 * The caller of a call that passed the interceptor, found through the call's metadata (a
 * WeakMap, so a client cannot forge it with a header).
 *
 * @example
 * ```ts
 * const record = callRecordOf(call.metadata); // in a handler behind the interceptor
 * console.log(record?.caller.subject, [...(record?.datasets ?? [])]);
 * ```
 */
export function callRecordOf(metadata: Metadata): CallRecord | undefined {
  return records.get(metadata);
}

/**
 * SHA-256 fingerprint (lower-case hex) of the client certificate the call's TLS connection
 * presented, if any. grpc-js shows only certificates that chain to the server's CAs, but a
 * fingerprint check needs no chain: the handshake already proved the client holds the
 * certificate's key. So when grpc-js shows none, the certificate is read from the
 * connection's socket (reachable from the innermost call, which the auth interceptor
 * receives as the first interceptor); a member whose certificate the server has not learnt
 * yet is then recognised on a connection opened before it did.
 */
function peerCertificateFingerprint(call: { getAuthContext(): { sslPeerCertificate?: { fingerprint256?: string } } | null }): string | undefined {
  let fp = call.getAuthContext()?.sslPeerCertificate?.fingerprint256;
  if (!fp) {
    const socket = (call as { stream?: { session?: { socket?: unknown } } }).stream?.session?.socket;
    if (socket instanceof TLSSocket) {
      const cert = socket.getPeerCertificate();
      if (cert && cert.raw) fp = cert.fingerprint256;
    }
  }
  return fp ? fp.replace(/:/g, "").toLowerCase() : undefined;
}

const STATUS_NAMES = Object.fromEntries(Object.entries(status).filter(([, v]) => typeof v === "number").map(([k, v]) => [v, k])) as { [n: number]: string };

/** Results a response message carries, for the audit log. */
function resultsIn(message: unknown): number {
  if (isEncodedMessage(message)) return message.results;
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
 * one audit entry per call when it ends — allowed or denied, successful or failed. It also
 * tells the observer, if any, how each call ended (cancelled calls included). Handlers read
 * the caller with {@link callRecordOf}.
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
    const slash = path.lastIndexOf("/");
    const service = path.slice(1, slash);
    const methodName = path.slice(slash + 1);
    const digest = createHash("sha256");
    const datasets = new Set<string>();
    let caller: Caller | undefined;
    let results = 0;
    let sent = 0;
    let observed = false;
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
    const observe = (s: { code?: status | undefined; metadata?: Metadata | null | undefined }): void => {
      if (observed || !options.observe) return;
      observed = true;
      const code = s.metadata?.get("ipfed-error-code")[0];
      const outcome = {
        service,
        method: methodName,
        code: STATUS_NAMES[s.code ?? status.OK] ?? String(s.code),
        ...(typeof code === "string" && code ? { errorCode: code } : {}),
        ms: Date.now() - started,
        streamed: sent,
      };
      notify(options.observe, (o) => o.rpc?.(outcome));
    };
    let admission: Admission | undefined;
    const end = (s: { code?: status | undefined; metadata?: Metadata | null | undefined }): void => {
      admission?.release();
      audit(s);
      observe(s);
    };
    return new ServerInterceptingCall(call, {
      start(next) {
        next({
          onReceiveMetadata(metadata, mdNext) {
            options
              .authenticate(metadata, path)
              .then((c) => {
                caller = c;
                if (options.peerCheck) options.peerCheck(c, peerCertificateFingerprint(call));
                const scope = RPC_SCOPES[path];
                if (scope && !c.scopes.has(scope)) {
                  throw new IpfedError("SCOPE_MISSING", `${path.slice(path.lastIndexOf("/") + 1)} needs the "${scope}" scope, which the ${c.anonymous ? "anonymous caller does not have" : "token does not grant"}`);
                }
                admission = options.limits?.admit(c, clientAddress(call.getPeer(), metadata), { stream: method.responseStream });
                records.set(metadata, { caller: c, datasets, ...(options.observe ? { observe: options.observe } : {}) });
                mdNext(metadata);
              })
              .catch((err: unknown) => {
                const s = toGrpcStatus(IpfedError.from(err));
                end(s);
                call.sendStatus(s);
              });
          },
          onReceiveMessage(message, msgNext) {
            if (isUndecodable(message)) {
              const st = toGrpcStatus(new IpfedError("REQUEST_MALFORMED", message[UNDECODABLE]));
              end(st);
              call.sendStatus(st);
              return;
            }
            // Decoded messages have a fixed key order, so equal requests give equal digests.
            digest.update(JSON.stringify(message) ?? "");
            for (const d of datasetsIn(message)) datasets.add(d);
            msgNext(message);
          },
          onCancel() {
            // grpc-js calls this after every call, and without a status through this
            // interceptor when the client cancelled or the deadline passed first.
            admission?.release();
            const deadline = call.getDeadline();
            const at = deadline instanceof Date ? deadline.getTime() : Number(deadline);
            observe({ code: Date.now() >= at ? status.DEADLINE_EXCEEDED : status.CANCELLED });
          },
        });
      },
      sendMessage(message, next) {
        results += resultsIn(message);
        sent += 1;
        next(message);
      },
      sendStatus(s, next) {
        end(s);
        next(s);
      },
    });
  };
}

/**
 * The address that tells anonymous callers apart: the transport peer, or, for a call from
 * this machine (the node's own JSON gateway, a local proxy), the client it names in
 * `x-forwarded-for`.
 */
function clientAddress(peer: string, metadata: Metadata): string {
  const forwarded = metadata.get("x-forwarded-for")[0];
  if (typeof forwarded === "string" && forwarded !== "" && /^ipv[46]:(127\.|\[::1\]|\[::ffff:127\.)/.test(peer)) {
    return forwarded.split(",")[0]!.trim();
  }
  return peer;
}
