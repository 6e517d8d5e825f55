import { X509Certificate } from "node:crypto";
import { Metadata } from "@grpc/grpc-js";
import type { ServiceError } from "@grpc/grpc-js";
import { GetRecordRequest, SearchServiceClient, SearchServiceService, Tier } from "@ipfed/proto";
import type { GetRecordResponse } from "@ipfed/proto";
import { describe, expect, it } from "vitest";
import type { Caller } from "../auth/caller.js";
import { memberCertificateCheck } from "../auth/auth-interceptor.js";
import { IpfedError } from "../errors/ipfed-error.js";
import { createGrpcServer } from "../server/grpc-server.js";
import { unary } from "../server/handlers.js";
import { certificateFingerprint, createTlsCertificate, derToPem, loadTlsIdentity, pemToDer } from "./tls-certificate.js";
import { channelFor, isLoopbackAddress, MemberServerCredentials } from "./tls-credentials.js";

const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (err) {
    return (err as IpfedError).code;
  }
  return undefined;
};

describe("createTlsCertificate", () => {
  it("makes a self-signed P-256 certificate for server and client authentication, naming the member and its hosts", () => {
    const id = createTlsCertificate({ commonName: "scu-tisc", hosts: ["tisc.scu.edu.cn", "10.0.0.7", "::1"], days: 30 });
    const x = new X509Certificate(id.cert);
    expect(x.subject).toBe("CN=scu-tisc\nO=ipfed");
    expect(x.issuer).toBe(x.subject);
    expect(x.subjectAltName).toBe("DNS:tisc.scu.edu.cn, IP Address:10.0.0.7, IP Address:0:0:0:0:0:0:0:1");
    expect(x.keyUsage).toEqual(["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"]);
    expect(x.ca).toBe(false);
    expect(x.verify(x.publicKey)).toBe(true);
    expect(x.publicKey.asymmetricKeyDetails?.namedCurve).toBe("prime256v1");
    const days = (Date.parse(x.validTo) - Date.parse(x.validFrom)) / 86_400_000;
    expect(days).toBe(30);
    expect(id.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(id.fingerprint).toBe(x.fingerprint256.replace(/:/g, "").toLowerCase());
    expect(certificateFingerprint(pemToDer(id.cert))).toBe(id.fingerprint);
    expect(derToPem(pemToDer(id.cert))).toBe(id.cert);
  });

  it("refuses a bad host or lifetime, naming the option", () => {
    expect(codeOf(() => createTlsCertificate({ commonName: "x", hosts: ["bad host"] }))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => createTlsCertificate({ commonName: "x", days: 0 }))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => createTlsCertificate({ commonName: "" }))).toBe("INVALID_ARGUMENT");
  });
});

