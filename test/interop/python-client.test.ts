import { execFile } from "node:child_process";
import { mkdir, readdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { protoPath as healthProtoPath } from "grpc-health-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { certificateFingerprint } from "@ipfed/sdk";
import { initNode, REPO_ROOT, startNode, tempDir } from "../helpers/node-process.js";
import type { RunningNode } from "../helpers/node-process.js";

// Debian's python3 (with python3-grpcio and python3-protobuf); the default python3 on some
// machines is another installation that cannot see Debian's modules.
const PYTHON = "/usr/bin/python3";
const run = promisify(execFile);

let dir: { path: string; remove(): Promise<void> };
let node: RunningNode;
let gen: string;

beforeAll(async () => {
  dir = await tempDir("ipfed-interop-");
  gen = join(dir.path, "gen");
  await mkdir(join(gen, "grpc_health/v1"), { recursive: true });
  const protos = (await readdir(join(REPO_ROOT, "proto/ipfed/v1"))).map((f) => `ipfed/v1/${f}`);
  // Generate the Python client from the same .proto files, with Debian's protoc 3.21 and
  // grpc plugin: proof that other languages can build clients from the protocol.
  await run("protoc", ["-I", join(REPO_ROOT, "proto"), `--python_out=${gen}`, `--grpc_python_out=${gen}`, "--plugin=protoc-gen-grpc_python=/usr/bin/grpc_python_plugin", ...protos]);
  await run("protoc", ["-I", dirname(healthProtoPath), `--python_out=${join(gen, "grpc_health/v1")}`, `--grpc_python_out=${join(gen, "grpc_health/v1")}`, "--plugin=protoc-gen-grpc_python=/usr/bin/grpc_python_plugin", healthProtoPath]);
  // protoc emits flat imports for the health file; make it a package like grpcio-health-checking.
  const grpcFile = join(gen, "grpc_health/v1/health_pb2_grpc.py");
  const { writeFile } = await import("node:fs/promises");
  await writeFile(grpcFile, (await readFile(grpcFile, "utf8")).replace("import health_pb2 as", "from grpc_health.v1 import health_pb2 as"));
  for (const pkg of ["ipfed", "ipfed/v1", "grpc_health", "grpc_health/v1"]) await writeFile(join(gen, pkg, "__init__.py"), "");
  await initNode(dir.path, { id: "py-interop", kind: "tisc", region: "110000" });
  node = await startNode(dir.path);
}, 120_000);

afterAll(async () => {
  await node?.stop();
  await dir?.remove();
});

describe("a Python client generated with Debian's protoc", () => {
  it("calls health, GetKeys, ListMembers and Search on a running node", async () => {
    const { stdout } = await run(PYTHON, [join(REPO_ROOT, "test/interop/python/client.py"), gen, node.grpc, "ti:graphene"]);
    const out = JSON.parse(stdout);
    const ring = JSON.parse(await readFile(join(dir.path, "keys.json"), "utf8"));
    expect(out.health).toBe("SERVING");
    expect(out.keys).toEqual([{ kid: ring.active, alg: "EdDSA", crv: "Ed25519", x: ring.keys[0].publicJwk.x }]);
    expect(out.jwks.keys[0].kid).toBe(ring.active);
    expect(out.members).toEqual([{ id: "py-interop", region: "110000" }]);
    expect(out.claims_tier).toBe("TIER_REGISTERED");
    // The node holds no records yet: the answer is a single `done` event.
    expect(out.search).toEqual({ events: ["done"] });
    // Errors reach Python with the plain code trailer and the ErrorDetail message.
    expect(out.bad_query).toEqual({ status: "INVALID_ARGUMENT", code: "QUERY_SYNTAX", position: 13, field: "query" });
  });
});

describe("the same Python client over TLS", () => {
  it("trusts a node's self-signed certificate (from ipfed node init --tls) and gets the same answers", async () => {
    const tlsDir = join(dir.path, "tls-node");
    await initNode(tlsDir, { id: "py-tls", kind: "tisc", region: "110000", extra: ["--tls"] });
    const tlsNode = await startNode(tlsDir);
    try {
      const cert = join(tlsDir, "tls/cert.pem");
      const { stdout } = await run(PYTHON, [join(REPO_ROOT, "test/interop/python/client.py"), gen, tlsNode.grpc, "ti:graphene", cert]);
      const out = JSON.parse(stdout);
      expect(out.health).toBe("SERVING");
      expect(out.members).toEqual([{ id: "py-tls", region: "110000" }]);
      // The member describes itself with the fingerprint of the certificate Python just verified.
      expect(out.tls_fingerprints).toEqual([certificateFingerprint(await readFile(cert, "utf8"))]);
      expect(out.bad_query).toEqual({ status: "INVALID_ARGUMENT", code: "QUERY_SYNTAX", position: 13, field: "query" });
      // Without TLS the same client cannot talk to it.
      const plain = await run(PYTHON, [join(REPO_ROOT, "test/interop/python/client.py"), gen, tlsNode.grpc]).catch((err: { code: number }) => err);
      expect((plain as { code: number }).code).not.toBe(0);
    } finally {
      await tlsNode.stop();
    }
  });
});
