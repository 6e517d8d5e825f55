import { ServerCredentials, credentials } from "@grpc/grpc-js";
import type { ChannelCredentials, ChannelOptions } from "@grpc/grpc-js";
import { isIP } from "node:net";
import { checkServerIdentity, rootCertificates } from "node:tls";
import type { PeerCertificate } from "node:tls";
import { IpfedError } from "../errors/ipfed-error.js";
import { certificateFingerprint, derToPem } from "./tls-certificate.js";
import type { memberCertificateCheck } from "../auth/auth-interceptor.js";
import type { TlsIdentity } from "./tls-certificate.js";

/**
 * Server credentials of a member: TLS with the member's certificate, asking every client for
 * a certificate without requiring one (the public and platforms' users connect without).
 * The auth interceptor reads the certificate a client presents and binds a member's calls to
 * the one the network configuration gives for it ({@link memberCertificateCheck}); that
 * check is an exact fingerprint and needs no chain. Certificates set with
 * {@link MemberServerCredentials.trust} (the peers' from the signed configuration), and the
 * system's roots, are what TLS itself verifies: only those reach handlers through grpc-js's
 * `call.getAuthContext()`.
 *
 * @example
 * ```ts
 * const creds = new MemberServerCredentials(identity);
 * const grpc = createGrpcServer({ credentials: creds });
 * creds.trust(networkMembers.map((m) => derToPem(m.tlsCertificate)));
 * ```
 */
export class MemberServerCredentials extends ServerCredentials {
  readonly #identity: TlsIdentity;
  #trusted: readonly string[] = [];

  /** Serves `identity`; `trusted` are peers' certificates (PEM) TLS verifies from the start. */
  constructor(identity: TlsIdentity, trusted: readonly string[] = []) {
    super({ requestCert: true, rejectUnauthorized: false, ALPNProtocols: ["h2"] }, MemberServerCredentials.#context(identity, trusted));
    this.#identity = identity;
    this.#trusted = trusted;
  }

  static #context(identity: TlsIdentity, trusted: readonly string[]) {
    return { cert: identity.cert, key: identity.key, ca: [...rootCertificates, identity.cert, ...trusted] };
  }

