import { resolve } from "node:path";
import { Command, Option } from "commander";
import { RegistrationState } from "@ipfed/proto";
import { IpfedError, TIER_NAMES, parseDuration, selfMember } from "@ipfed/sdk";
import type { MemberIdentity } from "@ipfed/sdk";
import { MEMBER_KINDS } from "../../config/node-config.js";
import type { MemberKindName, TierWord } from "../../config/node-config.js";
import type { AdminRequest, MemberSummary } from "../../federation/admin/admin-actions.js";
import { runAdminRequest } from "../../federation/admin/hub-admin.js";
import { HubMembership } from "../../federation/hub-membership.js";
import { kindFromName } from "../../federation/member-record.js";
import { NetworkConfigClient } from "../../federation/network-config-client.js";
import type { FederationLogger } from "../../federation/network-trust.js";
import { NodeTrust } from "../../trust/node-trust.js";
import { EXIT } from "../exit-codes.js";
import { loadNodeTls } from "../../config/node-tls.js";
import { hubSecurity } from "../../federation/node-federation.js";
import { action } from "../run.js";

const HOW = `
Works whether the hub runs or not: with the hub stopped the command opens its store; while it
runs (the store is locked) the request goes through the hub's admin inbox (<dir>/admin/) and
the hub answers within a second.`;

/** `ipfed members admit|list|remove|enrol|revoke` on the hub, and `ipfed members join` on a member. */
export function membersCommand(): Command {
  const cmd = new Command("members").description("manage the hub's members (run on the hub), or join a hub (run on a member)");
  const hubDir = "data directory of the hub";
  const run = async (dir: string, request: AdminRequest) => (await runAdminRequest(resolve(dir), request)).result;

  cmd.addCommand(
    new Command("list")
      .description("list the members: state, kind, region, tier cap, health, last seen, datasets, records")
      .requiredOption("--dir <dir>", hubDir)
      .option("--json", "print JSON")
      .addHelpText("after", `\nExample:\n  $ ipfed members list --dir ./data/hub\n${HOW}`)
      .action(
        action(async (opts: { dir: string; json?: boolean }) => {
          const result = await run(opts.dir, { action: "list" });
          const members = "members" in result ? result.members : [];
          print(opts.json, members, () => table(members));
        }),
      ),
  );
  cmd.addCommand(
    new Command("admit")
      .description("admit a registered member (or change an admitted member's tier cap)")
      .requiredOption("--dir <dir>", hubDir)
      .requiredOption("--member <id>", "the member id")
      .addOption(new Option("--max-tier <tier>", "the highest tier its tokens may grant (default: as before, else public)").choices(TIER_NAMES))
      .option("--json", "print JSON")
      .addHelpText("after", `\nExample:\n  $ ipfed members admit --dir ./data/hub --member sc-tisc --max-tier registered\n${HOW}`)
      .action(
        action(async (opts: { dir: string; member: string; maxTier?: TierWord; json?: boolean }) => {
          const result = await run(opts.dir, { action: "admit", memberId: opts.member, ...(opts.maxTier ? { maxTier: opts.maxTier } : {}) });
          if ("member" in result) print(opts.json, result.member, () => `Admitted ${result.member.id} up to ${result.member.maxTier}`);
        }),
      ),
  );
  cmd.addCommand(
    new Command("remove")
      .description("remove a member: it leaves the network configuration, and members stop accepting its tokens")
      .requiredOption("--dir <dir>", hubDir)
      .requiredOption("--member <id>", "the member id")
      .option("--json", "print JSON")
      .addHelpText("after", `\nExample:\n  $ ipfed members remove --dir ./data/hub --member sc-tisc\n${HOW}`)
      .action(
        action(async (opts: { dir: string; member: string; json?: boolean }) => {
          const result = await run(opts.dir, { action: "remove", memberId: opts.member });
          if ("member" in result) print(opts.json, result.member, () => `Removed ${result.member.id}`);
        }),
      ),
  );
  cmd.addCommand(
    new Command("enrol")
      .description("print a one-use enrolment token: the member registers with it and is admitted at once")
      .requiredOption("--dir <dir>", hubDir)
      .requiredOption("--member <id>", "the member id it admits")
      .addOption(new Option("--max-tier <tier>", "the highest tier the member's tokens may grant").choices(TIER_NAMES).makeOptionMandatory())
      .option("--ttl <duration>", "how long the token is valid: 1h, 7d", "7d")
      .addOption(new Option("--kind <kind>", "the kind the member must register as").choices(MEMBER_KINDS))
      .option("--region <code>", "the region the member must register with")
      .option("--json", "print JSON")
      .addHelpText("after", `\nExample:\n  $ ipfed members enrol --dir ./data/hub --member sc-tisc --max-tier registered --ttl 7d\n${HOW}`)
      .action(
        action(async (opts: { dir: string; member: string; maxTier: TierWord; ttl: string; kind?: MemberKindName; region?: string; json?: boolean }) => {
          const request: AdminRequest = {
            action: "enrol",
            memberId: opts.member,
            maxTier: opts.maxTier,
            ttlSeconds: parseDuration(opts.ttl),
            ...(opts.kind ? { kind: opts.kind } : {}),
            ...(opts.region ? { region: opts.region } : {}),
          };
          const result = await run(opts.dir, request);
          if ("enrolment" in result) print(opts.json, result.enrolment, () => result.enrolment.token);
        }),
      ),
  );
  cmd.addCommand(
    new Command("revoke")
      .description("revoke a token network-wide: it goes into the signed network configuration")
      .requiredOption("--dir <dir>", hubDir)
      .requiredOption("--jti <id>", "the token's id")
      .requiredOption("--issuer <member>", "the token's issuer")
      .option("--exp <seconds>", "the token's expiry, seconds since the epoch (default: 24 h from now)")
      .addHelpText("after", `\nExample:\n  $ ipfed members revoke --dir ./data/hub --jti 6f1c… --issuer sc-tisc --exp 1767225600\n${HOW}`)
      .action(
        action(async (opts: { dir: string; jti: string; issuer: string; exp?: string }) => {
          const exp = opts.exp ? Number(opts.exp) : Math.floor(Date.now() / 1000) + 86_400;
          if (!Number.isFinite(exp) || exp <= 0) throw new IpfedError("INVALID_ARGUMENT", "--exp must be seconds since the epoch", { field: "--exp" });
          await run(opts.dir, { action: "revoke", jti: opts.jti, issuer: opts.issuer, expiresAt: new Date(exp * 1000).toISOString() });
          console.log(`Revoked ${opts.jti} of ${opts.issuer} network-wide until ${new Date(exp * 1000).toISOString()}`);
        }),
      ),
  );
  cmd.addCommand(joinCommand());
  return cmd;
}

