import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { NetworkConfig, Tier } from "@ipfed/proto";
import { Command, Option } from "commander";
import { IpfedError, issueToken, parseDuration, tierFromName, tierToName, parseScope, formatScope, actChainToList, TIER_NAMES } from "@ipfed/sdk";
import { NodeTrust, TRUST_DEFAULTS } from "../../trust/node-trust.js";
import { revokeToken } from "../../trust/revocations.js";
import { EXIT } from "../exit-codes.js";
import { action } from "../run.js";

interface IssueOptions {
  dir: string;
  sub: string;
  tier: string;
  scope: string;
  datasets?: string;
  ttl: string;
  aud?: string;
  json?: boolean;
}

/**
 * This member's tier allowance in the network configuration it stored (already verified when
 * it was stored), so that a token is refused when issued rather than when used.
 */
async function networkAllowance(dir: string, memberId: string): Promise<Tier | undefined> {
  try {
    const jws = await readFile(join(dir, "network-config.jws"), "utf8");
    const config = NetworkConfig.fromJSON(JSON.parse(Buffer.from(jws.split(".")[1] ?? "", "base64url").toString("utf8")));
    const tier = config.members.find((m) => m.id === memberId)?.maxTier;
    return tier && tier > 0 ? tier : undefined;
  } catch {
    return undefined;
  }
}

function tokenFrom(arg: string | undefined, opts: { token?: string }): string {
  const t = arg ?? opts.token ?? process.env.IPFED_TOKEN;
  if (!t) throw new IpfedError("INVALID_ARGUMENT", "give the token as an argument, with --token, or in IPFED_TOKEN", { field: "token" });
  return t.trim();
}

function decodePayload(token: string): { jti?: string; iss?: string; exp?: number } {
  const part = token.split(".")[1];
  if (!part) throw new IpfedError("TOKEN_MALFORMED", "not a compact JWS (three base64url parts)");
  try {
    return JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as { jti?: string; iss?: string; exp?: number };
  } catch {
    throw new IpfedError("TOKEN_MALFORMED", "the token's payload is not JSON");
  }
}

