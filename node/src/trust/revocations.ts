import { readFile, rename, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { IpfedError } from "@ipfed/sdk";

/** Name of the revocation list inside a node's data directory. */
export const REVOCATIONS_FILE = "revocations.json";

/** One revoked token. */
export interface RevokedToken {
  /** The token's `jti`. */
  readonly jti: string;
  /** The token's issuer. */
  readonly issuer: string;
  /** The token's expiry, seconds since the epoch; the entry can be dropped after it. */
  readonly exp: number;
}

/**
 * The node's list of revoked tokens, kept in a small JSON file beside the store so that
 * `ipfed token revoke` works while the node runs: the node notices the change within a
 * couple of seconds (it compares the file's modification time) and refuses the token from
 * then on.
 */
export class RevocationList {
  readonly #file: string;
  #set = new Set<string>();
  #mtime = -1;
  #version = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(dir: string) {
    this.#file = join(dir, REVOCATIONS_FILE);
  }

  /** Increases whenever the list changes (for verification caches). */
  get version(): number {
    return this.#version;
  }

  /** Tells whether a token is revoked. */
  has(jti: string, issuer: string): boolean {
    return this.#set.has(`${issuer}\u0000${jti}`);
  }

  /** Reads the file if it changed since the last read. */
  async refresh(): Promise<void> {
    let mtime: number;
    try {
      mtime = (await stat(this.#file)).mtimeMs;
    } catch {
      mtime = 0;
    }
    if (mtime === this.#mtime) return;
    const list = await readRevocations(this.#file);
    this.#set = new Set(list.map((r) => `${r.issuer}\u0000${r.jti}`));
    this.#mtime = mtime;
    this.#version += 1;
  }

  /** Re-reads the file every `intervalMs` until {@link stop}. */
  watch(intervalMs = 1000): void {
    this.#timer ??= setInterval(() => void this.refresh().catch(() => undefined), intervalMs);
    this.#timer.unref();
  }

  /** Stops watching. */
  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}

async function readRevocations(file: string): Promise<RevokedToken[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    return [];
  }
  try {
    const raw = JSON.parse(text) as { revoked?: RevokedToken[] };
    return Array.isArray(raw.revoked) ? raw.revoked : [];
  } catch (err) {
    throw new IpfedError("CONFIG_INVALID", `${file} is not valid JSON`, { cause: err });
  }
}

/**
 * Adds a token to a node's revocation list (atomically: write and rename), dropping entries
 * whose tokens have expired anyway. Returns the number of entries kept.
 */
export async function revokeToken(dir: string, token: RevokedToken, now = Date.now() / 1000): Promise<number> {
  const file = join(dir, REVOCATIONS_FILE);
  const list = (await readRevocations(file)).filter((r) => r.exp > now && !(r.jti === token.jti && r.issuer === token.issuer));
  list.push(token);
  const tmp = `${file}.tmp`;
  await writeFile(tmp, JSON.stringify({ revoked: list }, null, 2) + "\n");
  await rename(tmp, file);
  return list.length;
}