  /** Replaces the client certificates (PEM) trusted besides the system's roots; open connections keep theirs. */
  trust(certificates: readonly string[]): void {
    const next = [...new Set(certificates)].sort();
    if (next.length === this.#trusted.length && next.every((c, i) => c === this.#trusted[i])) return;
    this.#trusted = next;
    this.updateSecureContextOptions(MemberServerCredentials.#context(this.#identity, next));
  }

  /** The member's own TLS identity. */
  get identity(): TlsIdentity {
    return this.#identity;
  }

  /** How grpc-js compares credentials: these are equal only to themselves. */
  _equals(other: ServerCredentials): boolean {
    return other === this;
  }
}

/**
 * A TLS channel to a member: credentials and the channel options that go with them.
 *
 * `trusted` is the certificate the network configuration gives for the member (DER or PEM),
 * or any PEM certificates to trust (a self-signed node's `tls/cert.pem`, an institution's
 * CA). A server presenting one of those exact certificates is accepted whatever host name
 * it is reached by (pinned); any other must chain to them or to the system's roots and match
 * the host name, as HTTPS does. With `own`, the caller presents its certificate too (mutual
 * TLS), which is how a member proves that a call made with its tokens comes from it.
 *
 * @example
 * ```ts
 * const { credentials, options } = memberTlsChannel("10.0.0.7:7400", member.tlsCertificate, ownIdentity);
 * const client = new SearchServiceClient("10.0.0.7:7400", credentials, options);
 * ```
 */
export function memberTlsChannel(
  address: string,
  trusted?: Uint8Array | string,
  own?: { readonly cert: string; readonly key: string },
): TlsChannel {
  const pem = trusted === undefined ? "" : typeof trusted === "string" ? trusted : derToPem(trusted);
  const pinned = new Set(pemCertificates(pem).map((c) => certificateFingerprint(c)));
  const host = hostOf(address);
  const creds = credentials.createSsl(Buffer.from([...rootCertificates, pem].join("\n")), own ? Buffer.from(own.key) : null, own ? Buffer.from(own.cert) : null, {
    checkServerIdentity: (_servername: string, cert: PeerCertificate) => {
      const got = cert.fingerprint256?.replace(/:/g, "").toLowerCase() ?? "";
      return pinned.has(got) ? undefined : checkServerIdentity(host, cert);
    },
  });
  // A TLS server name (SNI) cannot be an IP address, and members are often reached by one:
  // send a fixed name then; the check above still uses the real host.
  return { credentials: creds, options: isIP(host) ? { "grpc.ssl_target_name_override": "ipfed-member" } : {} };
}

function hostOf(address: string): string {
  const m = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (m) return m[1] as string;
  return (address.match(/:/g) ?? []).length === 1 ? address.slice(0, address.lastIndexOf(":")) : address;
}

/** Every certificate block of a PEM text. */
function pemCertificates(pem: string): string[] {
  return pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
}

/**
 * True when `host:port` (or a bare host) names this machine's loopback interface:
 * `127.0.0.0/8`, `::1`, `localhost`. Plaintext is allowed there without `allowPlaintext`.
 *
 * @example
 * ```ts
 * isLoopbackAddress("127.0.0.1:7400"); // true
 * isLoopbackAddress("0.0.0.0:7400");   // false: every interface
 * ```
 */
export function isLoopbackAddress(address: string): boolean {
  const host = hostOf(address);
  if (host === "localhost") return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  return isIP(host) === 6 && (host === "::1" || host === "0:0:0:0:0:0:0:1");
}

/**
 * Refuses plaintext on an address that is not loopback unless it is explicitly allowed.
 *
 * @example
 * ```ts
 * assertPlaintextAllowed("10.0.0.7:7400", false, "gRPC endpoint"); // throws PLAINTEXT_REFUSED
 * ```
 */
export function assertPlaintextAllowed(address: string, allowPlaintext: boolean | undefined, what: string): void {
  if (allowPlaintext || isLoopbackAddress(address)) return;
  throw new IpfedError(
    "PLAINTEXT_REFUSED",
    `${what} ${address} is not loopback: use TLS, or allow plaintext explicitly (allowPlaintext) on a network you trust`,
    { field: "allowPlaintext" },
  );
}

/**
 * How to reach a member or hub: TLS (`true`: the system's roots; or a certificate to pin or
 * a CA, and the caller's own certificate and key for mutual TLS), or plaintext, which a
 * non-loopback address refuses unless `allowPlaintext` is set.
 *
 * @example
 * ```ts
 * const channel: ChannelSecurity = { tls: { ca: readFileSync("hub-cert.pem", "utf8"), cert: own.cert, key: own.key } };
 * ```
 */
export interface ChannelSecurity {
  /** TLS: `true` for the system's roots, or the material to use; absent or false for plaintext. */
  readonly tls?: boolean | ChannelTlsMaterial | undefined;
  /** Plaintext to an address that is not loopback. @defaultValue false */
  readonly allowPlaintext?: boolean | undefined;
}

/**
 * TLS material of a {@link ChannelSecurity}.
 *
 * @example
 * ```ts
 * const material: ChannelTlsMaterial = { ca: member.tlsCertificate, cert: own.cert, key: own.key };
 * ```
 */
export interface ChannelTlsMaterial {
  /** Certificates to trust besides the system's roots (DER of one, or PEM of any); an exact match is pinned. */
  readonly ca?: Uint8Array | string | undefined;
  /** The caller's certificate (PEM), for mutual TLS; needs `key`. */
  readonly cert?: string;
  /** The caller's private key (PEM), for mutual TLS; needs `cert`. */
  readonly key?: string;
}

/**
 * A gRPC channel's credentials with the channel options they need.
 *
 * @example
 * ```ts
 * const { credentials, options }: TlsChannel = channelFor("127.0.0.1:7400");
 * ```
 */
export interface TlsChannel {
  /** Credentials for a generated client's constructor. */
  readonly credentials: ChannelCredentials;
  /** Channel options to pass with them (the TLS server name, for an IP address). */
  readonly options: ChannelOptions;
}

/**
 * Credentials and channel options for `address` under a {@link ChannelSecurity}.
 *
 * @example
 * ```ts
 * const { credentials, options } = channelFor("hub.example.cn:7400", { tls: true });
 * const hub = new FederationServiceClient("hub.example.cn:7400", credentials, options);
 * ```
 */
export function channelFor(address: string, security: ChannelSecurity = {}): TlsChannel {
  const tls = security.tls;
  if (!tls) {
    assertPlaintextAllowed(address, security.allowPlaintext, "plaintext gRPC to");
    return { credentials: credentials.createInsecure(), options: {} };
  }
  const material = tls === true ? {} : tls;
  const ca = material.ca === undefined || material.ca.length === 0 ? undefined : material.ca;
  return memberTlsChannel(address, ca, material.cert && material.key ? { cert: material.cert, key: material.key } : undefined);
}
