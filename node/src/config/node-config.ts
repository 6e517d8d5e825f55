import { readFile, writeFile, rename, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { IpfedError } from "@ipfed/sdk";
import type { CallLimitsOptions } from "@ipfed/sdk";

/**
 * Member kinds as written in the config file and on the command line.
 *
 * @example
 * ```ts
 * MEMBER_KINDS.includes("tisc"); // true
 * ```
 */
export const MEMBER_KINDS = ["hub", "regional", "local", "tisc", "university", "library", "other"] as const;
/**
 * A member kind.
 *
 * @example
 * ```ts
 * const kind: MemberKindName = "library";
 * ```
 */
export type MemberKindName = (typeof MEMBER_KINDS)[number];

/**
 * The node's configuration, stored as `ipfed.json` in its data directory.
 *
 * @example
 * ```ts
 * const config: NodeConfig = await loadConfig("./data/sc");
 * console.log(config.id, config.kind, config.region, config.listen); // "sc-regional" "regional" "510000" "127.0.0.1:7400"
 * ```
 */
export interface NodeConfig {
  /** File format version. */
  readonly version: 1;
  /** Member id: lower-case letters, digits and `-`. */
  readonly id: string;
  /** Role in the network. */
  readonly kind: MemberKindName;
  /** Administrative division code (GB/T 2260, six digits). */
  readonly region: string;
  /** Names by language (`{ en: "...", zh: "..." }`). */
  readonly names: Readonly<Record<string, string>>;
  /** Network id; also a valid token audience. */
  readonly networkId: string;
  /** gRPC listen address, `host:port`. */
  readonly listen: string;
  /** HTTP listen address (health, metrics, portal), `host:port`. */
  readonly http: string;
  /** The hub to join, `host:port`, with its key fingerprint; absent for the hub itself. */
  readonly hub?: {
    /** The hub's gRPC address, `host:port`. */
    readonly address: string;
    /** The RFC 7638 thumbprint of the hub's key, pinned; written on first contact when absent. */
    readonly fingerprint?: string;
    /**
     * The hub serves TLS: `true` to verify it with the system's roots (a certificate from a
     * public CA, checked against the address's host name), or the path of a PEM file (the
     * hub's own `tls/cert.pem`, pinned, or the CA that issued it), relative to the data
     * directory. Absent: plaintext, which a non-loopback hub address refuses unless
     * `allowPlaintext` is set.
     */
    readonly tls?: boolean | string;
  };
  /**
   * TLS on the node's listeners: `cert` and `key` are PEM files (relative to the data
   * directory; `ipfed node tls` writes `tls/cert.pem` and `tls/key.pem`). The gRPC endpoint
   * then serves TLS, asks callers for a client certificate (optional for users, required of
   * other members calling with their tokens), and the certificate is announced in the
   * member's entry of the network configuration; `http: false` keeps the HTTP side
   * (portal, gateway, metrics) plaintext, e.g. behind a reverse proxy.
   */
  readonly tls?: {
    /** The certificate (chain), PEM. */
    readonly cert: string;
    /** Its private key, PEM (keep it mode 600). */
    readonly key: string;
    /** Serve the HTTP side over HTTPS too (default true). */
    readonly http?: boolean;
  };
  /**
   * Allow plaintext gRPC and HTTP on, and to, addresses that are not loopback (a private
   * network the institution trusts). Default false: such an address needs `tls`.
   */
  readonly allowPlaintext?: boolean;
  /** Who the node trusts and how it treats callers; defaults in `trust/node-trust.ts`. */
  readonly trust?: TrustSettings;
  /** The member this node federates under (a regional node for its outlets); none for top level. */
  readonly parent?: string;
  /** How this node federates queries. */
  readonly federation?: FederationSettings;
  /**
   * Limits on callers: `{ "rate": { "public": { "perSecond": 20, "burst": 40 }, … },
   * "maxStreamsPerCaller": 16 }` (defaults: `DEFAULT_CALL_LIMITS` of the SDK), `false` for none,
   * and `maxMessageBytes` for the largest message in or out (default 16 MiB).
   */
  readonly limits?:
    | (CallLimitsOptions & {
        /** Largest message in or out, in bytes (default 16 MiB). */
        readonly maxMessageBytes?: number;
      })
    | false;
}

/** The `federation` section of ipfed.json. */
export interface FederationSettings {
  /** Members this node federates to besides those that name it as their parent. */
  readonly children?: readonly string[];
  /** Deadline of a federated query when the caller sets none, milliseconds (default 5000). */
  readonly defaultDeadlineMs?: number;
  /** Hops a federated query may travel (default 3). */
  readonly maxHops?: number;
  /** Seconds between heartbeats to the hub (default 30); a newer network configuration is fetched on the next one. */
  readonly heartbeatSeconds?: number;
  /** The peer-to-peer layer (libp2p gossipsub) that spreads configurations, catalogue changes and revocations. */
  readonly p2p?: P2pSettings;
}

/** The `federation.p2p` section of ipfed.json. */
export interface P2pSettings {
  /** Run the libp2p host and gossip (default true). */
  readonly enabled?: boolean;
  /** Multiaddr(s) to listen on (default `/ip4/127.0.0.1/tcp/0`: loopback, any free port). */
  readonly listen?: string | readonly string[];
  /** Multiaddrs announced instead of the listen addresses (a public address behind NAT). */
  readonly announce?: readonly string[];
  /** Peers dialled at start besides those of the network configuration, each ending in `/p2p/<peer id>`. */
  readonly bootstrap?: readonly string[];
}

/** Tier names as written in the config and on the command line. */
export type TierWord = "public" | "registered" | "restricted" | "confidential";

/** Another member whose tokens this node accepts. */
export interface TrustedIssuer {
  /** The highest tier its tokens may grant here. */
  readonly maxTier: TierWord;
  /** Its public keys (JWKs, Ed25519). */
  readonly keys: readonly { readonly [k: string]: unknown }[];
  /** Where the keys came from (`grpc://host:port`, a file), for operators. */
  readonly source?: string;
}

/** The `trust` section of ipfed.json. */
export interface TrustSettings {
  /** Anonymous callers (no token): allowed or not, and with which scopes. */
  readonly anonymous?: { readonly enabled?: boolean; readonly scopes?: readonly string[] };
  /** The highest tier this node's own tokens may grant. */
  readonly selfMaxTier?: TierWord;
  /** Other members whose tokens are accepted, by member id. */
  readonly issuers?: { readonly [memberId: string]: TrustedIssuer };
  /** Clock skew tolerated on token times, seconds. */
  readonly clockSkewSeconds?: number;
  /** Longest lifetime of a token this node issues; retired keys verify this long after rotation. */
  readonly maxTokenTtlSeconds?: number;
}

/**
 * Name of the config file inside a node's data directory.
 *
 * @example
 * ```ts
 * const config = JSON.parse(await readFile(join(dir, CONFIG_FILE), "utf8")); // ./data/sc/ipfed.json
 * ```
 */
export const CONFIG_FILE = "ipfed.json";

const ID_RE = /^[a-z0-9][a-z0-9-]{0,62}$/;
const REGION_RE = /^\d{6}$/;
const ADDRESS_RE = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;

/**
 * Checks a config and returns it typed, or throws CONFIG_INVALID naming the first bad field.
 *
 * @example
 * ```ts
 * validateConfig(JSON.parse(text), "/data/ipfed.json");
 * ```
 */
export function validateConfig(raw: unknown, where: string): NodeConfig {
  const bad = (field: string, why: string): never => {
    throw new IpfedError("CONFIG_INVALID", `${where}: field "${field}" ${why}`, { field, metadata: { file: where } });
  };
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) bad("(root)", "must be a JSON object");
  const c = raw as Record<string, unknown>;
  if (c.version !== 1) bad("version", `must be 1 (found ${JSON.stringify(c.version)})`);
  if (typeof c.id !== "string" || !ID_RE.test(c.id)) bad("id", "must be lower-case letters, digits and '-' (1-63 characters)");
  if (typeof c.kind !== "string" || !(MEMBER_KINDS as readonly string[]).includes(c.kind))
    bad("kind", `must be one of ${MEMBER_KINDS.join(", ")}`);
  if (typeof c.region !== "string" || !REGION_RE.test(c.region)) bad("region", "must be a six-digit GB/T 2260 code such as 510000");
  if (typeof c.networkId !== "string" || !ID_RE.test(c.networkId)) bad("networkId", "must be lower-case letters, digits and '-'");
  if (typeof c.listen !== "string" || !ADDRESS_RE.test(c.listen)) bad("listen", "must be host:port");
  if (typeof c.http !== "string" || !ADDRESS_RE.test(c.http)) bad("http", "must be host:port");
  if (typeof c.names !== "object" || c.names === null || Array.isArray(c.names)) bad("names", "must be an object of language → name");
  for (const [lang, name] of Object.entries(c.names as object)) {
    if (typeof name !== "string") bad(`names.${lang}`, "must be a string");
  }
  if (c.trust !== undefined) validateTrust(c.trust, bad);
  if (c.parent !== undefined && (typeof c.parent !== "string" || !ID_RE.test(c.parent))) bad("parent", "must be a member id");
  if (c.federation !== undefined) {
    const f = c.federation as { children?: unknown; defaultDeadlineMs?: unknown; maxHops?: unknown; heartbeatSeconds?: unknown; p2p?: unknown };
    if (typeof f !== "object" || f === null) bad("federation", "must be an object");
    if (f.children !== undefined && (!Array.isArray(f.children) || f.children.some((x) => typeof x !== "string" || !ID_RE.test(x))))
      bad("federation.children", "must be a list of member ids");
    if (f.defaultDeadlineMs !== undefined && (typeof f.defaultDeadlineMs !== "number" || f.defaultDeadlineMs <= 0)) bad("federation.defaultDeadlineMs", "must be a positive number");
    if (f.maxHops !== undefined && (typeof f.maxHops !== "number" || !Number.isInteger(f.maxHops) || f.maxHops < 1)) bad("federation.maxHops", "must be a positive integer");
    if (f.heartbeatSeconds !== undefined && (typeof f.heartbeatSeconds !== "number" || !(f.heartbeatSeconds > 0))) bad("federation.heartbeatSeconds", "must be a positive number of seconds");
    if (f.p2p !== undefined) validateP2p(f.p2p, bad);
  }
  if (c.limits !== undefined && c.limits !== false) validateLimits(c.limits, bad);
  if (c.hub !== undefined) {
    const hub = c.hub as Record<string, unknown> | null;
    if (typeof hub !== "object" || hub === null || typeof hub.address !== "string" || !ADDRESS_RE.test(hub.address))
      bad("hub.address", "must be host:port");
    const hubTls = (hub as Record<string, unknown>).tls;
    if (hubTls !== undefined && typeof hubTls !== "boolean" && (typeof hubTls !== "string" || hubTls === ""))
      bad("hub.tls", "must be true, false, or the path of a PEM certificate file");
  }
  if (c.tls !== undefined) {
    if (typeof c.tls !== "object" || c.tls === null || Array.isArray(c.tls)) bad("tls", "must be an object { cert, key }");
    const t = c.tls as Record<string, unknown>;
    for (const f of ["cert", "key"]) if (typeof t[f] !== "string" || t[f] === "") bad(`tls.${f}`, "must be the path of a PEM file");
    if (t.http !== undefined && typeof t.http !== "boolean") bad("tls.http", "must be true or false");
  }
  if (c.allowPlaintext !== undefined && typeof c.allowPlaintext !== "boolean") bad("allowPlaintext", "must be true or false");
  return c as unknown as NodeConfig;
}

