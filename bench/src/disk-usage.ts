import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";

/**
 * Bytes used by a file or everything under a directory (the sum of file sizes); 0 when missing.
 *
 * @example
 * ```ts
 * await diskBytes(".cache/node-1000/store");
 * ```
 */
export async function diskBytes(path: string): Promise<number> {
  const s = await stat(path).catch(() => undefined);
  if (s === undefined) return 0;
  if (!s.isDirectory()) return s.size;
  let total = 0;
  for (const e of await readdir(path, { withFileTypes: true })) total += await diskBytes(join(path, e.name));
  return total;
}

/**
 * Bytes to MiB.
 *
 * @example
 * ```ts
 * mib(3 * 2 ** 20); // 3
 * ```
 */
export const mib = (bytes: number): number => bytes / 2 ** 20;
