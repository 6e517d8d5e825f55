import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { createTlsCertificate, IpfedError, loadTlsIdentity } from "@ipfed/sdk";
import type { TlsIdentity } from "@ipfed/sdk";
import { loadConfig, saveConfig } from "./node-config.js";
import type { NodeConfig } from "./node-config.js";

/** Where `ipfed node tls` writes a node's certificate and key, relative to its data directory. */
export const TLS_FILES = { cert: "tls/cert.pem", key: "tls/key.pem" } as const;

/**
 * Reads the certificate and key that `tls` of ipfed.json names (relative to the data
 * directory) and checks them: `TLS_INVALID` names the file that is missing, unreadable,
 * expired or not the key of the certificate.
 *
 * @example
 * ```ts
 * const identity = await loadNodeTls("./data/sc", { cert: "tls/cert.pem", key: "tls/key.pem" });
 * console.log(identity.fingerprint);
 * ```
 */
export async function loadNodeTls(dir: string, tls: { readonly cert: string; readonly key: string }): Promise<TlsIdentity> {
  const files = { cert: resolve(dir, tls.cert), key: resolve(dir, tls.key) };
  const read = async (which: "cert" | "key"): Promise<string> => {
    try {
      return await readFile(files[which], "utf8");
    } catch (err) {
      throw new IpfedError("TLS_INVALID", `tls.${which}: cannot read ${files[which]}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, {
        field: `tls.${which}`,
        cause: err,
      });
    }
  };
  const [cert, key] = [await read("cert"), await read("key")];
  return loadTlsIdentity(cert, key, { cert: `tls.cert (${files.cert})`, key: `tls.key (${files.key})` });
}

/**
 * Creates a self-signed certificate for the node in `dir` (ECDSA P-256, its member id as
 * common name), writes `tls/cert.pem` and `tls/key.pem` (mode 600), and turns TLS on in its
 * ipfed.json. A running node picks it up at its next start, and announces it to the hub with
 * its next registration.
 *
 * @example
 * ```ts
 * const { fingerprint } = await createNodeTls("./data/sc", { hosts: ["regional.sc.example.cn"] });
 * ```
 */
export async function createNodeTls(dir: string, options: { hosts?: readonly string[]; days?: number; http?: boolean } = {}): Promise<{ config: NodeConfig; fingerprint: string; cert: string; key: string }> {
  const config = await loadConfig(dir);
  const listenHost = (address: string): string => address.slice(0, address.lastIndexOf(":")).replace(/^\[|\]$/g, "");
  const wildcard = new Set(["0.0.0.0", "::", ""]);
  const hosts = [...new Set(["localhost", "127.0.0.1", "::1", ...[config.listen, config.http].map(listenHost).filter((h) => !wildcard.has(h)), ...(options.hosts ?? [])])];
  const identity = createTlsCertificate({ commonName: config.id, hosts, ...(options.days ? { days: options.days } : {}) });
  await mkdir(join(dir, "tls"), { recursive: true, mode: 0o700 });
  const put = async (file: string, text: string, mode: number): Promise<void> => {
    const tmp = `${file}.tmp`;
    await writeFile(tmp, text, { mode });
    await rename(tmp, file);
  };
  await put(join(dir, TLS_FILES.key), identity.key, 0o600);
  await put(join(dir, TLS_FILES.cert), identity.cert, 0o644);
  const next: NodeConfig = { ...config, tls: { ...TLS_FILES, ...(options.http === false ? { http: false } : {}) } };
  await saveConfig(dir, next);
  return { config: next, fingerprint: identity.fingerprint, cert: join(dir, TLS_FILES.cert), key: join(dir, TLS_FILES.key) };
}
