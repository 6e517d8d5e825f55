import { X509Certificate, createPrivateKey, generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { isIP } from "node:net";
import { IpfedError } from "../errors/ipfed-error.js";
import { bitString, boolean, explicit, implicit, objectId, octetString, sequence, set, time, unsignedInteger, utf8String } from "./der.js";

/**
 * A TLS certificate and its private key, both PEM, with the certificate's SHA-256 fingerprint
 * (lower-case hex of the DER bytes, no separators) — the value a member publishes as
 * `Member.tls_fingerprint` in the network configuration.
 *
 * @example
 * ```ts
 * const identity: TlsIdentity = createTlsCertificate({ commonName: "sc-regional", hosts: ["127.0.0.1"] });
 * console.log(identity.fingerprint.length); // 64
 * ```
 */
export interface TlsIdentity {
  /** The certificate, PEM. */
  readonly cert: string;
  /** The private key, PKCS#8 PEM. */
  readonly key: string;
  /** SHA-256 of the certificate's DER bytes, lower-case hex. */
  readonly fingerprint: string;
}

/**
 * Options of {@link createTlsCertificate}.
 *
 * @example
 * ```ts
 * const options: TlsCertificateOptions = { commonName: "scu-tisc", hosts: ["tisc.scu.edu.cn", "10.0.0.7"], days: 825 };
 * ```
 */
export interface TlsCertificateOptions {
  /** The certificate's subject common name: the member id. */
  readonly commonName: string;
  /**
   * Host names and IP addresses the certificate names (subjectAltName). ipfed's own clients
   * pin the certificate by fingerprint and do not need them; other clients check them.
   * @defaultValue `["localhost", "127.0.0.1", "::1"]`
   */
  readonly hosts?: readonly string[];
  /**
   * Days of validity from now.
   * @defaultValue 825
   */
  readonly days?: number;
}

const OID = {
  ecPublicKey: "1.2.840.10045.2.1",
  ecdsaWithSha256: "1.2.840.10045.4.3.2",
  commonName: "2.5.4.3",
  organization: "2.5.4.10",
  basicConstraints: "2.5.29.19",
  subjectAltName: "2.5.29.17",
  extKeyUsage: "2.5.29.37",
  serverAuth: "1.3.6.1.5.5.7.3.1",
  clientAuth: "1.3.6.1.5.5.7.3.2",
} as const;

function ipBytes(ip: string): Buffer {
  if (isIP(ip) === 4) return Buffer.from(ip.split(".").map(Number));
  // IPv6: expand "::" and write eight 16-bit groups.
  const [head = "", tail] = ip.split("::");
  const h = head ? head.split(":") : [];
  const t = tail ? tail.split(":") : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill("0"), ...t];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}

function extension(oid: string, critical: boolean, value: Buffer): Buffer {
  return sequence(objectId(oid), ...(critical ? [boolean(true)] : []), octetString(value));
}

/**
 * Creates a self-signed TLS certificate (ECDSA P-256, SHA-256) for a member: valid for
 * server and client authentication, so that the same certificate serves the member's
 * gRPC and HTTP endpoints and identifies it when it calls other members (mutual TLS).
 * Members pin each other's certificates through the signed network configuration, so no
 * certificate authority is needed; an institution may use one issued by its own CA instead.
 *
 * @example
 * ```ts
 * const { cert, key, fingerprint } = createTlsCertificate({ commonName: "sc-regional", hosts: ["regional.sc.example.cn"] });
 * writeFileSync("tls/cert.pem", cert);
 * writeFileSync("tls/key.pem", key, { mode: 0o600 });
 * ```
 */