function validateLimits(raw: unknown, bad: (field: string, why: string) => never): void {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) bad("limits", "must be an object or false");
  const l = raw as { rate?: unknown; maxStreamsPerCaller?: unknown; maxTrackedCallers?: unknown; maxMessageBytes?: unknown };
  const positiveInt = (v: unknown, field: string): void => {
    if (v !== undefined && (typeof v !== "number" || !Number.isInteger(v) || v < 1)) bad(field, "must be a positive integer");
  };
  positiveInt(l.maxStreamsPerCaller, "limits.maxStreamsPerCaller");
  positiveInt((l as { maxStreamsPerMember?: unknown }).maxStreamsPerMember, "limits.maxStreamsPerMember");
  positiveInt(l.maxTrackedCallers, "limits.maxTrackedCallers");
  positiveInt(l.maxMessageBytes, "limits.maxMessageBytes");
  if (l.rate === undefined) return;
  if (typeof l.rate !== "object" || l.rate === null) bad("limits.rate", "must be an object");
  for (const [name, v] of Object.entries(l.rate as object)) {
    if (!["public", "registered", "restricted", "confidential", "federated"].includes(name)) bad(`limits.rate.${name}`, "is not a tier (public, registered, restricted, confidential) or federated");
    const r = v as { perSecond?: unknown; burst?: unknown } | null;
    if (typeof r !== "object" || r === null || typeof r.perSecond !== "number" || !(r.perSecond > 0) || typeof r.burst !== "number" || !(r.burst >= 1)) {
      bad(`limits.rate.${name}`, "must be { perSecond: > 0, burst: >= 1 }");
    }
  }
}

