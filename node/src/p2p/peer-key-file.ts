import { randomBytes } from "node:crypto";
import { chmod, link, mkdir, readFile, stat, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from "@libp2p/crypto/keys";
import type { PrivateKey } from "@libp2p/interface";
import { IpfedError } from "@ipfed/sdk";

/** Name of the libp2p identity file inside a node's data directory (mode 600). */
export const PEER_KEY_FILE = "p2p-key";

/**
 * Returns the node's libp2p private key from `dir/p2p-key`, creating an Ed25519 key on first
 * use. The peer id is derived from this key, so keeping the file keeps the node's peer id
 * across restarts (other members list it in `Member.peer_id` and in bootstrap multiaddrs).
 *
 * The libp2p key is deliberately a key of its own rather than the member's signing key: member
 * keys rotate (and a rotated key must never change the peer id others dial), and a transport
 * key that only authenticates noise handshakes should not also sign network tokens.
 *
 * The file holds the key in libp2p's protobuf encoding (the same bytes `privateKeyToProtobuf`
 * writes). It is created with mode 600 without ever replacing an existing file, so two
 * processes starting at once end up with the same key; a file others can read is refused.
 *
 * @throws IpfedError `CONFIG_INVALID` when the file is readable by others or not a key;
 *   `CONFIG_NOT_FOUND` when it cannot be read or written.
 * @example
 * ```ts
 * const key = await loadOrCreatePeerKey("/var/lib/ipfed");
 * const host = await createLibp2p({ privateKey: key, ... });
 * ```
 */
export async function loadOrCreatePeerKey(dir: string): Promise<PrivateKey> {
  const file = join(dir, PEER_KEY_FILE);
  const existing = await readPeerKey(file);
  if (existing !== undefined) return existing;

  const key = await generateKeyPair("Ed25519");
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${PEER_KEY_FILE}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await writeFile(tmp, privateKeyToProtobuf(key), { mode: 0o600, flag: "wx" });
    // writeFile's mode is filtered by the umask; make sure nobody else can read it.
    await chmod(tmp, 0o600);
    // link() fails when the target exists, unlike rename(): a key another process created in
    // the meantime wins, and the file is never seen half-written.
    await link(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") {
      throw new IpfedError("CONFIG_NOT_FOUND", `cannot write the libp2p key ${file}: ${(err as Error).message}`, { cause: err });
    }
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
  const created = await readPeerKey(file);
  if (created === undefined) throw new IpfedError("CONFIG_NOT_FOUND", `the libp2p key ${file} vanished after it was written`);
  return created;
}

async function readPeerKey(file: string): Promise<PrivateKey | undefined> {
  let bytes: Buffer;
  try {
    const st = await stat(file);
    if ((st.mode & 0o077) !== 0) {
      throw new IpfedError(
        "CONFIG_INVALID",
        `${file} is readable by others (mode ${(st.mode & 0o777).toString(8)}); run \`chmod 600 ${file}\``,
      );
    }
    bytes = await readFile(file);
  } catch (err) {
    if (err instanceof IpfedError) throw err;
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new IpfedError("CONFIG_NOT_FOUND", `cannot read the libp2p key ${file}: ${(err as Error).message}`, { cause: err });
  }
  try {
    return privateKeyFromProtobuf(bytes);
  } catch (err) {
    throw new IpfedError("CONFIG_INVALID", `${file} is not a libp2p private key`, { cause: err });
  }
}
