import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { generateCorpus } from "@ipfed/corpus";
import { Record } from "@ipfed/proto";
import { initNode, ipfed, startNode } from "./node-process.js";
import type { RunningNode } from "./node-process.js";

/** A free-looking loopback port for a hub, whose address members must know before it starts. */
export function hubPort(): number {
  return 21000 + Math.floor(Math.random() * 20000);
}

/** The active key id of a node (the fingerprint members pin for a hub). */
export async function activeKid(dir: string): Promise<string> {
  return (JSON.parse(await readFile(join(dir, "keys.json"), "utf8")) as { active: string }).active;
}

/** Writes records `from`..`to` (exclusive) of a seeded corpus as JSONL and imports them. */
export async function importCorpus(dir: string, dataset: string, from: number, to: number, seed = 21): Promise<Record[]> {
  const records = [...generateCorpus({ size: to - from, startIndex: from, seed, datasetId: dataset })];
  const file = join(dir, `${dataset}-${from}-${to}.jsonl`);
  await writeFile(file, records.map((r) => JSON.stringify(Record.toJSON(r))).join("\n") + "\n");
  const r = await ipfed(["import", "--dir", dir, "--dataset", dataset, "--quiet", file]);
  if (r.code !== 0) throw new Error(`import failed: ${r.stderr}`);
  return records;
}

/** Creates a hub in `dir` listening on `port`. */
export async function initHub(dir: string, port: number, id = "hub", extra: string[] = []): Promise<void> {
  await initNode(dir, { id, kind: "hub", region: "100000", extra: ["--listen", `127.0.0.1:${port}`, ...extra] });
}

/** Creates a member that joins the hub at `port`; returns its enrolment token. */
export async function initMember(
  hubDir: string,
  hubPortNumber: number,
  dir: string,
  opts: { id: string; kind: string; region: string; maxTier?: string; parent?: string; extra?: string[] },
): Promise<string> {
  const enrol = await ipfed(["members", "enrol", "--dir", hubDir, "--member", opts.id, "--max-tier", opts.maxTier ?? "registered"]);
  if (enrol.code !== 0) throw new Error(`enrol failed: ${enrol.stderr}`);
  await initNode(dir, {
    id: opts.id,
    kind: opts.kind,
    region: opts.region,
    extra: ["--hub", `127.0.0.1:${hubPortNumber}`, "--hub-fingerprint", await activeKid(hubDir), ...(opts.parent ? ["--parent", opts.parent] : []), ...(opts.extra ?? [])],
  });
  return enrol.stdout.trim();
}

/** Starts a member with its enrolment token (used once; later starts are already admitted). */
export function startMember(dir: string, enrolment: string, env: NodeJS.ProcessEnv = {}): Promise<RunningNode> {
  return startNode(dir, { IPFED_ENROLMENT_TOKEN: enrolment, ...env });
}

/** Starts a hub on its configured port. */
export async function startHub(dir: string): Promise<RunningNode> {
  return startNode(dir, {}, { keepListen: true });
}