/** A multiaddr as written in ipfed.json: `/ip4/…/tcp/…`; parsed fully when the host starts. */
const MULTIADDR_RE = /^(\/[A-Za-z0-9._~:%+-]+)+$/;

function validateP2p(raw: unknown, bad: (field: string, why: string) => never): void {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) bad("federation.p2p", "must be an object");
  const p = raw as { enabled?: unknown; listen?: unknown; announce?: unknown; bootstrap?: unknown };
  if (p.enabled !== undefined && typeof p.enabled !== "boolean") bad("federation.p2p.enabled", "must be true or false");
  const addresses = (field: string, value: unknown, needPeer: boolean): void => {
    const list = typeof value === "string" && field === "listen" ? [value] : value;
    if (!Array.isArray(list) || list.some((a) => typeof a !== "string" || !MULTIADDR_RE.test(a) || (needPeer && !/\/p2p\/[^/]+$/.test(a)))) {
      bad(`federation.p2p.${field}`, `must be ${field === "listen" ? "a multiaddr or a list of multiaddrs" : "a list of multiaddrs"}${needPeer ? " ending in /p2p/<peer id>" : ""}`);
    }
  };
  if (p.listen !== undefined) addresses("listen", p.listen, false);
  if (p.announce !== undefined) addresses("announce", p.announce, false);
  if (p.bootstrap !== undefined) addresses("bootstrap", p.bootstrap, true);
}

