import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * Turns off a benchmark node's per-caller limits (`"limits": false` in its ipfed.json): the
 * benchmarks measure how fast a member answers, and one client process asking as fast as it
 * can is exactly what the limits exist to slow down. Idempotent.
 *
 * @example
 * ```ts
 * await unlimited("/tmp/bench/node");
 * ```
 */
export async function unlimited(dir: string): Promise<void> {
  const file = join(dir, "ipfed.json");
  const config = JSON.parse(await readFile(file, "utf8")) as { limits?: unknown };
  if (config.limits === false) return;
  await writeFile(file, JSON.stringify({ ...config, limits: false }, null, 2) + "\n");
}
