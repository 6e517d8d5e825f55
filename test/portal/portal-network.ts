import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Record } from "@ipfed/proto";
import { ipfed, issueToken, tempDir } from "../helpers/node-process.js";
import type { RunningNode } from "../helpers/node-process.js";
import { hubPort, importCorpus, initHub, initMember, startHub, startMember } from "../helpers/network.js";

/** The five members of the portal tests' network: id, kind, region. */
export const PORTAL_MEMBERS = [
  { id: "hub", kind: "hub", region: "100000" },
  { id: "sc-regional", kind: "regional", region: "510000" },
  { id: "gd-regional", kind: "regional", region: "440000" },
  { id: "scu-tisc", kind: "tisc", region: "510100" },
  { id: "cd-library", kind: "library", region: "510104" },
] as const;

/** A network of real node processes on loopback for the portal and gateway tests. */
export interface PortalNetwork {
  /** The hub's HTTP address (`127.0.0.1:P`): the portal and the gateway. */
  readonly http: string;
  /** The hub's gRPC address. */
  readonly grpc: string;
  readonly dirs: { readonly [id: string]: string };
  readonly nodes: { readonly [id: string]: RunningNode };
  /** The records each member imported (dataset `cn` everywhere). */
  readonly data: { readonly [id: string]: readonly Record[] };
  /** A token issued by the hub: tier registered, scope "search read export". */
  readonly registeredToken: string;
  stop(): Promise<void>;
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * Starts a hub and four members — two regional centres, a university TISC and a library
 * outlet — each a real `ipfed node start` process with its own LevelDB store, the TISC and the
 * Sichuan regional centre holding 40 records in common, and waits until the hub's gateway
 * lists all five members up.
 */
export async function startPortalNetwork(): Promise<PortalNetwork> {
  const root = await tempDir("ipfed-portal-");
  const port = hubPort();
  const dirs: { [id: string]: string } = {};
  const nodes: { [id: string]: RunningNode } = {};
  const data: { [id: string]: Record[] } = {};
  const enrolments: { [id: string]: string } = {};
  for (const m of PORTAL_MEMBERS) dirs[m.id] = join(root.path, m.id);
  try {
    await initHub(dirs.hub!, port);
    for (const m of PORTAL_MEMBERS.slice(1)) {
      // Flat on purpose (no --parent): every member answers for itself, so the paging the
      // gateway does is what these tests measure.
      enrolments[m.id] = await initMember(dirs.hub!, port, dirs[m.id]!, { id: m.id, kind: m.kind, region: m.region });
      const file = join(dirs[m.id]!, "ipfed.json");
      const cfg = JSON.parse(await readFile(file, "utf8"));
      await writeFile(file, JSON.stringify({ ...cfg, federation: { ...(cfg.federation ?? {}), heartbeatSeconds: 1 } }, null, 2));
    }
    const windows: [string, number, number][] = [["sc-regional", 0, 120], ["scu-tisc", 80, 200], ["cd-library", 200, 260], ["gd-regional", 260, 340]];
    await Promise.all(windows.map(async ([id, from, to]) => (data[id] = await importCorpus(dirs[id]!, "cn", from, to))));
    data.hub = [];
    const svc = await ipfed([
      "services", "set", "--dir", dirs["scu-tisc"]!, "--service", "search-desk", "--name-zh", "专利检索咨询", "--name-en", "Patent search desk",
      "--channels", "onsite,online", "--hours", "Mon-Fri 09:00-17:00", "--contact-email", "tisc@example.edu.cn",
    ]);
    if (svc.code !== 0) throw new Error(`services set failed: ${svc.stderr}`);
    nodes.hub = await startHub(dirs.hub!);
    await Promise.all(PORTAL_MEMBERS.slice(1).map(async (m) => (nodes[m.id] = await startMember(dirs[m.id]!, enrolments[m.id]!))));
    const http = nodes.hub.http;
    await waitFor("five members up at the hub", async () => {
      const r = (await (await fetch(`http://${http}/api/v1/network`)).json()) as { members: { id: string; health: string; catalogue?: { recordCount?: number } }[] };
      return r.members.length === 5 && r.members.every((m) => m.health === "MEMBER_HEALTH_UP") && r.members.filter((m) => (m.catalogue?.recordCount ?? 0) > 0).length === 4;
    });
    const registeredToken = await issueToken(dirs.hub!, { sub: "reader", tier: "registered", scope: "search read export" });
    return {
      http,
      grpc: nodes.hub.grpc,
      dirs,
      nodes,
      data,
      registeredToken,
      async stop() {
        for (const n of Object.values(nodes)) await n.stop().catch(() => undefined);
        await root.remove();
      },
    };
  } catch (err) {
    for (const n of Object.values(nodes)) await n.stop().catch(() => undefined);
    await root.remove();
    throw err;
  }
}
