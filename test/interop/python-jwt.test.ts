import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { status } from "@grpc/grpc-js";
import type { ServiceError } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GetKeysRequest, SearchRequest } from "@ipfed/proto";
import type { GetKeysResponse } from "@ipfed/proto";
import { callUnary, collect, rawClients } from "../helpers/grpc-clients.js";
import { initNode, issueToken, REPO_ROOT, startNode, tempDir } from "../helpers/node-process.js";
import type { RunningNode } from "../helpers/node-process.js";

// Debian's python3 with python3-jwt (PyJWT) and python3-cryptography.
const PYTHON = "/usr/bin/python3";
const SCRIPT = join(REPO_ROOT, "test/interop/python/jwt_interop.py");
const run = promisify(execFile);

let dir: { path: string; remove(): Promise<void> };
let node: RunningNode;

beforeAll(async () => {
  dir = await tempDir("ipfed-jwt-");
  await initNode(dir.path, { id: "py-jwt", kind: "regional", region: "440000" });
  node = await startNode(dir.path);
});

afterAll(async () => {
  await node?.stop();
  await dir?.remove();
});

describe("tokens interoperate with PyJWT", () => {
  it("a token the node issued verifies in Python against the node's JWKS from GetKeys", async () => {
    const token = await issueToken(dir.path, { sub: "alice", tier: "registered", scope: "search read" });
    const c = rawClients(node.grpc);
    const keys = await callUnary<GetKeysResponse>((cb) => c.federation.getKeys(GetKeysRequest.fromPartial({}), cb));
    c.close();
    const { stdout } = await run(PYTHON, [SCRIPT, "verify", keys.jwks, token, "ipfed"]);
    const claims = JSON.parse(stdout);
    expect(claims).toMatchObject({ iss: "py-jwt", sub: "alice", aud: "ipfed", tier: "registered", scope: "search read" });
    expect(claims.exp - claims.iat).toBe(3600);
    // A token for another audience does not verify in Python either.
    await expect(run(PYTHON, [SCRIPT, "verify", keys.jwks, token, "other-network"])).rejects.toThrow(/InvalidAudienceError/);
  });

  it("a token signed in Python with the member's key is accepted by the node", async () => {
    const ring = JSON.parse(await readFile(join(dir.path, "keys.json"), "utf8"));
    const { stdout } = await run(PYTHON, [SCRIPT, "sign", JSON.stringify(ring.keys[0].privateJwk), "py-jwt", "py-jwt"]);
    const token = stdout.trim();
    const c = rawClients(node.grpc, token);
    const events = await collect(c.search.search(SearchRequest.fromPartial({ query: "anything" })));
    expect(events).toHaveLength(1);
    // The same token with one byte of the signature changed is refused.
    const bad = token.slice(0, -2) + (token.endsWith("AA") ? "BB" : "AA");
    const c2 = rawClients(node.grpc, bad);
    const err = (await collect(c2.search.search(SearchRequest.fromPartial({ query: "x" }))).catch((e: ServiceError) => e)) as ServiceError;
    c.close();
    c2.close();
    expect(err.code).toBe(status.UNAUTHENTICATED);
    expect(err.metadata.get("ipfed-error-code")).toEqual(["TOKEN_SIGNATURE_INVALID"]);
  });
});