const TIER_WORDS = ["public", "registered", "restricted", "confidential"];
const SCOPE_WORDS = ["search", "read", "export", "publish", "admin"];

function validateTrust(raw: unknown, bad: (field: string, why: string) => never): void {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) bad("trust", "must be an object");
  const t = raw as { [k: string]: unknown };
  const a = t.anonymous as { enabled?: unknown; scopes?: unknown } | undefined;
  if (a !== undefined) {
    if (typeof a !== "object" || a === null) bad("trust.anonymous", "must be an object");
    if (a.enabled !== undefined && typeof a.enabled !== "boolean") bad("trust.anonymous.enabled", "must be true or false");
    if (a.scopes !== undefined && (!Array.isArray(a.scopes) || a.scopes.some((s) => !SCOPE_WORDS.includes(String(s)))))
      bad("trust.anonymous.scopes", `must be a list of ${SCOPE_WORDS.join(", ")}`);
  }
  if (t.selfMaxTier !== undefined && !TIER_WORDS.includes(String(t.selfMaxTier))) bad("trust.selfMaxTier", `must be one of ${TIER_WORDS.join(", ")}`);
  for (const f of ["clockSkewSeconds", "maxTokenTtlSeconds"]) {
    const v = t[f];
    if (v !== undefined && (typeof v !== "number" || !Number.isFinite(v) || v < 0)) bad(`trust.${f}`, "must be a number of seconds");
  }
  const issuers = t.issuers as { [k: string]: { maxTier?: unknown; keys?: unknown } } | undefined;
  if (issuers !== undefined) {
    if (typeof issuers !== "object" || issuers === null) bad("trust.issuers", "must be an object of member id → issuer");
    for (const [id, iss] of Object.entries(issuers)) {
      if (!ID_RE.test(id)) bad(`trust.issuers.${id}`, "is not a member id");
      if (!TIER_WORDS.includes(String(iss.maxTier))) bad(`trust.issuers.${id}.maxTier`, `must be one of ${TIER_WORDS.join(", ")}`);
      if (!Array.isArray(iss.keys)) bad(`trust.issuers.${id}.keys`, "must be a list of JWKs");
    }
  }
}

/**
 * Checks a `host:port` address given on the command line.
 *
 * @example
 * ```ts
 * parseAddress("127.0.0.1:7400", "--listen"); // "127.0.0.1:7400"
 * ```
 */
export function parseAddress(value: string, flag: string): string {
  const m = ADDRESS_RE.exec(value);
  if (!m || Number(m[2]) > 65535) {
    throw new IpfedError("INVALID_ARGUMENT", `${flag} must be host:port (found "${value}")`, { field: flag });
  }
  return value;
}

/**
 * Reads and validates the config of the node in `dir`.
 *
 * @example
 * ```ts
 * const config = await loadConfig("/var/lib/ipfed");
 * ```
 */
export async function loadConfig(dir: string): Promise<NodeConfig> {
  const file = join(dir, CONFIG_FILE);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") {
      throw new IpfedError("CONFIG_NOT_FOUND", `no node in ${dir}: ${CONFIG_FILE} is missing (run \`ipfed node init --dir ${dir} ...\` first)`, { cause: err });
    }
    throw new IpfedError("CONFIG_INVALID", `cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new IpfedError("CONFIG_INVALID", `${file} is not valid JSON: ${(err as Error).message}`, { cause: err, metadata: { file } });
  }
  return validateConfig(raw, file);
}

/**
 * Writes a node config atomically (write to a temporary file, then rename).
 *
 * @example
 * ```ts
 * await saveConfig(dir, { ...config, listen: "0.0.0.0:7400" });
 * ```
 */
export async function saveConfig(dir: string, config: NodeConfig): Promise<void> {
  validateConfig(config, join(dir, CONFIG_FILE));
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${CONFIG_FILE}.tmp`);
  await writeFile(tmp, JSON.stringify(config, null, 2) + "\n", { mode: 0o644 });
  await rename(tmp, join(dir, CONFIG_FILE));
}
