// A national hub with three members — a regional centre, a university TISC and a library
// outlet — and one federated query at the hub that prints each member's status as it
// arrives, then the merged hits with the members that hold them. A second query, with the
// library stopped, shows how the answer reports a member it could not reach.
//
//   pnpm --filter @ipfed/example-national-hub start                     # starts its own network
//   pnpm --filter @ipfed/example-national-hub start --endpoint 127.0.0.1:7400 --query 'ti:石墨烯'
//
// With --endpoint (or IPFED_ENDPOINT) it queries that hub instead, with IPFED_TOKEN if set.

import { parseArgs } from "node:util";
import { MemberState } from "@ipfed/proto";
import type { MemberStatus, SearchDone, SearchHit } from "@ipfed/proto";
import { createClient, IpfedError } from "@ipfed/sdk";
import { LocalNetwork, freePort } from "@ipfed/node";

// `pnpm … start -- --endpoint x` (the npm habit) passes the `--` on; it is dropped here.
const argv = process.argv.slice(2);
const { values: args } = parseArgs({
  args: argv[0] === "--" ? argv.slice(1) : argv,
  options: {
    endpoint: { type: "string", default: process.env.IPFED_ENDPOINT },
    query: { type: "string", default: "ti:电池" },
  },
});

/** The members of the demo network, each with its own slice of the seeded corpus. */
const MEMBERS = [
  // The regional centre and the TISC both hold records 60..99: those come back once, with two holders.
  { id: "sc-regional", kind: "regional", region: "510000", slice: { start: 0, size: 100 } },
  { id: "scu-tisc", kind: "tisc", region: "510100", slice: { start: 60, size: 100 } },
  { id: "cd-library", kind: "library", region: "510104", slice: { start: 160, size: 60 } },
] as const;

/**
 * Runs one federated query at the hub and prints it as it streams: each member's status the
 * moment that member has answered, then the merged hits, then how complete the answer is.
 */
async function federatedQuery(endpoint: string, query: string, token?: string): Promise<void> {
  // The deadline travels with the call: the hub gives each member what is left of it, and
  // reports a member that has not answered by then as TIMEOUT. 30 s is the most a hub allows.
  const client = createClient({ endpoint, ...(token ? { token } : {}), deadlineMs: 30_000 });
  const hits: SearchHit[] = [];
  let done: SearchDone | undefined;
  try {
    console.log(`\nfederated search at ${endpoint}: ${query}`);
    for await (const { event } of client.search({ query, federate: true, pageSize: 20 })) {
      switch (event?.$case) {
        case "memberStatus":
          console.log(`  ${statusLine(event.value)}`);
          break;
        case "hit":
          hits.push(event.value);
          break;
        case "done":
          done = event.value;
          break;
      }
    }
  } finally {
    client.close();
  }
  for (const hit of hits) {
    const title = hit.record?.titles.find((t) => t.lang === "zh")?.text ?? hit.record?.titles[0]?.text ?? "";
    console.log(`  #${String(hit.rank).padEnd(3)} ${hit.record?.id.padEnd(17)} ${title}  [${hit.holders.join(", ")}]`);
  }
  if (done) console.log(`  ${done.total} matches, ${done.membersAnswered}/${done.membersTargeted} members answered`);
}

/** `scu-tisc     OK           took 35 ms, 3 hits of 3` */
function statusLine(s: MemberStatus): string {
  const state = MemberState[s.state].replace("MEMBER_STATE_", "");
  // A failure's message can run long (grpc-js explains the connection attempt); its first sentence says enough.
  const detail = s.state === MemberState.MEMBER_STATE_OK ? `took ${s.tookMs} ms, ${s.hitCount} hits of ${s.total}` : s.message.split(". ")[0];
  return `${s.memberId.padEnd(12)} ${state.padEnd(12)} ${detail}`;
}

/** Builds the network as real processes: what a hub operator and three institutions do with the `ipfed` command. */
async function startNetwork(net: LocalNetwork): Promise<{ hub: string; stopLibrary: () => Promise<void> }> {
  // The hub first: its address and key fingerprint are what the members are given.
  const hubAddress = `127.0.0.1:${await freePort()}`;
  const hubInit = JSON.parse(
    await net.ipfed(["node", "init", "--dir", net.dir("hub"), "--id", "hub", "--kind", "hub", "--region", "100000", "--listen", hubAddress, "--json"]),
  ) as { kid: string };
  console.log(`hub created: ${hubAddress}, key fingerprint ${hubInit.kid}`);

  // The hub's operator enrols each member (a one-use token: a member that registers with it
  // is admitted at once) while each institution creates its node, pinned to the hub's key,
  // and imports its records.
  const enrolments = new Map<string, string>();
  const enrol = async () => {
    for (const m of MEMBERS) {
      enrolments.set(m.id, (await net.ipfed(["members", "enrol", "--dir", net.dir("hub"), "--member", m.id, "--max-tier", "registered"])).trim());
    }
  };
  const createMember = async (m: (typeof MEMBERS)[number]) => {
    await net.ipfed([
      "node", "init", "--dir", net.dir(m.id), "--id", m.id, "--kind", m.kind, "--region", m.region,
      "--hub", hubAddress, "--hub-fingerprint", hubInit.kid,
    ]);
    await net.importCorpus(m.id, "cn-patents", m.slice);
    console.log(`${m.id} created (${m.kind}, region ${m.region}): records ${m.slice.start}-${m.slice.start + m.slice.size - 1} of the corpus imported into cn-patents`);
  };
  await Promise.all([enrol(), ...MEMBERS.map(createMember)]);

  await net.start("hub", { keepListen: true });
  const members = await Promise.all(MEMBERS.map((m) => net.start(m.id, { env: { IPFED_ENROLMENT_TOKEN: enrolments.get(m.id)! } })));
  await waitForMembers(hubAddress, MEMBERS.map((m) => m.id));
  console.log(`hub at ${hubAddress}; members ${members.map((m) => `${m.id} (${m.grpc})`).join(", ")}`);
  return { hub: hubAddress, stopLibrary: () => members.find((m) => m.id === "cd-library")!.stop() };
}

/**
 * Waits until the hub's signed network configuration lists every member with its address:
 * the configuration, not the registry, is what the hub plans a federated query from, and it
 * is re-signed a moment after each member is admitted.
 */
async function waitForMembers(hub: string, ids: readonly string[]): Promise<void> {
  const client = createClient({ endpoint: hub });
  try {
    for (let attempt = 0; ; attempt++) {
      const { config } = await client.federation.config();
      if (ids.every((id) => config?.members.some((m) => m.id === id && m.endpoints.length > 0))) return;
      if (attempt === 150) throw new IpfedError("DEADLINE_EXCEEDED", `members ${ids.join(", ")} were not all in the hub's network configuration after 30 s`);
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    client.close();
  }
}

async function main(): Promise<void> {
  if (args.endpoint) {
    await federatedQuery(args.endpoint, args.query, process.env.IPFED_TOKEN);
    return;
  }
  const net = await LocalNetwork.create("ipfed-national-hub-");
  const stop = () => void net.close().finally(() => process.exit(130));
  process.once("SIGINT", stop);
  try {
    const { hub, stopLibrary } = await startNetwork(net);
    await federatedQuery(hub, args.query);
    // A member that goes away is reported, not waited for: the answer says how complete it is.
    await stopLibrary();
    console.log("\ncd-library stopped");
    await federatedQuery(hub, args.query);
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
