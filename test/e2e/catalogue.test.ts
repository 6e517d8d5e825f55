import { Metadata } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CatalogueChange,
  GetDatasetRequest,
  ListDatasetsRequest,
  ListServicesRequest,
  PublishRequest,
  RecordKind,
  Tier,
  WatchCatalogueRequest,
} from "@ipfed/proto";
import type { Dataset, PublicService, PublishResponse, WatchCatalogueResponse } from "@ipfed/proto";
import { callUnary, rawClients } from "../helpers/grpc-clients.js";
import { initNode, ipfed, issueToken, startNode, tempDir } from "../helpers/node-process.js";
import type { RunningNode } from "../helpers/node-process.js";

let dir: { path: string; remove(): Promise<void> };
let node: RunningNode;
let token: string;

beforeAll(async () => {
  dir = await tempDir("ipfed-catalogue-");
  await initNode(dir.path, { id: "scu-tisc", kind: "tisc", region: "510000" });
  const set = await ipfed([
    "catalogue", "set", "--dir", dir.path, "--dataset", "cn-patents",
    "--title-zh", "中国专利样例", "--title-en", "Chinese patents (sample)", "--licence", "CC0-1.0",
    "--kinds", "patent,utility_model", "--tier", "registered", "--update-frequency", "weekly",
    "--keywords", "专利,patents", "--regions", "510000", "--sensitive",
  ]);
  expect(set.code, set.stderr).toBe(0);
  const svc = await ipfed([
    "services", "set", "--dir", dir.path, "--service", "search-desk", "--name-zh", "专利检索咨询",
    "--name-en", "Patent search desk", "--channels", "onsite,online", "--hours", "Mon-Fri 09:00-17:00",
    "--contact-email", "tisc@example.edu.cn",
  ]);
  expect(svc.code, svc.stderr).toBe(0);
  node = await startNode(dir.path);
  token = await issueToken(dir.path);
});

afterAll(async () => {
  await node?.stop();
  await dir?.remove();
});

describe("catalogue and services", () => {
  it("serves what `catalogue set` and `services set` wrote", async () => {
    const c = rawClients(node.grpc, token);
    try {
      const { datasets } = await callUnary<{ datasets: Dataset[] }>((cb) => c.catalogue.listDatasets(ListDatasetsRequest.fromPartial({}), cb));
      expect(datasets).toHaveLength(1);
      expect(datasets[0]).toMatchObject({
        id: "cn-patents",
        titles: [
          { lang: "zh", text: "中国专利样例" },
          { lang: "en", text: "Chinese patents (sample)" },
        ],
        publisher: "scu-tisc",
        kinds: [RecordKind.RECORD_KIND_PATENT, RecordKind.RECORD_KIND_UTILITY_MODEL],
        licence: "CC0-1.0",
        tier: Tier.TIER_REGISTERED,
        updateFrequency: "weekly",
        keywords: ["专利", "patents"],
        sensitive: true,
        recordCount: 0,
        coverage: { countries: [], dateFrom: "", dateTo: "", regions: ["510000"] },
      });
      const { services } = await callUnary<{ services: PublicService[] }>((cb) => c.catalogue.listServices(ListServicesRequest.fromPartial({}), cb));
      expect(services).toEqual([
        {
          id: "search-desk",
          names: [
            { lang: "zh", text: "专利检索咨询" },
            { lang: "en", text: "Patent search desk" },
          ],
          descriptions: [],
          channels: ["onsite", "online"],
          hours: "Mon-Fri 09:00-17:00",
          contact: { name: "", email: "tisc@example.edu.cn", phone: "", url: "", address: "" },
          memberId: "scu-tisc",
        },
      ]);
      const missing = await callUnary((cb) => c.catalogue.getDataset(GetDatasetRequest.fromPartial({ id: "nope" }), cb)).catch((e: { metadata: Metadata }) => e);
      expect((missing as { metadata: Metadata }).metadata.get("ipfed-error-code")).toEqual(["DATASET_NOT_FOUND"]);
    } finally {
      c.close();
    }
  });

  it("WatchCatalogue replays the catalogue, then follows changes as records are published", async () => {
    const c = rawClients(node.grpc, token);
    const events: WatchCatalogueResponse[] = [];
    const watch = c.catalogue.watchCatalogue(WatchCatalogueRequest.fromPartial({ sinceVersion: 0 }));
    const got = new Promise<void>((resolve, reject) => {
      watch.on("data", (e: WatchCatalogueResponse) => {
        events.push(e);
        if (e.entry?.$case === "dataset" && e.entry.value.recordCount === 2) resolve();
      });
      watch.on("error", (err: { code: number }) => (err.code === 1 ? undefined : reject(err)));
    });
    const published = await new Promise<PublishResponse>((resolve, reject) => {
      const call = c.exchange.publish(new Metadata(), (err, res) => (err ? reject(err) : resolve(res)));
      for (const id of ["CN-200000001-A", "CN-200000002-U"]) {
        call.write(
          PublishRequest.fromPartial({
            datasetId: "cn-patents",
            item: { $case: "record", value: { id, kind: RecordKind.RECORD_KIND_PATENT, country: "CN", publicationDate: "2023-02-03", titles: [{ lang: "zh", text: "茶叶采摘机器人" }] } },
          }),
        );
      }
      call.write(PublishRequest.fromPartial({ item: { $case: "record", value: { id: "not an id", kind: RecordKind.RECORD_KIND_PATENT } } }));
      call.end();
    });
    expect([published.created, published.rejected]).toEqual([2, 1]);
    expect(published.results[2]).toMatchObject({ index: 2, errorCode: "RECORD_INVALID" });
    await got;
    watch.cancel();
    c.close();
    const versions = events.map((e) => e.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(events.slice(0, 3).map((e) => [e.change, e.entry?.$case, e.entry?.value.id])).toEqual([
      [CatalogueChange.CATALOGUE_CHANGE_UPSERTED, "dataset", "cn-patents"],
      [CatalogueChange.CATALOGUE_CHANGE_UPSERTED, "service", "search-desk"],
      [CatalogueChange.CATALOGUE_CHANGE_UPSERTED, "dataset", "cn-patents"],
    ]);
    const last = events[events.length - 1]!;
    expect(last.entry?.$case === "dataset" && last.entry.value.coverage).toEqual({ countries: ["CN"], dateFrom: "2023-02-03", dateTo: "2023-02-03", regions: ["510000"] });
  });

  it("catalogue list (node stopped) prints the figures", async () => {
    await node.stop();
    const r = await ipfed(["catalogue", "list", "--dir", dir.path]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/cn-patents\s+2\s+registered\s+CN 2023-2023\s+中国专利样例/);
    node = await startNode(dir.path);
  });

  it("editing the catalogue while the node runs says the store is in use", async () => {
    const r = await ipfed(["catalogue", "set", "--dir", dir.path, "--dataset", "cn-patents", "--licence", "MIT"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error STORE_LOCKED: the store in");
    expect(r.stderr).toContain("is in use by another process (is the node running? stop it first)");
  });
});
