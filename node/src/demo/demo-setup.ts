import { existsSync } from "node:fs";
import { mkdir, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateCorpus } from "@ipfed/corpus";
import { Dataset, PublicService, Record, RecordKind, Tier } from "@ipfed/proto";
import { IpfedError } from "@ipfed/sdk";
import { createKeyRing } from "../config/key-store.js";
import { loadConfig, saveConfig } from "../config/node-config.js";
import { createNodeTls, TLS_FILES } from "../config/node-tls.js";
import type { NodeConfig } from "../config/node-config.js";
import { runAdminRequest } from "../federation/admin/hub-admin.js";
import { importFiles } from "../ingest/importer.js";
import { openNodeStore } from "../store/node-store.js";
import type { NodeStore } from "../store/node-store.js";
import { DEMO_MEMBERS, DEMO_SEED, USPTO_DATASET, USPTO_TITLES, windowOf } from "./demo-plan.js";
import type { DemoDataset, DemoMember, DemoService } from "./demo-plan.js";
import { readManifest, writeManifest } from "./demo-manifest.js";
import { displayPath } from "./demo-commands.js";
import type { DemoManifest, ManifestMember } from "./demo-manifest.js";

/** The repository root: the demo generates its data with the workspace's corpus package. */
export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));


/** Options of {@link createDemoData}. */
export interface DemoSetupInit {
  /** Root directory of the demo: one sub-directory per member. */
  readonly root: string;
  /** Generated records before overlaps. */
  readonly size: number;
  /** The hub's gRPC address, written into every member's config. */
  readonly hubGrpc: string;
  /** The hub's HTTP address. */
  readonly hubHttp: string;
  /** USPTO grant XML files to import into the member marked `uspto`, and where they came from. */
  readonly uspto?: { readonly dir: string; readonly files: readonly string[] };
  /** Progress, one line at a time. */
  readonly say: (line: string) => void;
  /** True once the demo is being stopped: the import gives up between datasets. */
  readonly stopped?: () => boolean;
}

/**
 * Creates the demo network's nodes in `root`: each member's config and Ed25519 key (as
 * `ipfed node init` does) and an enrolment token from the hub for each member (as
 * `ipfed members enrol`). Writes `demo.json`, marked incomplete until
 * {@link importDemoData} has run; a directory whose `demo.json` is incomplete is set up again
 * from scratch. The hub may start as soon as this returns: the imports do not touch its store.
 *
 * @example
 * ```ts
 * const manifest = await createDemoNodes({ root: "/tmp/demo", size: 2000, hubGrpc: "127.0.0.1:7400", hubHttp: "127.0.0.1:7480", say: console.log });
 * await importDemoData(init, manifest);
 * ```
 */
export async function createDemoNodes(init: DemoSetupInit): Promise<DemoManifest> {
  const { root, size } = init;
  await mkdir(root, { recursive: true, mode: 0o700 });
  // What an interrupted first run left behind (openDemoData let only that through) goes.
  for (const m of DEMO_MEMBERS) await rm(join(root, m.id), { recursive: true, force: true });
  const manifest: DemoManifest = {
    version: 1,
    complete: false,
    created: new Date().toISOString(),
    size,
    seed: DEMO_SEED,
    uspto: null,
    members: [],
    sample: null,
  };
  await writeManifest(root, manifest);
  const hub = DEMO_MEMBERS.find((m) => m.kind === "hub")!;
  const hubDir = join(root, hub.id);
  await saveConfig(hubDir, configOf(hub, { listen: init.hubGrpc, http: init.hubHttp }));
  const hubKid = (await createKeyRing(hubDir)).active;
  // Every node serves gRPC over TLS with a certificate of its own, and members call each
  // other over mutual TLS, pinned through the network configuration; the HTTP side (portal,
  // gateway) stays plaintext on loopback so that a browser opens it without a warning.
  await createNodeTls(hubDir, { http: false });
  for (const m of DEMO_MEMBERS) {
    if (m === hub) {
      manifest.members.push({ id: hub.id, kind: hub.kind, region: hub.region, datasets: [] });
      continue;
    }
    const dir = join(root, m.id);
    await saveConfig(dir, {
      ...configOf(m, { listen: "127.0.0.1:0", http: "127.0.0.1:0" }),
      hub: { address: init.hubGrpc, fingerprint: hubKid, tls: join("..", hub.id, TLS_FILES.cert) },
      ...(m.parent ? { parent: m.parent } : {}),
      // Heartbeats every 2 s: a new member's address and keys reach the others in seconds.
      federation: { heartbeatSeconds: 2 },
    });
    await createKeyRing(dir);
    await createNodeTls(dir, { http: false });
    const { result } = await runAdminRequest(hubDir, { action: "enrol", memberId: m.id, maxTier: m.maxTier, ttlSeconds: 7 * 86_400, kind: m.kind, region: m.region });
    if (!("enrolment" in result)) throw new IpfedError("INTERNAL", `the hub gave no enrolment token for ${m.id}`);
    manifest.members.push({ id: m.id, kind: m.kind, region: m.region, enrolment: result.enrolment.token, datasets: [] });
  }
  const node = await openNodeStore(hubDir, hub.id);
  try {
    for (const s of hub.services) await node.store.putService(serviceOf(hub, s));
  } finally {
    await node.close();
  }
  await writeManifest(root, manifest);
  return manifest;
}

