// A library's existing SQLite catalogue, served as a member of the network through the SDK's
// server kit, joining a hub; then a federated search at the hub that finds the library's holdings.
//
//   pnpm --filter @ipfed/example-library-outlet start
//   pnpm --filter @ipfed/example-library-outlet start -- --db ./catalogue.db --hub 127.0.0.1:7400 --hub-fingerprint <kid> --enrolment <token> --serve
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { MemberHealth, MemberKind, MemberState, Tier } from "@ipfed/proto";
import { catalogueSummaryOf, createClient, createMemberServer, generateMemberKey, IpfedError, joinHub, tierName } from "@ipfed/sdk";
import type { Authenticate, HubLink, MemberIdentity, MemberKey } from "@ipfed/sdk";
import { seedDemoCatalogue } from "./demo-catalogue.js";
import { startLocalHub } from "./local-hub.js";
import type { LocalHub } from "./local-hub.js";
import { SqliteDataSource } from "./sqlite-data-source.js";

const OPTIONS = {
  db: { type: "string" },
  id: { type: "string", default: "gd-sz-library" },
  network: { type: "string", default: "ipfed" },
  listen: { type: "string", default: "127.0.0.1:0" },
  hub: { type: "string" },
  "hub-fingerprint": { type: "string" },
  enrolment: { type: "string" },
  query: { type: "string", default: "ti:电池 AND pd:[2022-10-01 TO 2023-12-31]" },
  serve: { type: "boolean", default: false },
} as const;

/** The command line; `pnpm … start -- --db x` passes the `--` through, which is dropped here. */
function readArgs() {
  const argv = process.argv.slice(2);
  try {
    return parseArgs({ args: argv[0] === "--" ? argv.slice(1) : argv, options: OPTIONS }).values;
  } catch (err) {
    throw new IpfedError("INVALID_ARGUMENT", `${(err as Error).message} (options: ${Object.keys(OPTIONS).map((o) => `--${o}`).join(", ")})`, { cause: err });
  }
}

/** The library's key, kept beside its catalogue so that it joins as the same member next time. */
async function memberKey(file: string): Promise<MemberKey> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as MemberKey;
  } catch {
    const key = await generateMemberKey();
    await writeFile(file, JSON.stringify(key, null, 2) + "\n", { mode: 0o600 });
    return key;
  }
}

const pad = (s: string, n: number) => s + " ".repeat(Math.max(1, n - [...s].length));