/** `ipfed token issue|verify|revoke`: the node's tokens. */
export function tokenCommand(): Command {
  const cmd = new Command("token").description("issue, verify and revoke tokens signed with the node's key");
  cmd.addCommand(
    new Command("issue")
      .description("print a new token signed with the node's key")
      .requiredOption("--dir <dir>", "data directory of the node")
      .requiredOption("--sub <subject>", "subject: the user or system the token is for")
      .addOption(new Option("--tier <tier>", "clearance").choices(TIER_NAMES).default("public"))
      .option("--scope <scopes>", 'space-separated scopes: "search read export publish admin"', "search read")
      .option("--datasets <list>", "limit the token to these datasets")
      .option("--ttl <duration>", "lifetime: 90s, 30m, 1h, 7d", "1h")
      .option("--aud <list>", "audiences: member ids or the network id (default: the network id)")
      .option("--json", "print the token with its claims as JSON")
      .addHelpText("after", '\nExample:\n  $ ipfed token issue --dir ./data/sc --sub alice@example.cn --tier registered --scope "search read" --ttl 1h\n')
      .action(
        action(async (opts: IssueOptions) => {
          const trust = await NodeTrust.load(resolve(opts.dir));
          const config = trust.config;
          const ttlSeconds = parseDuration(opts.ttl);
          const maxTtl = config.trust?.maxTokenTtlSeconds ?? TRUST_DEFAULTS.maxTokenTtlSeconds;
          if (ttlSeconds > maxTtl) throw new IpfedError("INVALID_ARGUMENT", `--ttl ${opts.ttl} is longer than this node's maximum token lifetime (${maxTtl} s, trust.maxTokenTtlSeconds)`, { field: "--ttl" });
          const tier = tierFromName(opts.tier)!;
          const allowance = await networkAllowance(resolve(opts.dir), config.id);
          const maxTier = allowance !== undefined && allowance < trust.selfMaxTier() ? allowance : trust.selfMaxTier();
          const token = await issueToken(trust.signingKey(), {
            issuer: config.id,
            subject: opts.sub,
            audience: opts.aud ? opts.aud.split(",").map((s) => s.trim()) : config.networkId,
            tier,
            scopes: [...parseScope(opts.scope)],
            ...(opts.datasets ? { datasets: opts.datasets.split(",").map((s) => s.trim()).filter(Boolean) } : {}),
            ttlSeconds,
            maxTier,
          });
          if (opts.json) console.log(JSON.stringify({ token, claims: decodePayload(token) }, null, 2));
          else console.log(token);
        }),
      ),
  );
  cmd.addCommand(
    new Command("verify")
      .description("check a token against the node's keys, trusted issuers and revocations")
      .argument("[token]", "the token (default: --token or IPFED_TOKEN)")
      .requiredOption("--dir <dir>", "data directory of the node")
      .option("--token <token>", "the token")
      .option("--json", "print the result as JSON")
      .addHelpText("after", "\nExample:\n  $ ipfed token verify --dir ./data/sc \"$IPFED_TOKEN\"\n")
      .action(
        action(async (arg: string | undefined, opts: { dir: string; token?: string; json?: boolean }) => {
          const trust = await NodeTrust.load(resolve(opts.dir));
          const { caller, claims } = await trust.verify(tokenFrom(arg, opts));
          const out = {
            valid: true,
            issuer: caller.issuer,
            subject: caller.subject,
            tier: tierToName(caller.tier),
            scope: formatScope(caller.scopes),
            datasets: caller.datasets ? [...caller.datasets] : null,
            act: actChainToList(caller.act),
            jti: caller.tokenId,
            expires: new Date(caller.expiresAt * 1000).toISOString(),
            audience: claims.aud,
          };
          if (opts.json) console.log(JSON.stringify(out, null, 2));
          else {
            console.log(`valid: ${out.subject} (issued by ${out.issuer}), tier ${out.tier}, scope "${out.scope}"${out.datasets ? `, datasets ${out.datasets.join(",")}` : ""}`);
            console.log(`  expires ${out.expires}, jti ${out.jti}${out.act.length ? `, acting: ${out.act.join(" <- ")}` : ""}`);
          }
        }),
      ),
  );
  cmd.addCommand(
    new Command("revoke")
      .description("revoke a token (by the token, or by --jti and --issuer); a running node refuses it within a second")
      .argument("[token]", "the token to revoke")
      .requiredOption("--dir <dir>", "data directory of the node")
      .option("--token <token>", "the token")
      .option("--jti <id>", "token id, when the token itself is not at hand")
      .option("--issuer <member>", "issuer of --jti (default: this node)")
      .option("--exp <seconds>", "expiry of --jti, seconds since the epoch (default: now + the maximum token lifetime)")
      .addHelpText("after", "\nExamples:\n  $ ipfed token revoke --dir ./data/sc \"$IPFED_TOKEN\"\n  $ ipfed token revoke --dir ./data/sc --jti 6f1c... --issuer sc-regional\n")
      .action(
        action(async (arg: string | undefined, opts: { dir: string; token?: string; jti?: string; issuer?: string; exp?: string }) => {
          const dir = resolve(opts.dir);
          const trust = await NodeTrust.load(dir);
          let entry: { jti: string; issuer: string; exp: number };
          if (opts.jti) {
            const maxTtl = trust.config.trust?.maxTokenTtlSeconds ?? TRUST_DEFAULTS.maxTokenTtlSeconds;
            entry = { jti: opts.jti, issuer: opts.issuer ?? trust.config.id, exp: opts.exp ? Number(opts.exp) : Math.floor(Date.now() / 1000) + maxTtl };
          } else {
            const p = decodePayload(tokenFrom(arg, opts));
            if (!p.jti || !p.iss || typeof p.exp !== "number") throw new IpfedError("TOKEN_CLAIM_INVALID", "the token lacks jti, iss or exp");
            entry = { jti: p.jti, issuer: p.iss, exp: p.exp };
          }
          const kept = await revokeToken(dir, entry);
          console.log(`revoked ${entry.jti} of ${entry.issuer} (until ${new Date(entry.exp * 1000).toISOString()}); ${kept} revocation(s) in force`);
          process.exitCode = EXIT.OK;
        }),
      ),
  );
  return cmd;
}
