import { join } from "node:path";
import { Metadata } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExportRequest, GetDatasetRequest, PublishRequest, RecordKind } from "@ipfed/proto";
import type { Dataset, ExportResponse, PublishResponse, Record } from "@ipfed/proto";
import { callUnary, collect, rawClients } from "../helpers/grpc-clients.js";
import { ipfed, issueToken, tempDir } from "../helpers/node-process.js";
import type { RunningNode } from "../helpers/node-process.js";
import { hubPort, importCorpus, initHub, initMember, startHub, startMember } from "../helpers/network.js";

let root: { path: string; remove(): Promise<void> };
let hub: RunningNode;
let lib: RunningNode;
let hubDir: string;
let libDir: string;
let records: Record[];

async function mirrored(token: string): Promise<{ dataset?: Dataset; ids: string[] }> {
  const c = rawClients(hub.grpc, token);
  try {
    const d = await callUnary<{ dataset?: Dataset }>((cb) => c.catalogue.getDataset(GetDatasetRequest.fromPartial({ id: "cd-library--cn" }), cb)).catch(() => ({ dataset: undefined }));
    if (!d.dataset) return { ids: [] };
    const batches = await collect<ExportResponse>(c.exchange.export(ExportRequest.fromPartial({ datasetId: "cd-library--cn" })));
    return { dataset: d.dataset, ids: batches.flatMap((b) => b.records.map((r) => r.id)) };
  } finally {
    c.close();
  }
}

async function until<T>(what: string, get: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: T = await get();
  while (!ok(last)) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(last).slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 250));
    last = await get();
  }
  return last;
}

beforeAll(async () => {
  root = await tempDir("ipfed-mirror-");
  const port = hubPort();
  hubDir = join(root.path, "hub");
  libDir = join(root.path, "lib");
  await initHub(hubDir, port);
  const enrol = await initMember(hubDir, port, libDir, { id: "cd-library", kind: "library", region: "510104" });
  records = await importCorpus(libDir, "cn", 0, 60);
  await importCorpus(libDir, "private", 100, 110);
  expect((await ipfed(["catalogue", "set", "--dir", libDir, "--dataset", "cn", "--mirror-allowed"])).code).toBe(0);
  hub = await startHub(hubDir);
  lib = await startMember(libDir, enrol);
}, 120_000);

afterAll(async () => {
  await lib?.stop();
  await hub?.stop();
  await root?.remove();
});

describe("the hub mirrors a member's dataset through Harvest", () => {
  it("copies the allowed dataset only, then follows upserts and deletions exactly", async () => {
    const hubToken = await issueToken(hubDir);
    const visible = records.filter((r) => !r.accessTier || r.accessTier <= 1).map((r) => r.id).sort();
    const first = await until("the first copy", () => mirrored(hubToken), (m) => m.ids.length === visible.length);
    expect(first.ids.sort()).toEqual(visible);
    expect(first.dataset?.publisher).toBe("cd-library");
    // The dataset without mirror_allowed is not copied.
    const c = rawClients(hub.grpc, hubToken);
    const none = await callUnary((cb) => c.catalogue.getDataset(GetDatasetRequest.fromPartial({ id: "cd-library--private" }), cb)).catch((e: { metadata: Metadata }) => e);
    c.close();
    expect((none as { metadata: Metadata }).metadata.get("ipfed-error-code")).toEqual(["DATASET_NOT_FOUND"]);

    // The member deletes one record and publishes a new one.
    // The member may grant up to REGISTERED in the network: a CONFIDENTIAL token is refused at issue.
    const tooHigh = await ipfed(["token", "issue", "--dir", libDir, "--sub", "x", "--tier", "confidential"]);
    expect(tooHigh.code).toBe(5);
    expect(tooHigh.stderr).toContain("error TIER_EXCEEDS_ISSUER");
    const libToken = await issueToken(libDir, { tier: "registered" });
    const lc = rawClients(lib.grpc, libToken);
    const res = await new Promise<PublishResponse>((resolve, reject) => {
      const call = lc.exchange.publish(new Metadata(), (err, r) => (err ? reject(err) : resolve(r)));
      call.write(PublishRequest.fromPartial({ datasetId: "cn", item: { $case: "deleteId", value: visible[0]! } }));
      call.write(
        PublishRequest.fromPartial({
          item: { $case: "record", value: { id: "CN-999999999-A", kind: RecordKind.RECORD_KIND_PATENT, country: "CN", publicationDate: "2024-05-06", titles: [{ lang: "zh", text: "一种镜像同步测试装置" }] } },
        }),
      );
      call.end();
    });
    lc.close();
    expect([res.deleted, res.created]).toEqual([1, 1]);
    const expected = [...visible.slice(1), "CN-999999999-A"].sort();
    const after = await until("the changes at the hub", () => mirrored(hubToken), (m) => m.ids.length === expected.length && m.ids.includes("CN-999999999-A"));
    expect(after.ids.sort()).toEqual(expected);
    expect(after.dataset?.recordCount).toBe(expected.length);
  });
});