describe("loadTlsIdentity", () => {
  const a = createTlsCertificate({ commonName: "a" });
  const b = createTlsCertificate({ commonName: "b" });
  it("accepts a certificate with its key, and names the file that is wrong otherwise", () => {
    expect(loadTlsIdentity(a.cert, a.key).fingerprint).toBe(a.fingerprint);
    const err = (cert: string, key: string, now?: Date): [string, string] => {
      try {
        loadTlsIdentity(cert, key, { cert: "tls/cert.pem", key: "tls/key.pem" }, now);
      } catch (e) {
        return [(e as IpfedError).code, (e as IpfedError).message];
      }
      return ["", ""];
    };
    expect(err(a.cert, b.key)).toEqual(["TLS_INVALID", "tls/key.pem is not the private key of tls/cert.pem"]);
    expect(err("not a certificate", a.key)[1]).toMatch(/^tls\/cert\.pem is not a PEM certificate/);
    expect(err(a.cert, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")[1]).toMatch(/^tls\/key\.pem is not a PEM private key/);
    expect(err(a.cert, a.key, new Date(Date.now() + 900 * 86_400_000))[1]).toMatch(/^tls\/cert\.pem expired on \d{4}-/);
    expect(codeOf(() => pemToDer("no pem here"))).toBe("TLS_INVALID");
  });
});

describe("plaintext only on loopback", () => {
  it.each([
    ["127.0.0.1:7400", true],
    ["127.8.9.10:1", true],
    ["localhost:7400", true],
    ["[::1]:7400", true],
    ["0.0.0.0:7400", false],
    ["[::]:7400", false],
    ["10.0.0.7:7400", false],
    ["member.example.cn:443", false],
  ])("%s is loopback: %s", (address, loopback) => {
    expect(isLoopbackAddress(address)).toBe(loopback);
    expect(codeOf(() => channelFor(address, {}))).toBe(loopback ? undefined : "PLAINTEXT_REFUSED");
    expect(codeOf(() => channelFor(address, { allowPlaintext: true }))).toBeUndefined();
  });

  it("a server refuses to listen in plaintext on every interface unless allowed", async () => {
    const grpc = createGrpcServer();
    await expect(grpc.listen("0.0.0.0:0")).rejects.toMatchObject({ code: "PLAINTEXT_REFUSED", field: "allowPlaintext" });
    const open = createGrpcServer({ allowPlaintext: true });
    expect(await open.listen("0.0.0.0:0")).toMatch(/^0\.0\.0\.0:\d+$/);
    await open.close();
  });
});

describe("memberCertificateCheck", () => {
  const fingerprints: { [id: string]: string } = { hub: "aa".repeat(32), "sc-regional": "bb".repeat(32) };
  const check = memberCertificateCheck("scu-tisc", (id) => fingerprints[id]);
  const caller = (over: Partial<Caller>): Caller => ({ anonymous: false, subject: "alice", issuer: "hub", tier: Tier.TIER_PUBLIC, scopes: new Set(["search"]), tokenId: "j", expiresAt: 0, ...over });
  const code = (c: Caller, fp: string | undefined) => codeOf(() => check(c, fp));
  it("binds a member's calls (act chain, or its own token) to its certificate and leaves users alone", () => {
    expect(code(caller({ act: { sub: "sc-regional" } }), "bb".repeat(32))).toBeUndefined();
    expect(code(caller({ act: { sub: "sc-regional" } }), undefined)).toBe("PEER_CERTIFICATE_MISMATCH");
    expect(code(caller({ act: { sub: "sc-regional" } }), "aa".repeat(32))).toBe("PEER_CERTIFICATE_MISMATCH");
    expect(code(caller({ subject: "hub", issuer: "hub" }), undefined)).toBe("PEER_CERTIFICATE_MISMATCH");
    expect(code(caller({ subject: "hub", issuer: "hub" }), "aa".repeat(32))).toBeUndefined();
    // A user's token, an anonymous caller, this member's own tokens, a member without a certificate.
    expect(code(caller({}), undefined)).toBeUndefined();
    expect(code(caller({ anonymous: true, subject: "anonymous", issuer: "" }), undefined)).toBeUndefined();
    expect(code(caller({ subject: "scu-tisc", issuer: "scu-tisc" }), undefined)).toBeUndefined();
    expect(code(caller({ act: { sub: "cd-library" } }), undefined)).toBeUndefined();
  });
});

describe("MemberServerCredentials", () => {
  it("serves TLS, shows a client certificate it trusts to the handlers, and takes new peers without a restart", async () => {
    const server = createTlsCertificate({ commonName: "server" });
    const peer = createTlsCertificate({ commonName: "peer" });
    const creds = new MemberServerCredentials(server);
    const grpc = createGrpcServer({ credentials: creds });
    const seen: string[] = [];
    grpc.addService("ipfed.v1.SearchService", SearchServiceService, {
      getRecord: unary(async (_req: GetRecordRequest, ctx) => {
        const fp = ctx.call.getAuthContext()?.sslPeerCertificate?.fingerprint256;
        seen.push(fp ? fp.replace(/:/g, "").toLowerCase() : "none");
        return { record: undefined, holders: [], withheldFields: [] } as unknown as GetRecordResponse;
      }),
    });
    const address = await grpc.listen("127.0.0.1:0");
    const ask = async (own?: { cert: string; key: string }, pin = server.cert): Promise<string> => {
      const ch = channelFor(address, { tls: { ca: pin, ...own } });
      const client = new SearchServiceClient(address, ch.credentials, ch.options);
      try {
        return await new Promise<string>((resolve) => client.getRecord(GetRecordRequest.fromPartial({ id: "CN-1-A" }), new Metadata(), { deadline: Date.now() + 5000 }, (err: ServiceError | null) => resolve(err ? `error ${err.code}` : "ok")));
      } finally {
        client.close();
      }
    };
    expect(await ask()).toBe("ok");
    expect(await ask(peer)).toBe("ok"); // not trusted yet: connects, but shows no certificate
    creds.trust([peer.cert]);
    expect(await ask(peer)).toBe("ok");
    expect(await ask(undefined, peer.cert)).toBe("error 14"); // pinned to another certificate: no connection
    expect(seen).toEqual(["none", "none", peer.fingerprint]);
    await grpc.close();
  });
});
