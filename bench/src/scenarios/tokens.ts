import { createPublicKey, verify } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { Metadata } from "@grpc/grpc-js";
import { Tier } from "@ipfed/proto";
import { issueToken } from "@ipfed/sdk";
import { importJWK, jwtVerify } from "jose";
import { NodeTrust } from "../../../node/src/trust/node-trust.js";
import { ipfed } from "../../../test/helpers/node-process.js";
import type { ResultRow } from "../result-file.js";
import type { Scenario, ScenarioContext, ScenarioOutput } from "../scenario.js";
import { figure } from "../stats.js";
import { unlimited } from "../unlimited.js";

/** Distinct tokens that the repeated case cycles through: a few active users. */
const POOL = 100;

async function rate(count: number, fn: (i: number) => unknown): Promise<number> {
  const t = performance.now();
  for (let i = 0; i < count; i++) await fn(i);
  return (count * 1000) / (performance.now() - t);
}

/**
 * Tokens: requests/s whose bearer token the node verifies, with the node's own check
 * (`NodeTrust.authenticate`, what its gRPC interceptor calls: signature, claims, issuer, tier
 * cap, revocation, with its cache) against `jose`'s `jwtVerify` and raw `node:crypto` Ed25519
 * verification of the same tokens (the crypto limit), for tokens seen once (cold) and for a pool
 * of repeated tokens.
 *
 * @example
 * ```ts
 * await tokensScenario.run({ size: 0, runs: 1, queries: 0, members: [], memberRecords: 0, tokens: 100, cacheDir: ".cache", log: console.log });
 * ```
 */
export const tokensScenario: Scenario = {
  name: "tokens",
  title: "Tokens: the node's verification vs jose and raw Ed25519",
  description: [
    "Requests per second whose bearer token is verified, on one thread: the node's own check (`NodeTrust.authenticate`, which",
    "its gRPC interceptor calls for every call: EdDSA signature, expiry, audience, issuer and its tier cap, revocation list,",
    "with a cache keyed by the token's SHA-256) against `jose`'s `jwtVerify` with the same key (what a user would write) and",
    "raw `node:crypto` Ed25519 verification of the same signing input (the crypto limit). Cold: every token is new. Repeated:",
    `requests cycle through ${POOL} tokens, as a few active users do.`,
  ].join("\n"),
  slower: [
    "Cold, the node does everything jose does and a little more (issuer and tier cap, revocation, the cache entry), so it",
    "cannot beat raw Ed25519; repeated tokens are answered from the cache and pass the crypto limit. The signature itself is",
    "checked with node:crypto's Ed25519 on a cached KeyObject (the first 200k run used jose's WebCrypto path, 0.45× raw).",
  ].join(" "),
  resultSize: (ctx) => ctx.tokens,
  async run(ctx: ScenarioContext): Promise<ScenarioOutput> {
    const dir = join(ctx.cacheDir, "tokens-node");
    if (!existsSync(join(dir, "ipfed.json"))) {
      const r = await ipfed(["node", "init", "--dir", dir, "--id", "bench-tokens", "--kind", "tisc", "--region", "510100"]);
      if (r.code !== 0) throw new Error(`ipfed node init failed: ${r.stderr}`);
    }
    await unlimited(dir);
    const base = await NodeTrust.load(dir);
    const key = base.signingKey();
    const config = base.config;
    const tokens: string[] = [];
    for (let i = 0; i < ctx.tokens; i++) {
      tokens.push(
        await issueToken(key, { issuer: config.id, subject: `user-${i}`, audience: config.networkId, tier: Tier.TIER_REGISTERED, scopes: ["search", "read"], ttlSeconds: 3600 }),
      );
    }
    const metadata = tokens.map((t) => {
      const m = new Metadata();
      m.set("authorization", `Bearer ${t}`);
      return m;
    });
    const publicKey = createPublicKey({ key: key.publicJwk as import("node:crypto").JsonWebKey, format: "jwk" });
    const joseKey = await importJWK(key.publicJwk, "EdDSA");
    const raw = (token: string): boolean => {
      const dot = token.lastIndexOf(".");
      return verify(null, Buffer.from(token.slice(0, dot)), publicKey, Buffer.from(token.slice(dot + 1), "base64url"));
    };
    const viaJose = (token: string) => jwtVerify(token, joseKey, { audience: config.networkId, issuer: config.id });
    const pooled = (i: number): number => i % Math.min(POOL, tokens.length);
    const figures: { [name: string]: number[] } = {};
    const push = (name: string, v: number): void => void (figures[name] ??= []).push(v);
    for (let r = 0; r < ctx.runs; r++) {
      // A new NodeTrust each run, so that its cache starts empty.
      const trust = await NodeTrust.load(dir);
      push("ipfed cold", await rate(tokens.length, (i) => trust.authenticate(metadata[i]!)));
      push("ipfed repeated", await rate(tokens.length, (i) => trust.authenticate(metadata[pooled(i)]!)));
      trust.stop();
      push("jose cold", await rate(tokens.length, (i) => viaJose(tokens[i]!)));
      push("jose repeated", await rate(tokens.length, (i) => viaJose(tokens[pooled(i)]!)));
      push("raw cold", await rate(tokens.length, (i) => raw(tokens[i]!)));
      push("raw repeated", await rate(tokens.length, (i) => raw(tokens[pooled(i)]!)));
      ctx.log(`tokens: run ${r + 1}: ipfed cold ${Math.round(figures["ipfed cold"]!.at(-1)!)}/s, raw ${Math.round(figures["raw cold"]!.at(-1)!)}/s`);
    }
    base.stop();
    // Every token must verify every way, or the rates mean nothing.
    const check = await NodeTrust.load(dir);
    for (const t of tokens.slice(0, 10)) {
      if (!raw(t)) throw new Error("raw Ed25519 verification refused a token the node issued");
      await check.verify(t);
      await viaJose(t);
    }
    check.stop();
    const row = (name: string, kind: "cold" | "repeated"): ResultRow => ({
      name,
      unit: "requests/s",
      better: "higher",
      ipfed: { engine: "ipfed NodeTrust.authenticate", figure: figure(figures[`ipfed ${kind}`]!) },
      peers: [
        { engine: "jose jwtVerify", figure: figure(figures[`jose ${kind}`]!) },
        { engine: "raw node:crypto Ed25519", figure: figure(figures[`raw ${kind}`]!) },
      ],
    });
    return {
      params: { tokens: tokens.length, pool: Math.min(POOL, tokens.length) },
      rows: [row("verified requests/s, cold (every token new)", "cold"), row(`verified requests/s, repeated (${Math.min(POOL, tokens.length)} tokens)`, "repeated")],
      tables: [],
      notes: [`${tokens.length.toLocaleString("en-US")} distinct EdDSA tokens issued by the node's key; the node's check runs in-process, without gRPC.`],
    };
  },
};
