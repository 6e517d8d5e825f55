import { readFile, writeFile, rename, chmod, stat } from "node:fs/promises";
import { join } from "node:path";
import { IpfedError, generateMemberKey } from "@ipfed/sdk";
import type { MemberKey } from "@ipfed/sdk";

/**
 * Name of the key file inside a node's data directory (mode 600).
 *
 * @example
 * ```ts
 * await stat(join("./data/sc", KEYS_FILE)); // mode 600: the node's private keys
 * ```
 */
export const KEYS_FILE = "keys.json";

/**
 * The node's key ring: the active signing key and the retired ones that still verify.
 *
 * @example
 * ```ts
 * const ring: KeyRing = await loadKeyRing("./data/sc");
 * const active = ring.keys.find((k) => k.kid === ring.active); // the key that signs
 * ```
 */
export interface KeyRing {
  /** Kid of the key that signs. */
  readonly active: string;
  /** Every key, newest first. */
  readonly keys: readonly MemberKey[];
}

/**
 * Creates a key ring with one new Ed25519 key and writes it with mode 600.
 *
 * @example
 * ```ts
 * const ring = await createKeyRing(dir);
 * ```
 */
export async function createKeyRing(dir: string): Promise<KeyRing> {
  const key = await generateMemberKey();
  const ring: KeyRing = { active: key.kid, keys: [key] };
  await saveKeyRing(dir, ring);
  return ring;
}

/**
 * Writes a key ring atomically with mode 600.
 *
 * @example
 * ```ts
 * await saveKeyRing(dir, ring);
 * ```
 */
export async function saveKeyRing(dir: string, ring: KeyRing): Promise<void> {
  const tmp = join(dir, `.${KEYS_FILE}.tmp`);
  await writeFile(tmp, JSON.stringify(ring, null, 2) + "\n", { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, join(dir, KEYS_FILE));
}

/**
 * Reads the node's key ring, refusing a key file that others can read.
 *
 * @example
 * ```ts
 * const { active, keys } = await loadKeyRing(dir);
 * ```
 */
export async function loadKeyRing(dir: string): Promise<KeyRing> {
  const file = join(dir, KEYS_FILE);
  let text: string;
  try {
    const st = await stat(file);
    if ((st.mode & 0o077) !== 0) {
      throw new IpfedError("CONFIG_INVALID", `${file} is readable by others (mode ${(st.mode & 0o777).toString(8)}); run \`chmod 600 ${file}\``);
    }
    text = await readFile(file, "utf8");
  } catch (err) {
    if (err instanceof IpfedError) throw err;
    throw new IpfedError("CONFIG_NOT_FOUND", `cannot read the node key ${file}: ${(err as Error).message}`, { cause: err });
  }
  let ring: KeyRing;
  try {
    ring = JSON.parse(text) as KeyRing;
  } catch (err) {
    throw new IpfedError("CONFIG_INVALID", `${file} is not valid JSON`, { cause: err });
  }
  if (!Array.isArray(ring.keys) || !ring.keys.some((k) => k.kid === ring.active)) {
    throw new IpfedError("CONFIG_INVALID", `${file}: the active key ${String(ring.active)} is not in "keys"`, { field: "active" });
  }
  return ring;
}
