import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { credentials, loadPackageDefinition, status } from "@grpc/grpc-js";
import type { GrpcObject, ServiceClientConstructor, ServiceError } from "@grpc/grpc-js";
import { loadSync } from "@grpc/proto-loader";
import { protoPath as healthProtoPath } from "grpc-health-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GetKeysRequest, ListMembersRequest, MemberKind } from "@ipfed/proto";
import { fromGrpcError } from "@ipfed/sdk";
import { callUnary, rawClients } from "../helpers/grpc-clients.js";
import { initNode, ipfed, startNode, tempDir } from "../helpers/node-process.js";
import type { RunningNode } from "../helpers/node-process.js";

let dir: { path: string; remove(): Promise<void> };
let node: RunningNode;

beforeAll(async () => {
  dir = await tempDir();
  await initNode(dir.path, { id: "sc-regional", kind: "regional", region: "510000", extra: ["--name-zh", "四川省知识产权公共服务平台"] });
  node = await startNode(dir.path);
});

afterAll(async () => {
  await node?.stop();
  await dir?.remove();
});

describe("ipfed node init", () => {
  it("writes the config and an Ed25519 key with mode 600", async () => {
    const config = JSON.parse(await readFile(join(dir.path, "ipfed.json"), "utf8"));
    expect(config).toEqual({
      version: 1,
      id: "sc-regional",
      kind: "regional",
      region: "510000",
      names: { zh: "四川省知识产权公共服务平台" },
      networkId: "ipfed",
      listen: "127.0.0.1:7400",
      http: "127.0.0.1:7480",
    });
    const keyFile = join(dir.path, "keys.json");
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    const ring = JSON.parse(await readFile(keyFile, "utf8"));
    expect(ring.keys[0].privateJwk).toMatchObject({ kty: "OKP", crv: "Ed25519", alg: "EdDSA" });
    expect(ring.keys[0].privateJwk.d).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("refuses to overwrite a node, and names bad flags", async () => {
    const again = await ipfed(["node", "init", "--dir", dir.path, "--id", "x", "--kind", "tisc", "--region", "510000"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("error ALREADY_EXISTS: a node already exists in");
    const badKind = await ipfed(["node", "init", "--dir", dir.path, "--id", "x", "--kind", "castle", "--region", "510000"]);
    expect(badKind.code).toBe(2);
    expect(badKind.stderr).toContain("argument 'castle' is invalid");
    const badAddr = await ipfed(["node", "init", "--dir", join(dir.path, "other"), "--id", "x", "--kind", "tisc", "--region", "510000", "--listen", "nowhere"]);
    expect(badAddr.code).toBe(2);
    expect(badAddr.stderr).toContain('error INVALID_ARGUMENT: --listen must be host:port (found "nowhere")');
  });

  it("start on a directory without a node says so, without a stack trace", async () => {
    const r = await ipfed(["node", "start", "--dir", join(dir.path, "missing")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error CONFIG_NOT_FOUND: no node in .*missing: ipfed.json is missing/);
    expect(r.stderr).not.toContain("    at ");
  });
});

describe("ipfed node start", () => {
  it("serves HTTP health", async () => {
    const res = await fetch(`http://${node.http}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", member: "sc-regional" });
    expect((await fetch(`http://${node.http}/readyz`)).status).toBe(200);
  });

  it("answers grpc.health.v1 Check as SERVING", async () => {
    const pkg = loadPackageDefinition(loadSync(healthProtoPath, { enums: String })) as GrpcObject;
    const Health = (((pkg.grpc as GrpcObject).health as GrpcObject).v1 as GrpcObject).Health as ServiceClientConstructor;
    const client = new Health(node.grpc, credentials.createInsecure()) as unknown as {
      Check(r: { service: string }, cb: (e: ServiceError | null, r: { status: string }) => void): void;
    };
    for (const service of ["", "ipfed.v1.SearchService", "ipfed.v1.FederationService"]) {
      expect(await callUnary((cb) => client.Check({ service }, cb))).toEqual({ status: "SERVING" });
    }
  });

  it("GetKeys serves the node's public key as a JWKS, without the private part", async () => {
    const ring = JSON.parse(await readFile(join(dir.path, "keys.json"), "utf8"));
    const c = rawClients(node.grpc);
    const res = await callUnary<{ keys: { kid: string; x: string; alg: string }[]; jwks: string }>((cb) =>
      c.federation.getKeys(GetKeysRequest.fromPartial({}), cb),
    );
    c.close();
    expect(res.keys).toHaveLength(1);
    expect(res.keys[0]).toMatchObject({ kid: ring.active, alg: "EdDSA", crv: "Ed25519", x: ring.keys[0].publicJwk.x });
    const jwks = JSON.parse(res.jwks);
    expect(jwks.keys[0]).toEqual({ kty: "OKP", crv: "Ed25519", x: ring.keys[0].publicJwk.x, kid: ring.active, alg: "EdDSA", use: "sig" });
    expect(res.jwks).not.toContain('"d"');
  });

  it("ListMembers describes the node itself", async () => {
    const c = rawClients(node.grpc);
    const res = await callUnary<{ members: { id: string; kind: number; region: string; endpoints: { address: string }[] }[] }>((cb) =>
      c.federation.listMembers(ListMembersRequest.fromPartial({}), cb),
    );
    c.close();
    expect(res.members).toHaveLength(1);
    expect(res.members[0]).toMatchObject({ id: "sc-regional", kind: MemberKind.MEMBER_KIND_REGIONAL, region: "510000" });
    expect(res.members[0]!.endpoints.map((e) => e.address)).toEqual([node.grpc, node.http]);
  });

  it("the hub-only RPCs say this member is not a hub", async () => {
    const c = rawClients(node.grpc);
    const err = await callUnary((cb) => c.federation.register({ member: undefined, enrolmentToken: "", signature: "" }, cb)).catch((e: ServiceError) => e);
    c.close();
    expect((err as ServiceError).code).toBe(status.UNIMPLEMENTED);
    expect(fromGrpcError(err as ServiceError).message).toBe("Register: member sc-regional is not a hub; send it to the network's hub");
  });

  it("stops cleanly on SIGTERM", async () => {
    const code = await node.stop("SIGTERM");
    expect(code).toBe(0);
    expect(node.logs.map((l) => l.msg)).toEqual(expect.arrayContaining(["node ready", "stopping", "node stopped"]));
  });
});