function joinCommand(): Command {
  return new Command("join")
    .description("register this member with its hub (hub.address in ipfed.json), with an enrolment token if the hub gave one")
    .requiredOption("--dir <dir>", "data directory of this member")
    .option("--enrolment-token <token>", "enrolment token from the hub's operator (default: IPFED_ENROLMENT_TOKEN)")
    .option("--json", "print JSON")
    .addHelpText("after", "\nExample:\n  $ ipfed members join --dir ./data/tisc --enrolment-token eyJ…\n")
    .action(
      action(async (opts: { dir: string; enrolmentToken?: string; json?: boolean }) => {
        const dir = resolve(opts.dir);
        const trust = await NodeTrust.load(dir);
        const config = trust.config;
        if (!config.hub) throw new IpfedError("CONFIG_INVALID", `${config.id} has no hub: set it with ipfed node init --hub HOST:PORT --hub-fingerprint KID`, { field: "hub" });
        // Registered as the node itself would: with its certificate when it serves TLS, over TLS when the hub does.
        const tls = config.tls ? await loadNodeTls(dir, config.tls) : undefined;
        const hubChannel = await hubSecurity(dir, config, tls);
        const identity: MemberIdentity = {
          id: config.id,
          kind: kindFromName(config.kind)!,
          region: config.region,
          names: Object.entries(config.names).map(([lang, text]) => ({ lang, text })),
          networkId: config.networkId,
          keys: () => trust.keys(),
          ...(tls ? { tlsCertificate: tls.cert } : {}),
        };
        const network = new NetworkConfigClient({ dir, networkId: config.networkId, hubAddress: config.hub.address, hubSecurity: hubChannel, ...(config.hub.fingerprint ? { fingerprint: config.hub.fingerprint } : {}), logger: STDERR });
        const httpTls = config.tls !== undefined && config.tls.http !== false;
        const membership = new HubMembership({ network, hubAddress: config.hub.address, hubSecurity: hubChannel, self: () => selfMember(identity, { endpoints: { grpc: config.listen, http: config.http }, httpTls, ...(config.parent ? { parentId: config.parent } : {}) }), keys: () => trust.keys(), logger: STDERR });
        try {
          // The configuration first: it pins the hub's key before anything is sent to it.
          await network.refresh();
          const token = opts.enrolmentToken ?? process.env.IPFED_ENROLMENT_TOKEN;
          const res = await membership.register(token?.trim() || undefined);
          const state = RegistrationState[res.state].replace("REGISTRATION_STATE_", "").toLowerCase();
          print(opts.json, { state, message: res.message, hub: network.current()?.hubId, hubKey: network.pinnedKid() }, () => `${config.id}: ${state} (${res.message})`);
          if (res.state === RegistrationState.REGISTRATION_STATE_REFUSED) process.exitCode = EXIT.DENIED;
        } finally {
          membership.stop();
          network.stop();
        }
      }),
    );
}

function print(json: boolean | undefined, value: unknown, text: () => string): void {
  console.log(json ? JSON.stringify(value, null, 2) : text());
}

/** Warnings (such as trust on first use) go to stderr, so that --json output stays clean. */
const STDERR: FederationLogger = {
  debug() {},
  info() {},
  warn: (_obj, msg) => void process.stderr.write(`warning: ${msg}\n`),
  error: (_obj, msg) => void process.stderr.write(`error: ${msg}\n`),
};

function table(members: readonly MemberSummary[]): string {
  if (members.length === 0) return "No members have registered yet.";
  const rows = members.map((m) => [m.id, m.state, m.kind, m.region, m.maxTier, m.health, m.lastSeen ? m.lastSeen.slice(0, 19).replace("T", " ") : "-", String(m.datasets), String(m.records)]);
  const head = ["MEMBER", "STATE", "KIND", "REGION", "MAX TIER", "HEALTH", "LAST SEEN (UTC)", "DATASETS", "RECORDS"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [head, ...rows].map((r) => r.map((c, i) => (i >= 7 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ").trimEnd()).join("\n");
}