async function main(): Promise<void> {
  const args = readArgs();
  if (args.hub && !(args["hub-fingerprint"] && args.enrolment)) {
    throw new IpfedError("INVALID_ARGUMENT", "--hub needs --hub-fingerprint (the hub's key id) and --enrolment (a token from `ipfed members enrol`)", { field: "--hub" });
  }
  const temp = await mkdtemp(join(tmpdir(), "ipfed-library-outlet-"));
  const db = args.db ?? join(temp, "catalogue.db");
  const cleanup: (() => Promise<void> | void)[] = [() => rm(temp, { recursive: true, force: true })];
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      for (const fn of cleanup.reverse()) await fn();
    })());
  // Ctrl-C stops the hub process and removes the temporary directory too.
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      if (args.serve) console.log("Done.");
      void stop().then(() => process.exit(args.serve ? 0 : 130));
    });
  }
  try {
    // 1. The library's catalogue, as its own software keeps it.
    const source = SqliteDataSource.open(db, { memberId: args.id });
    cleanup.push(() => source.close());
    const seeded = seedDemoCatalogue(source.db);
    console.log(`Library catalogue: ${args.db ? db : "catalogue.db in a temporary directory"}${seeded ? ` (seeded ${seeded} holdings)` : ""}`);
    for (const d of await source.listDatasets()) console.log(`  ${pad(d.id, 12)}${String(d.recordCount).padStart(3)} records  ${tierName(d.tier)}`);

    // 2. The hub: the one given, or a real one started here.
    let hub: { id: string; grpc: string; fingerprint: string; enrolment: string };
    if (args.hub) {
      hub = { id: "", grpc: args.hub, fingerprint: args["hub-fingerprint"]!, enrolment: args.enrolment! };
    } else {
      const local: LocalHub = await startLocalHub(join(temp, "hub"), "national-hub");
      cleanup.push(() => local.stop());
      hub = { id: local.id, grpc: local.grpc, fingerprint: local.fingerprint, enrolment: await local.enrol(args.id, "registered") };
      console.log(`Hub: started ${local.id} (a real ipfed node process) at ${local.grpc}`);
    }

    // 3. Serve the catalogue through the kit, trusting the network's tokens once joined.
    const key = await memberKey(args.db ? `${db}.member-key.json` : join(temp, "member-key.json"));
    const identity: MemberIdentity = {
      id: args.id,
      kind: MemberKind.MEMBER_KIND_LIBRARY,
      region: "440300",
      names: [{ lang: "zh", text: "深圳图书馆" }, { lang: "en", text: "Shenzhen Library" }],
      networkId: args.network,
      keys: () => [key],
    };
    let link: HubLink | undefined;
    const authenticate: Authenticate = async (metadata, path) => {
      if (link) return link.authenticate(metadata, path);
      if (metadata.get("authorization").length) throw new IpfedError("TOKEN_ISSUER_UNKNOWN", "this member has not joined its network yet");
      return { anonymous: true, subject: "anonymous", issuer: "", tier: Tier.TIER_PUBLIC, scopes: new Set(["search", "read"] as const), tokenId: "", expiresAt: 0 };
    };
    const server = createMemberServer({ identity, dataSource: source, options: { authenticate, shutdownGraceMs: 1000 } });
    const address = await server.listen(args.listen);
    cleanup.push(() => server.close());
    console.log(`Serving ${args.id} at ${address} (key ${key.kid})`);

    // 4. Join the hub: signed registration with the enrolment token, then heartbeats.
    link = await joinHub({
      identity,
      hubAddress: hub.grpc,
      hubFingerprint: hub.fingerprint,
      enrolmentToken: hub.enrolment,
      endpoints: () => ({ grpc: address }),
      catalogue: () => catalogueSummaryOf(source),
      onError: (err) => console.error(`heartbeat failed: ${err.code}: ${err.message}`),
    });
    cleanup.push(() => link?.close());
    console.log(`Joined hub ${link.config.hubId}: ${link.state}${link.message ? ` (${link.message})` : ""}`);

    // 5. A federated search at the hub, as an anonymous (PUBLIC) visitor of the hub's portal.
    const client = createClient({ endpoint: hub.grpc });
    cleanup.push(() => client.close());
    const result = await client.searchAll({ query: args.query, federate: true, pageSize: 20 });
    console.log(`\nFederated search at the hub: ${args.query}`);
    console.log("Member statuses:");
    for (const s of result.memberStatuses) {
      console.log(`  ${pad(s.memberId, 16)}${pad(MemberState[s.state].replace("MEMBER_STATE_", ""), 12)}${s.hitCount} hits`);
    }
    console.log(`Hits (${result.hits.length} of ${result.done.total}):`);
    for (const h of result.hits) {
      const title = (lang: string) => h.record?.titles.find((t) => t.lang === lang)?.text ?? "";
      console.log(`  ${String(h.rank).padStart(2)}. ${pad(h.record!.id, 16)}${title("zh")} / ${title("en")}  [holders: ${h.holders.join(", ")}]`);
    }
    const withheld = [...new Set(result.hits.flatMap((h) => h.record?.withheldFields ?? []))].sort();
    console.log(`Withheld from this PUBLIC caller: ${withheld.join(", ") || "nothing"}`);
    const members = await client.federation.members();
    console.log("Members at the hub:");
    for (const m of members) {
      console.log(`  ${pad(m.id, 16)}${pad(MemberKind[m.kind].replace("MEMBER_KIND_", "").toLowerCase(), 10)}${MemberHealth[m.health].replace("MEMBER_HEALTH_", "")}`);
    }

    if (args.serve) {
      console.log(`\nServing ${args.id} at ${address}, heartbeating to the hub; Ctrl-C to stop.`);
      return await new Promise<never>(() => undefined);
    }
    console.log("Done.");
  } finally {
    await stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    const e = IpfedError.from(err);
    console.error(`library-outlet: ${e.code}: ${e.message}`);
    process.exit(1);
  },
);
