import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { status } from "@grpc/grpc-js";
import type { ClientReadableStream, ServiceError } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GetRecordRequest, WatchCatalogueRequest } from "@ipfed/proto";
import { fromGrpcError } from "@ipfed/sdk";
import { callUnary, rawClients } from "../helpers/grpc-clients.js";
import { initNode, issueToken, startNode, tempDir } from "../helpers/node-process.js";
import type { RunningNode } from "../helpers/node-process.js";

describe("per-caller limits on a running node", { timeout: 120_000 }, () => {
  let d: Awaited<ReturnType<typeof tempDir>>;
  let node: RunningNode;
  let token: string;

  beforeAll(async () => {
    d = await tempDir("ipfed-limits-");
    await initNode(d.path, { id: "limited", kind: "library", region: "510100" });
    const file = join(d.path, "ipfed.json");
    const config = JSON.parse(await readFile(file, "utf8")) as object;
    await writeFile(file, JSON.stringify({ ...config, limits: { rate: { public: { perSecond: 0.25, burst: 3 } }, maxStreamsPerCaller: 2 } }, null, 2));
    node = await startNode(d.path);
    token = await issueToken(d.path, { sub: "reader", tier: "registered", scope: "search read" });
  });
  afterAll(async () => {
    await node?.stop();
    await d?.remove();
  });

  const getMissing = async (t?: string): Promise<ServiceError> => {
    const c = rawClients(node.grpc, t);
    try {
      return (await callUnary((cb) => c.search.getRecord(GetRecordRequest.fromPartial({ id: "CN-1-A" }), cb)).catch((e: ServiceError) => e)) as ServiceError;
    } finally {
      c.close();
    }
  };

  it("answers an anonymous caller past its burst with RATE_LIMITED and a retry hint, and serves it again after the hint", async () => {
    const codes: string[] = [];
    let limited: ServiceError | undefined;
    for (let i = 0; i < 5; i++) {
      const e = await getMissing();
      codes.push(fromGrpcError(e).code);
      if (e.code === status.RESOURCE_EXHAUSTED) limited ??= e;
    }
    // A burst of 3 refills at one call per 4 s: however slow the machine, the 4th and 5th are refused.
    expect(codes.slice(0, 3)).toEqual(["RECORD_NOT_FOUND", "RECORD_NOT_FOUND", "RECORD_NOT_FOUND"]);
    expect(codes.slice(3)).toEqual(["RATE_LIMITED", "RATE_LIMITED"]);
    const hint = Number(limited!.metadata.get("retry-after-ms")[0]);
    expect(hint).toBeGreaterThan(0);
    expect(hint).toBeLessThanOrEqual(4000);
    expect(fromGrpcError(limited!).retryAfterMs).toBe(hint);
    expect(limited!.details).toMatch(/^the anonymous caller at 127\.0\.0\.1 is over its rate of 0.25 calls\/s \(burst 3\); retry in \d+ ms$/);
    // A token holder has its own bucket (registered: 50/s by default).
    for (let i = 0; i < 5; i++) expect(fromGrpcError(await getMissing(token)).code).toBe("RECORD_NOT_FOUND");
    await new Promise((r) => setTimeout(r, hint + 50));
    expect(fromGrpcError(await getMissing()).code).toBe("RECORD_NOT_FOUND");
  });

  it("caps the streams one caller holds open, and admits a new one when one ends", async () => {
    const c = rawClients(node.grpc, token);
    const open: ClientReadableStream<unknown>[] = [];
    try {
      const watch = async (): Promise<{ stream: ClientReadableStream<unknown>; refused?: ServiceError }> => {
        const stream = c.catalogue.watchCatalogue(WatchCatalogueRequest.fromPartial({ sinceVersion: 0 }));
        // A watch that is admitted stays open; a refused one ends at once with a status.
        const refused = await new Promise<ServiceError | undefined>((resolve) => {
          stream.once("error", (e: ServiceError) => resolve(e));
          stream.once("metadata", () => resolve(undefined));
          stream.once("data", () => resolve(undefined));
          setTimeout(() => resolve(undefined), 1500);
        });
        stream.on("error", () => undefined);
        return { stream, ...(refused ? { refused } : {}) };
      };
      for (let i = 0; i < 2; i++) {
        const w = await watch();
        expect(w.refused).toBeUndefined();
        open.push(w.stream);
      }
      const third = await watch();
      expect(third.refused?.code).toBe(status.RESOURCE_EXHAUSTED);
      expect(fromGrpcError(third.refused!).code).toBe("TOO_MANY_STREAMS");
      expect(third.refused!.details).toBe("subject reader (of limited) already holds 2 open streams, the most one caller may; finish or cancel one first");
      open.shift()!.cancel();
      await new Promise((r) => setTimeout(r, 300));
      const again = await watch();
      expect(again.refused).toBeUndefined();
      open.push(again.stream);
    } finally {
      for (const s of open) s.cancel();
      c.close();
    }
  });
});
