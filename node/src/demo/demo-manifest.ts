import { readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { IpfedError } from "@ipfed/sdk";
import type { MemberKindName } from "../config/node-config.js";

/** Name of the demo's manifest in its root directory. */
export const MANIFEST_FILE = "demo.json";

/** A dataset of a demo member as it was imported. */
export interface ManifestDataset {
  readonly id: string;
  /** Records it holds. */
  readonly records: number;
  /** Corpus window `[from, to)`, for generated datasets. */
  readonly from?: number;
  readonly to?: number;
}

/** A member of the demo as it was created. */
export interface ManifestMember {
  readonly id: string;
  readonly kind: MemberKindName;
  readonly region: string;
  /** One-use enrolment token for the first start; dropped once the member is admitted. */
  enrolment?: string;
  readonly datasets: ManifestDataset[];
}

/** What the ready-to-paste commands show, chosen on the first run and kept for the next ones. */
export interface DemoSample {
  /** A federated query whose hits include records held by two members. */
  readonly query: string;
  /** A record held by two members. */
  readonly recordId: string;
  /** Its holders. */
  readonly holders: readonly string[];
}

/**
 * `demo.json`: what a demo directory holds, so that a second run with the same `--dir` reuses
 * it instead of importing again.
 */
export interface DemoManifest {
  readonly version: 1;
  /** False while the data is being created: an interrupted setup is redone. */
  readonly complete: boolean;
  readonly created: string;
  /** Generated records before overlaps. */
  readonly size: number;
  readonly seed: number;
  /** The USPTO grants imported, or null when none were found. */
  uspto: { readonly dir: string; readonly files: number; readonly records: number; readonly member: string; readonly sampleId?: string } | null;
  readonly members: ManifestMember[];
  sample: DemoSample | null;
}

/**
 * Reads `demo.json` from a demo directory; `undefined` when there is none.
 *
 * @throws IpfedError `CONFIG_INVALID` when it is not JSON.
 * @example
 * ```ts
 * const m = await readManifest("./data/demo");
 * ```
 */
export async function readManifest(root: string): Promise<DemoManifest | undefined> {
  const file = join(root, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    return undefined;
  }
  try {
    const m = JSON.parse(text) as DemoManifest;
    if (m.version !== 1 || !Array.isArray(m.members)) throw new Error("not a demo manifest of version 1");
    return m;
  } catch (err) {
    throw new IpfedError("CONFIG_INVALID", `${file} is not a demo manifest: ${(err as Error).message}`, { field: "--dir", metadata: { file } });
  }
}

/**
 * Writes `demo.json` atomically.
 *
 * @example
 * ```ts
 * await writeManifest("./data/demo", { ...manifest, sample });
 * ```
 */
export async function writeManifest(root: string, manifest: DemoManifest): Promise<void> {
  const tmp = join(root, `.${MANIFEST_FILE}.tmp`);
  await writeFile(tmp, JSON.stringify(manifest, null, 2) + "\n");
  await rename(tmp, join(root, MANIFEST_FILE));
}
