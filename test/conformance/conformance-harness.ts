import type { Metadata } from "@grpc/grpc-js";
import { MemberKind, Tier } from "@ipfed/proto";
import { createMemberServer, createStaticKeyResolver, generateMemberKey, IpfedError, issueToken, verifyToken } from "@ipfed/sdk";
import type { Caller, DataSource, MemberKey, MemberServer, ScopeName } from "@ipfed/sdk";
import { connect } from "./conformance-client.js";
import type { ConformanceClients } from "./conformance-client.js";
import { CONFORMANCE_FIXTURE, CONFORMANCE_MEMBER_ID, CONFORMANCE_NETWORK_ID } from "./conformance-fixture.js";
import type { ConformanceFixture } from "./conformance-fixture.js";

/** A DataSource the suite has loaded with the fixture, and how to let it go. */
export interface OpenedDataSource {
  readonly dataSource: DataSource;
  /** Releases what `open` took (files, connections); the suite calls it once, after its cases. */
  close(): Promise<void>;
}

/**
 * How the suite gets a DataSource under test. `open` must return a fresh DataSource holding
 * exactly the fixture: its datasets (metadata), its service desks, and its records, written in
 * the order given (which is the order the change log must show).
 */
export interface DataSourceAdapter {
  open(fixture: ConformanceFixture): Promise<OpenedDataSource>;
  /**
   * Optional features. `publish`: the DataSource implements `publish` (then Publish, the
   * change log after writes and live catalogue changes are checked; otherwise Publish must be
   * UNIMPLEMENTED).
   */
  readonly supports: { readonly publish: boolean };
}

/** The tokens the suite calls with, one per situation. */
export interface ConformanceTokens {
  /** PUBLIC, search read export. */
  readonly public: string;
  /** REGISTERED, search read export. */
  readonly registered: string;
  /** RESTRICTED, search read export publish. */
  readonly restricted: string;
  /** CONFIDENTIAL, search read export: cleared for every field. */
  readonly confidential: string;
  /** RESTRICTED, search read export, limited to the `trademarks` dataset. */
  readonly trademarksOnly: string;
  /** REGISTERED, search read (no export). */
  readonly noExport: string;
  /** REGISTERED, expired an hour ago. */
  readonly expired: string;
  /** Signed by an issuer the member does not know. */
  readonly stranger: string;
}

/** A running member over the DataSource under test. */
export interface ConformanceHarness {
  readonly address: string;
  readonly memberKey: MemberKey;
  readonly tokens: ConformanceTokens;
  readonly dataSource: DataSource;
  /** Clients as this caller: anonymous when no token is given. */
  as(token?: string): ConformanceClients;
  close(): Promise<void>;
}

/** The issuer of the suite's tokens: a portal the member trusts up to CONFIDENTIAL. */
const ISSUER = "conformance-portal";

/**
 * Opens the fixture through the adapter and serves it with `createMemberServer` on
 * 127.0.0.1:0, trusting the suite's token issuer; anonymous callers are PUBLIC with search
 * and read.
 *
 * @example
 * ```ts
 * const h = await startHarness(adapter);
 * const c = h.as(h.tokens.registered);
 * ```
 */
export async function startHarness(adapter: DataSourceAdapter): Promise<ConformanceHarness> {
  const [memberKey, issuerKey, strangerKey] = await Promise.all([generateMemberKey(), generateMemberKey(), generateMemberKey()]);
  const opened = await adapter.open(CONFORMANCE_FIXTURE);
  const resolver = createStaticKeyResolver({ [ISSUER]: { keys: [issuerKey.publicJwk], maxTier: Tier.TIER_CONFIDENTIAL } });
  const authenticate = async (metadata: Metadata): Promise<Caller> => {
    const values = metadata.get("authorization");
    if (values.length === 0) {
      return { anonymous: true, subject: "anonymous", issuer: "", tier: Tier.TIER_PUBLIC, scopes: new Set<ScopeName>(["search", "read"]), tokenId: "", expiresAt: 0 };
    }
    const m = /^Bearer (\S+)$/.exec(String(values[0]));
    if (!m) throw new IpfedError("TOKEN_MALFORMED", 'the authorization header must be "Bearer <token>"');
    return (await verifyToken(m[1]!, { keys: resolver, audience: [CONFORMANCE_MEMBER_ID, CONFORMANCE_NETWORK_ID] })).caller;
  };
  const server: MemberServer = createMemberServer({
    identity: {
      id: CONFORMANCE_MEMBER_ID,
      kind: MemberKind.MEMBER_KIND_LIBRARY,
      region: "440300",
      names: [{ lang: "en", text: "Conformance member" }],
      networkId: CONFORMANCE_NETWORK_ID,
      keys: () => [memberKey],
    },
    dataSource: opened.dataSource,
    // The suite checks the contract of every RPC, asking as fast as it can; per-caller limits
    // are a member's own policy (test/reliability/limits.test.ts), so they are off here.
    options: { authenticate, shutdownGraceMs: 500, limits: false },
  });
  const address = await server.listen("127.0.0.1:0");
  const token = (tier: Tier, scopes: ScopeName[], extra: { datasets?: string[]; now?: Date; key?: MemberKey; issuer?: string } = {}) =>
    issueToken(extra.key ?? issuerKey, {
      issuer: extra.issuer ?? ISSUER,
      subject: `user-${Tier[tier].toLowerCase()}`,
      audience: CONFORMANCE_NETWORK_ID,
      tier,
      scopes,
      ttlSeconds: 600,
      ...(extra.datasets ? { datasets: extra.datasets } : {}),
      ...(extra.now ? { now: extra.now } : {}),
    });
  const all: ScopeName[] = ["search", "read", "export"];
  const tokens: ConformanceTokens = {
    public: await token(Tier.TIER_PUBLIC, all),
    registered: await token(Tier.TIER_REGISTERED, all),
    restricted: await token(Tier.TIER_RESTRICTED, [...all, "publish"]),
    confidential: await token(Tier.TIER_CONFIDENTIAL, all),
    trademarksOnly: await token(Tier.TIER_RESTRICTED, all, { datasets: ["trademarks"] }),
    noExport: await token(Tier.TIER_REGISTERED, ["search", "read"]),
    expired: await token(Tier.TIER_REGISTERED, all, { now: new Date(Date.now() - 3_600_000) }),
    stranger: await token(Tier.TIER_REGISTERED, all, { key: strangerKey, issuer: "unknown-portal" }),
  };
  const open: ConformanceClients[] = [];
  return {
    address,
    memberKey,
    tokens,
    dataSource: opened.dataSource,
    as(t) {
      const c = connect(address, t);
      open.push(c);
      return c;
    },
    async close() {
      for (const c of open) c.close();
      await server.close();
      await opened.close();
    },
  };
}