export function createTlsCertificate(options: TlsCertificateOptions): TlsIdentity {
  const hosts = options.hosts ?? ["localhost", "127.0.0.1", "::1"];
  const days = options.days ?? 825;
  if (!options.commonName) throw new IpfedError("INVALID_ARGUMENT", "a certificate needs a common name (the member id)", { field: "commonName" });
  if (!Number.isFinite(days) || days <= 0) throw new IpfedError("INVALID_ARGUMENT", `days must be a positive number, got ${days}`, { field: "days" });
  for (const h of hosts) {
    if (!isIP(h) && !/^(\*\.)?[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/.test(h)) {
      throw new IpfedError("INVALID_ARGUMENT", `'${h}' is neither a host name nor an IP address`, { field: "hosts" });
    }
  }
  const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const name = sequence(
    set(sequence(objectId(OID.commonName), utf8String(options.commonName))),
    set(sequence(objectId(OID.organization), utf8String("ipfed"))),
  );
  const signatureAlgorithm = sequence(objectId(OID.ecdsaWithSha256));
  // Backdated a minute so that a peer whose clock is slightly behind accepts it at once.
  const notBefore = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
  const notAfter = new Date(notBefore.getTime() + days * 86_400_000);
  const altNames = sequence(...hosts.map((h) => (isIP(h) ? implicit(7, ipBytes(h)) : implicit(2, Buffer.from(h, "ascii")))));
  const extensions = sequence(
    extension(OID.basicConstraints, true, sequence()),
    extension(OID.extKeyUsage, false, sequence(objectId(OID.serverAuth), objectId(OID.clientAuth))),
    ...(hosts.length ? [extension(OID.subjectAltName, false, altNames)] : []),
  );
  const serial = randomBytes(16);
  serial[0] = (serial[0] as number) & 0x7f;
  const tbs = sequence(
    explicit(0, unsignedInteger(Buffer.from([2]))),
    unsignedInteger(serial),
    signatureAlgorithm,
    name,
    sequence(time(notBefore), time(notAfter)),
    name,
    publicKey.export({ type: "spki", format: "der" }),
    explicit(3, extensions),
  );
  const der = sequence(tbs, signatureAlgorithm, bitString(sign("sha256", tbs, privateKey)));
  return { cert: derToPem(der), key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(), fingerprint: certificateFingerprint(der) };
}

/**
 * The DER bytes of the first certificate in a PEM text.
 *
 * @example
 * ```ts
 * const der = pemToDer(readFileSync("tls/cert.pem", "utf8"));
 * ```
 */
export function pemToDer(pem: string): Buffer {
  const m = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(pem);
  if (!m) throw new IpfedError("TLS_INVALID", "no PEM certificate found (expected a -----BEGIN CERTIFICATE----- block)");
  return Buffer.from((m[1] as string).replace(/\s+/g, ""), "base64");
}

/**
 * A certificate's DER bytes as PEM.
 *
 * @example
 * ```ts
 * const pem = derToPem(Buffer.from(member.tlsCertificate));
 * ```
 */
export function derToPem(der: Uint8Array): string {
  const b64 = Buffer.from(der).toString("base64").replace(/(.{64})/g, "$1\n").replace(/\n$/, "");
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

/**
 * SHA-256 fingerprint of a certificate (PEM text or DER bytes): lower-case hex, no separators.
 *
 * @example
 * ```ts
 * certificateFingerprint(readFileSync("tls/cert.pem", "utf8")); // "3f9a…" (64 hex digits)
 * ```
 */
export function certificateFingerprint(certificate: string | Uint8Array): string {
  const der = typeof certificate === "string" ? pemToDer(certificate) : Buffer.from(certificate);
  try {
    return new X509Certificate(der).fingerprint256.replace(/:/g, "").toLowerCase();
  } catch (err) {
    throw new IpfedError("TLS_INVALID", `not an X.509 certificate: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * Reads a PEM certificate and private key and checks that they belong together and that the
 * certificate is within its validity period; the error names which file is wrong.
 *
 * @example
 * ```ts
 * const identity = loadTlsIdentity(readFileSync("tls/cert.pem", "utf8"), readFileSync("tls/key.pem", "utf8"), { cert: "tls/cert.pem", key: "tls/key.pem" });
 * ```
 */
export function loadTlsIdentity(certPem: string, keyPem: string, names: { cert: string; key: string } = { cert: "cert", key: "key" }, now = new Date()): TlsIdentity {
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(certPem);
  } catch (err) {
    throw new IpfedError("TLS_INVALID", `${names.cert} is not a PEM certificate: ${(err as Error).message}`, { field: names.cert, cause: err });
  }
  let key;
  try {
    key = createPrivateKey(keyPem);
  } catch (err) {
    throw new IpfedError("TLS_INVALID", `${names.key} is not a PEM private key: ${(err as Error).message}`, { field: names.key, cause: err });
  }
  if (!x509.checkPrivateKey(key)) throw new IpfedError("TLS_INVALID", `${names.key} is not the private key of ${names.cert}`, { field: names.key });
  if (new Date(x509.validTo).getTime() < now.getTime()) {
    throw new IpfedError("TLS_INVALID", `${names.cert} expired on ${new Date(x509.validTo).toISOString()}`, { field: names.cert });
  }
  return { cert: certPem, key: keyPem, fingerprint: x509.fingerprint256.replace(/:/g, "").toLowerCase() };
}
