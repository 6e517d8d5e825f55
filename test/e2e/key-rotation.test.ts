import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GetKeysRequest, SearchRequest } from "@ipfed/proto";
import type { GetKeysResponse } from "@ipfed/proto";
import { callUnary, collect, rawClients } from "../helpers/grpc-clients.js";
import { initNode, ipfed, issueToken, startNode, tempDir } from "../helpers/node-process.js";
import type { RunningNode } from "../helpers/node-process.js";

let dir: { path: string; remove(): Promise<void> };
let node: RunningNode;

beforeAll(async () => {
  dir = await tempDir("ipfed-rotate-");
  await initNode(dir.path, { id: "rot", kind: "tisc", region: "510000" });
  node = await startNode(dir.path);
});

afterAll(async () => {
  await node?.stop();
  await dir?.remove();
});

const kidOf = (token: string): string => JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString("utf8")).kid;

describe("node rotate-key on a running node", () => {
  it("signs with the new key at once, and the old key keeps verifying its tokens", async () => {
    const before = await issueToken(dir.path, { tier: "registered", scope: "search read" });
    const oldKid = JSON.parse(await readFile(join(dir.path, "keys.json"), "utf8")).active;
    expect(kidOf(before)).toBe(oldKid);
    const r = await ipfed(["node", "rotate-key", "--dir", dir.path, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.retired).toBe(oldKid);
    expect(out.active).not.toBe(oldKid);
    const after = await issueToken(dir.path, { tier: "registered", scope: "search read" });
    expect(kidOf(after)).toBe(out.active);
    // The node re-reads keys.json within a second: GetKeys serves both, the new one first.
    let keys: GetKeysResponse | undefined;
    for (let i = 0; i < 30; i++) {
      const c = rawClients(node.grpc);
      keys = await callUnary<GetKeysResponse>((cb) => c.federation.getKeys(GetKeysRequest.fromPartial({}), cb));
      c.close();
      if (keys.keys.length === 2) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    expect(keys!.keys.map((k) => k.kid)).toEqual([out.active, oldKid]);
    expect(keys!.keys[1]!.notAfter).toBeDefined();
    for (const token of [before, after]) {
      const c = rawClients(node.grpc, token);
      expect(await collect(c.search.search(SearchRequest.fromPartial({ query: "x" })))).toHaveLength(1);
      c.close();
    }
    const verified = await ipfed(["token", "verify", "--dir", dir.path, before]);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain("valid: operator (issued by rot), tier registered");
  });
});