/**
 * Fills the members created by {@link createDemoNodes}: the generated corpus cut into
 * overlapping datasets and imported (as `ipfed import`), catalogue titles and public services
 * (as `ipfed catalogue set` and `ipfed services set`), and the USPTO grants when given. Then
 * marks `demo.json` complete.
 *
 * @example
 * ```ts
 * const done = await importDemoData(init, await createDemoNodes(init));
 * ```
 */
export async function importDemoData(init: DemoSetupInit, manifest: DemoManifest): Promise<DemoManifest> {
  const { root, size } = init;
  init.say(`Generating ${size} bilingual records (seed ${DEMO_SEED}) with @ipfed/corpus`);
  const lines = generateCorpusLines(size);
  for (const m of DEMO_MEMBERS) {
    // The hub holds no records, and may be running already.
    if (m.kind === "hub") continue;
    if (init.stopped?.()) throw new IpfedError("CANCELLED", "the demo was stopped while importing; the next run imports again");
    const entry = manifest.members.find((x) => x.id === m.id)!;
    const node = await openNodeStore(join(root, m.id), m.id);
    try {
      for (const d of m.datasets) {
        const [start, end] = windowOf(d, size);
        const file = join(root, m.id, "imports", `${d.id}.jsonl`);
        await mkdir(join(root, m.id, "imports"), { recursive: true });
        await writeFile(file, lines.slice(start, end).join("\n") + "\n");
        const records = await importInto(node, m, d.id, [file]);
        await describeDataset(node, m, d.id, d);
        entry.datasets.push({ id: d.id, records, from: start, to: end });
        init.say(`  ${m.id.padEnd(12)} ${d.id.padEnd(14)} ${String(records).padStart(6)} records (corpus ${start}-${end - 1})`);
      }
      if (m.uspto && init.uspto) {
        const records = await importInto(node, m, USPTO_DATASET, init.uspto.files);
        await describeDataset(node, m, USPTO_DATASET, USPTO_TITLES);
        const first = (await node.store.scan(USPTO_DATASET, { limit: 1 }))[0];
        entry.datasets.push({ id: USPTO_DATASET, records });
        manifest.uspto = { dir: init.uspto.dir, files: init.uspto.files.length, records, member: m.id, ...(first ? { sampleId: first.id } : {}) };
        init.say(`  ${m.id.padEnd(12)} ${USPTO_DATASET.padEnd(14)} ${String(records).padStart(6)} records (USPTO grants from ${displayPath(init.uspto.dir)})`);
      }
      for (const s of m.services) await node.store.putService(serviceOf(m, s));
    } finally {
      await node.close();
    }
  }
  const done: DemoManifest = { ...manifest, complete: true };
  await writeManifest(root, done);
  return done;
}

/**
 * Opens an existing demo directory: its manifest when it is complete, `undefined` when the
 * directory is new or empty, or holds a setup that was interrupted (which is then redone).
 *
 * @throws IpfedError `INVALID_ARGUMENT` when the directory holds something other than a demo.
 * @example
 * ```ts
 * const manifest = await openDemoData("./data/demo");
 * ```
 */
