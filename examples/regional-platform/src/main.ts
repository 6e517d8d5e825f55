// A regional platform's back end in front of the ipfed network: a visitor and a logged-in
// enterprise user run the same search through it, and see the same record redacted to their
// own tier — the claims are withheld from the visitor and shown to the registered user.
//
//   pnpm --filter @ipfed/example-regional-platform start            # starts its own member node
//   pnpm --filter @ipfed/example-regional-platform start --endpoint 127.0.0.1:7400 --federate
//
// With --endpoint the platform keeps its key in --key (default data/sc-ip-platform/key.json
// under the repository root; a relative path is taken from where pnpm was run) and prints the `ipfed trust add` command that the member's operator runs once to trust it.

import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Tier } from "@ipfed/proto";
import { generateMemberKey, IpfedError, toJwks } from "@ipfed/sdk";
import type { MemberKey } from "@ipfed/sdk";
import { LocalNetwork } from "@ipfed/node";
import { startPlatform } from "./platform.js";
import type { PlatformUser } from "./platform.js";

/** The repository root, where `pnpm --filter … start` runs from (paths given on the command line are relative to where the user was). */
const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

// `pnpm … start -- --endpoint x` (the npm habit) passes the `--` on; it is dropped here.
const argv = process.argv.slice(2);
const { values: args } = parseArgs({
  args: argv[0] === "--" ? argv.slice(1) : argv,
  options: {
    endpoint: { type: "string", default: process.env.IPFED_ENDPOINT },
    federate: { type: "boolean", default: false },
    key: { type: "string", default: "data/sc-ip-platform/key.json" },
    query: { type: "string", default: "ti:电池" },
  },
});

/** The platform's member id: the issuer of every token it mints. */
const ISSUER = "sc-ip-platform";

/** The platform's own user table (a real platform has a database and proper password hashing). */
const USERS: PlatformUser[] = [{ id: "ent-0042", password: "demo", name: "成都锂能科技有限公司", tier: Tier.TIER_REGISTERED }];

/** Plays a visitor, then a registered enterprise user, against the platform's HTTP API. */
async function session(platformUrl: string, query: string): Promise<void> {
  const call = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(platformUrl + path, init);
    const body = (await res.json()) as { [k: string]: unknown };
    if (!res.ok) throw new Error(`${init.method ?? "GET"} ${path} answered ${res.status}: ${JSON.stringify(body)}`);
    return { body, cookie: res.headers.get("set-cookie")?.split(";")[0] };
  };
  const showSearchAndRecord = async (headers: { [k: string]: string }) => {
    const path = `/search?q=${encodeURIComponent(query)}`;
    const search = (await call(path, { headers })).body as { tier: string; total: number; hits: { id: string; title: string }[] };
    console.log(`  GET /search?q=${query} → tier ${search.tier}, ${search.total} matches`);
    for (const h of search.hits) console.log(`    ${h.id.padEnd(18)} ${h.title}`);
    const id = search.hits[0]!.id;
    const record = (await call(`/record?id=${id}`, { headers })).body as { claims: string[]; withheldFields: string[] };
    console.log(`  GET /record?id=${id}`);
    console.log(`    claims: ${record.claims.length === 0 ? "withheld" : `${record.claims.length}, the first: ${record.claims[0]}`}`);
    console.log(`    withheld_fields: ${record.withheldFields.length === 0 ? "(none)" : record.withheldFields.join(", ")}`);
  };

  console.log("\nvisitor (not logged in): the platform queries the network anonymously");
  await showSearchAndRecord({});
  // A mistake in the query comes back as the member's stable error code, with the position.
  const bad = await fetch(`${platformUrl}/search?q=${encodeURIComponent("ti:(电池")}`);
  console.log(`  GET /search?q=ti:(电池 → ${bad.status} ${await bad.text()}`);

  const user = USERS[0]!;
  const login = await call("/login", { method: "POST", body: JSON.stringify({ user: user.id, password: user.password }) });
  console.log(`\n${user.id} (${user.name}) logged in: the platform mints network tokens for ${user.id}, tier registered`);
  await showSearchAndRecord({ cookie: login.cookie! });
}

/** Loads the platform's key, or creates it (and its public JWKS next to it) on first use. */
async function platformKey(file: string): Promise<MemberKey> {
  if (existsSync(file)) return JSON.parse(await readFile(file, "utf8")) as MemberKey;
  const key = await generateMemberKey();
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(key), { mode: 0o600 });
  await writeFile(join(dirname(file), "jwks.json"), JSON.stringify(toJwks([key])));
  return key;
}

async function main(): Promise<void> {
  if (args.endpoint) {
    const keyFile = resolve(process.env.INIT_CWD ?? REPO_ROOT, args.key);
    const key = await platformKey(keyFile);
    console.log(`platform ${ISSUER}, key ${key.kid}; the member's operator trusts it once with:`);
    console.log(`  pnpm ipfed trust add --dir <its data dir> --issuer ${ISSUER} --max-tier registered --jwks ${join(dirname(keyFile), "jwks.json")}`);
    const platform = await startPlatform({ issuer: ISSUER, key, endpoint: args.endpoint, networkId: "ipfed", federate: args.federate, users: USERS });
    try {
      await session(platform.url, args.query);
    } finally {
      await platform.close();
    }
    return;
  }

  const net = await LocalNetwork.create("ipfed-regional-platform-");
  const stop = () => void net.close().finally(() => process.exit(130));
  process.once("SIGINT", stop);
  try {
    // The member that serves the data: a regional node with a slice of the seeded corpus.
    const dir = net.dir("sc-regional");
    await net.ipfed(["node", "init", "--dir", dir, "--id", "sc-regional", "--kind", "regional", "--region", "510000"]);
    await net.importCorpus("sc-regional", "cn-patents", { size: 150 });

    // The platform's key; the member trusts tokens signed with it up to REGISTERED.
    const key = await platformKey(join(net.root, ISSUER, "key.json"));
    await net.ipfed(["trust", "add", "--dir", dir, "--issuer", ISSUER, "--max-tier", "registered", "--jwks", join(net.root, ISSUER, "jwks.json")]);

    const node = await net.start("sc-regional");
    const platform = await startPlatform({ issuer: ISSUER, key, endpoint: node.grpc, networkId: "ipfed", federate: false, users: USERS });
    console.log(`platform ${ISSUER} at ${platform.url}, querying sc-regional at ${node.grpc}`);
    try {
      await session(platform.url, args.query);
    } finally {
      await platform.close();
    }

    // Every access is in the member's audit log, under the platform's user and the platform as
    // issuer. (The node is stopped first, so that the log holds every entry when it is read.)
    await node.stop();
    const audit = (await net.ipfed(["audit", "tail", "--dir", dir, "-n", "5", "--json"])).trim().split("\n");
    console.log("\nthe member's audit log, last 5 entries:");
    for (const line of audit) {
      const e = JSON.parse(line) as { rpc: string; subject: string; issuer: string; tier: string; resultCount: number; status: string };
      const rpc = e.rpc.split("/").pop()!;
      console.log(`  ${rpc.padEnd(10)} ${e.status.padEnd(16)} subject ${e.subject.padEnd(10)} issuer ${(e.issuer || "-").padEnd(15)} tier ${e.tier.padEnd(11)} results ${e.resultCount}`);
    }
  } finally {
    process.off("SIGINT", stop);
    await net.close();
  }
}

main().catch((err: unknown) => {
  // One line, with the stable code when there is one, as the ipfed command prints errors.
  console.error(err instanceof IpfedError ? `error ${err.code}: ${err.message}` : `error: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