export async function openDemoData(root: string): Promise<DemoManifest | undefined> {
  if (!existsSync(root)) return undefined;
  const manifest = await readManifest(root);
  if (manifest?.complete) return manifest;
  const entries = (await readdir(root)).filter((e) => !e.startsWith("."));
  if (manifest || entries.length === 0) return undefined;
  throw new IpfedError("INVALID_ARGUMENT", `--dir ${root} is not empty and holds no demo network (no demo.json); give a new or empty directory`, { field: "--dir" });
}

/**
 * Points the members of an existing demo at the hub's current gRPC address (`--hub-grpc`
 * may differ from the first run), and the hub's config at its addresses.
 *
 * @example
 * ```ts
 * await retargetHub("./data/demo", "127.0.0.1:7400", "127.0.0.1:7480");
 * ```
 */
export async function retargetHub(root: string, hubGrpc: string, hubHttp: string): Promise<void> {
  for (const m of DEMO_MEMBERS) {
    const dir = join(root, m.id);
    const config = await loadConfig(dir);
    const next: NodeConfig = m.kind === "hub" ? { ...config, listen: hubGrpc, http: hubHttp } : config.hub ? { ...config, hub: { ...config.hub, address: hubGrpc } } : config;
    if (JSON.stringify(next) !== JSON.stringify(config)) await saveConfig(dir, next);
  }
}

function configOf(m: DemoMember, addresses: { listen: string; http: string }): NodeConfig {
  return { version: 1, id: m.id, kind: m.kind, region: m.region, names: { zh: m.names.zh, en: m.names.en }, networkId: "ipfed", ...addresses };
}

/** Runs the corpus package's command (`packages/corpus/src/cli.ts`) and returns its JSON lines. */
/** The demo's records: the seeded bilingual corpus, as canonical JSON lines. */
function generateCorpusLines(size: number): string[] {
  return [...generateCorpus({ size, seed: DEMO_SEED, datasetId: "demo" })].map((r) => JSON.stringify(Record.toJSON(r)));
}

async function importInto(node: NodeStore, m: DemoMember, datasetId: string, files: readonly string[]): Promise<number> {
  const summary = await importFiles({ store: node.store, index: node.index, datasetId, memberId: m.id, files });
  if (summary.rejected > 0) throw new IpfedError("IMPORT_PARSE_ERROR", `${summary.rejected} record(s) rejected importing ${datasetId} into ${m.id}`);
  return (await node.store.getDataset(datasetId))?.recordCount ?? summary.imported;
}

/** What `ipfed catalogue set` does: titles, descriptions, licence, kinds (read from the records), regions. */
async function describeDataset(node: NodeStore, m: DemoMember, datasetId: string, d: Pick<DemoDataset, "titles" | "descriptions">): Promise<void> {
  const old = (await node.store.getDataset(datasetId)) ?? Dataset.fromPartial({ id: datasetId, publisher: m.id });
  const kinds = new Set<RecordKind>();
  for (let after: string | undefined; ; ) {
    const page = await node.store.scan(datasetId, { ...(after ? { after } : {}), limit: 500 });
    for (const r of page) kinds.add(r.kind);
    if (page.length < 500) break;
    after = page[page.length - 1]!.id;
  }
  await node.store.putDataset({
    ...old,
    publisher: m.id,
    titles: [{ lang: "zh", text: d.titles.zh }, { lang: "en", text: d.titles.en }],
    descriptions: [{ lang: "zh", text: d.descriptions.zh }, { lang: "en", text: d.descriptions.en }],
    licence: "CC-BY-4.0",
    kinds: [...kinds].sort((a, b) => a - b),
    tier: Tier.TIER_PUBLIC,
    updateFrequency: "weekly",
    coverage: { countries: [], dateFrom: "", dateTo: "", regions: [m.region] },
  });
}

function serviceOf(m: DemoMember, s: DemoService): PublicService {
  return PublicService.fromPartial({
    id: s.id,
    memberId: m.id,
    names: [{ lang: "zh", text: s.names.zh }, { lang: "en", text: s.names.en }],
    descriptions: [{ lang: "zh", text: s.descriptions.zh }, { lang: "en", text: s.descriptions.en }],
    channels: [...s.channels],
    hours: s.hours,
    contact: { name: m.names.en, email: `${s.id}@${m.id}.example.cn`, phone: "", url: "", address: "" },
  });
}
