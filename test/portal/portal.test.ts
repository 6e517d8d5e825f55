import { mkdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { Metadata } from "@grpc/grpc-js";
import { chromium } from "playwright-core";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GetRecordRequest, ListDatasetsRequest, ListServicesRequest, SearchRequest } from "@ipfed/proto";
import type { Dataset, GetRecordResponse, ListDatasetsResponse, ListServicesResponse, SearchEvent, SearchHit } from "@ipfed/proto";
import { callUnary, collect, rawClients } from "../helpers/grpc-clients.js";
import { REPO_ROOT } from "../helpers/node-process.js";
import { startDemo } from "./demo-process.js";
import type { RunningDemo } from "./demo-process.js";

// The portal in real Chromium against `ipfed demo`: five real node processes, the hub serving
// the portal and the JSON gateway. Expected values come from the nodes' gRPC services, never
// from the gateway under test. Screenshots of each page go to test/artifacts/portal/.
const ARTEFACTS = join(REPO_ROOT, "test/artifacts/portal");
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const QUERY = "ti:石墨烯";

let demo: RunningDemo;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let claims: { sub: string; tier: string };

const hub = () => demo.info.hub.grpc;

/** A federated search at the hub over gRPC: the page the portal asks for. */
async function grpcSearch(query: string, opts: { token?: string; pageSize?: number; memberIds?: string[] } = {}) {
  const c = rawClients(hub(), opts.token, demo.info.hub.tlsCert);
  try {
    const req = SearchRequest.fromPartial({ query, federate: true, pageSize: opts.pageSize ?? 20, scope: { memberIds: opts.memberIds ?? [] } });
    const events = await collect<SearchEvent>(c.search.search(req, new Metadata(), { deadline: Date.now() + 20_000 }));
    const hits = events.flatMap((e) => (e.event?.$case === "hit" ? [e.event.value] : [])) as SearchHit[];
    const done = events.flatMap((e) => (e.event?.$case === "done" ? [e.event.value] : []))[0]!;
    return { hits, done };
  } finally {
    c.close();
  }
}

async function grpcRecord(id: string, token?: string): Promise<GetRecordResponse> {
  const c = rawClients(hub(), token, demo.info.hub.tlsCert);
  try {
    return await callUnary<GetRecordResponse>((cb) => c.search.getRecord(GetRecordRequest.fromPartial({ id, federate: true }), cb));
  } finally {
    c.close();
  }
}

/** Attributes of every element matching `selector` (or of a descendant `inner` of each), in page order. */
async function attrs(selector: string, names: string[], inner?: string): Promise<string[][]> {
  const all = page.locator(selector);
  const out: string[][] = [];
  for (let i = 0; i < (await all.count()); i++) {
    const el = inner ? all.nth(i).locator(inner) : all.nth(i);
    out.push(await Promise.all(names.map(async (n) => (await el.getAttribute(n)) ?? "")));
  }
  return out;
}

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(ARTEFACTS, `${name}.png`), fullPage: true });
}

async function open(route: string): Promise<void> {
  await page.goto(`${demo.info.portal.replace(/\/$/, "")}/#/${route}`);
}

beforeAll(async () => {
  await mkdir(ARTEFACTS, { recursive: true });
  demo = await startDemo(300);
  const payload = JSON.parse(Buffer.from(demo.info.token.split(".")[1]!, "base64url").toString("utf8")) as { sub: string; tier: string };
  claims = { sub: payload.sub, tier: payload.tier };
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: CHROMIUM_ARGS });
  context = await browser.newContext({ locale: "en-US", acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  if (demo) expect(await demo.stop()).toBe(0);
}, 60_000);

describe("the portal in Chromium against the demo network", () => {
  it("network view: lists all five members with their kinds, grouped by region", async () => {
    await open("network");
    await expect.poll(() => page.locator('[data-testid="member-card"]').count(), { timeout: 20_000 }).toBe(5);
    const cards = await attrs('[data-testid="member-card"]', ["data-member-id", "data-kind", "data-health"]);
    expect(Object.fromEntries(cards.map(([id, kind]) => [id, kind]))).toEqual(Object.fromEntries(demo.info.members.map((m) => [m.id, m.kind])));
    expect(cards.every(([, , health]) => health === "MEMBER_HEALTH_UP")).toBe(true);
    expect(await page.locator('[data-testid="indicator-members"] .tile-value').textContent()).toBe("5");
    expect(await page.locator('[data-testid="indicator-tiscs"] .tile-value').textContent()).toBe(String(demo.info.members.filter((m) => m.kind === "tisc").length));
    const regions: [string, string[]][] = [];
    for (const [region] of await attrs('[data-testid="region"]', ["data-region"])) {
      regions.push([region!, (await attrs(`[data-testid="region"][data-region="${region}"] [data-testid="member-card"]`, ["data-member-id"])).map(([id]) => id!).sort()]);
    }
    const expectedRegions = new Map<string, string[]>();
    for (const m of demo.info.members) {
      const key = m.region.startsWith("10") ? "national" : m.region.slice(0, 2);
      expectedRegions.set(key, [...(expectedRegions.get(key) ?? []), m.id].sort());
    }
    expect(Object.fromEntries(regions)).toEqual(Object.fromEntries(expectedRegions));
    await shot("network");
  });

  it("search: the helper builds the query; hits from several members with holders; live member statuses; facets narrow", async () => {
    const expected = await grpcSearch(QUERY);
    const holders = new Set(expected.hits.flatMap((h) => h.holders));
    expect(holders.size).toBeGreaterThan(1);
    await open("search");
    await page.locator('[data-testid="helper"] summary').click();
    await page.fill('[data-testid="helper-title"]', "石墨烯");
    await page.click('[data-testid="helper-add"]');
    expect(await page.inputValue('[data-testid="query-input"]')).toBe(QUERY);
    expect(await page.isChecked('[data-testid="federate"]')).toBe(true);
    await page.click('[data-testid="search-submit"]');
    await page.waitForSelector('main[data-state="done"]', { timeout: 30_000 });
    const ids = (await attrs('[data-testid="hit"]', ["data-record-id"])).map(([id]) => id);
    const hitHolders = (await attrs('[data-testid="hit"]', ["data-holders"], '[data-testid="hit-holders"]')).map(([h]) => h);
    expect(ids.map((id, i) => [id, hitHolders[i]])).toEqual(expected.hits.map((h) => [h.record!.id, h.holders.join(",")]));
    const states = await attrs('[data-testid="member-status"]', ["data-member-id", "data-state"]);
    const stateOf = Object.fromEntries(states);
    for (const m of demo.info.members.filter((x) => x.kind !== "hub")) expect(stateOf[m.id]).toBe("MEMBER_STATE_OK");
    expect(await page.getAttribute('[data-testid="total"]', "data-total")).toBe(String(expected.done.total));
    await shot("search");

    // Narrow by the first kind bucket: the query gains the clause, and the answer is the narrowed one.
    const bucket = page.locator('[data-testid="facet"][data-facet="kind"] [data-testid="facet-bucket"]').first();
    const kind = (await bucket.getAttribute("data-value"))!;
    await bucket.click();
    await page.waitForFunction(
      `document.querySelector('[data-testid="query-input"]').value === ${JSON.stringify(`${QUERY} AND kind:${kind}`)} && document.querySelector("main").dataset.state === "done"`,
    );
    const narrowed = await grpcSearch(`${QUERY} AND kind:${kind}`);
    expect(await page.getAttribute('[data-testid="total"]', "data-total")).toBe(String(narrowed.done.total));
    expect((await attrs('[data-testid="hit"]', ["data-record-id"])).map(([id]) => id)).toEqual(narrowed.hits.map((h) => h.record!.id));
    await shot("search-narrowed");
  });

  it("record page: anonymous sees restricted fields marked withheld; the registered token reveals them", async () => {
    const { hits } = await grpcSearch(QUERY, { pageSize: 50 });
    let id = "";
    for (const h of hits) {
      const r = await grpcRecord(h.record!.id);
      if (r.record!.withheldFields.includes("claims")) {
        id = h.record!.id;
        break;
      }
    }
    expect(id).not.toBe("");
    const anonymous = await grpcRecord(id);
    const registered = await grpcRecord(id, demo.info.token);
    expect(registered.record!.claims.length).toBeGreaterThan(0);

    await open(`record/${encodeURIComponent(id)}`);
    await page.waitForSelector('[data-testid="record"]');
    expect(await page.textContent('[data-testid="record-id"]')).toBe(id);
    expect(await page.getAttribute('[data-testid="field-claims"]', "data-withheld")).toBe("true");
    expect(await page.getAttribute('[data-testid="withheld-field"][data-field="claims"]', "data-tier")).toBe("registered");
    expect((await attrs('[data-testid="withheld-list"] li', ["data-field"])).map(([f]) => f)).toEqual(anonymous.record!.withheldFields);
    await shot("record-anonymous");

    await page.click('[data-testid="session"]');
    await page.fill('[data-testid="token-input"]', demo.info.token);
    await page.click('[data-testid="token-apply"]');
    expect(await page.textContent('[data-testid="session"]')).toBe(`Signed in as ${claims.sub}, tier ${claims.tier}`);
    expect(claims.tier).toBe("registered");
    await page.waitForSelector('[data-testid="field-claims"][data-withheld="false"]');
    expect(await page.locator('[data-testid="field-claims"] li').allTextContents()).toEqual(registered.record!.claims.map((c) => c.text));
    const stillWithheld = (await attrs('[data-testid="withheld-list"] li', ["data-field"])).map(([f]) => f!);
    expect(stillWithheld.filter(Boolean)).toEqual(registered.record!.withheldFields);
    expect(stillWithheld).not.toContain("claims");
    await shot("record-registered");
  });

  it("catalogue: every member's datasets and public services", async () => {
    const expectedDatasets: string[] = [];
    let expectedServices = 0;
    for (const m of demo.info.members) {
      const c = rawClients(m.grpc, undefined, m.tlsCert);
      try {
        const ds = await callUnary<ListDatasetsResponse>((cb) => c.catalogue.listDatasets(ListDatasetsRequest.fromPartial({}), cb));
        expectedDatasets.push(...ds.datasets.map((d: Dataset) => `${m.id}/${d.id}/${d.recordCount}`));
        expectedServices += (await callUnary<ListServicesResponse>((cb) => c.catalogue.listServices(ListServicesRequest.fromPartial({}), cb))).services.length;
      } finally {
        c.close();
      }
    }
    await open("catalogue");
    await page.waitForSelector('[data-testid="dataset"]');
    const rows: string[] = [];
    const cells = page.locator('[data-testid="dataset"]');
    for (let i = 0; i < (await cells.count()); i++) {
      const row = cells.nth(i);
      const count = ((await row.locator('[data-testid="dataset-records"]').textContent()) ?? "").replace(/\D/g, "");
      rows.push(`${await row.getAttribute("data-member-id")}/${await row.getAttribute("data-dataset-id")}/${count}`);
    }
    expect(rows.sort()).toEqual(expectedDatasets.sort());
    expect(await page.locator('[data-testid="service"]').count()).toBe(expectedServices);
    await shot("catalogue");
  });

  it("download: the current result set as CSV and a member's dataset as JSONL, record counts matching", async () => {
    // The result set: the last search (narrowed above); its records, all pages, as CSV.
    const last = JSON.parse((await page.evaluate<string | null>('sessionStorage.getItem("ipfed.lastSearch")'))!) as { q: string };
    const resultSet = await grpcSearch(last.q, { token: demo.info.token, pageSize: 200 });
    expect(resultSet.done.nextCursor).toBe("");
    await open("download");
    expect(await page.textContent('[data-testid="dl-query"]')).toBe(`Query: ${last.q}`);
    await page.selectOption('[data-testid="dl-results-format"]', "csv");
    const [csv] = await Promise.all([page.waitForEvent("download"), page.click('[data-testid="dl-results-go"]')]);
    expect(csv.suggestedFilename()).toBe("search-results.csv");
    const csvFile = join(ARTEFACTS, "search-results.csv");
    await csv.saveAs(csvFile);
    const rows = (await readFile(csvFile, "utf8")).trimEnd().split("\n");
    expect(rows[0]!.startsWith("id,kind,country,")).toBe(true);
    expect(rows.length - 1).toBe(resultSet.hits.length);
    expect(rows.slice(1).map((r) => r.slice(0, r.indexOf(","))).sort()).toEqual(resultSet.hits.map((h) => h.record!.id).sort());

    // A dataset of the TISC, through the hub, with the registered token.
    const tisc = demo.info.members.find((m) => m.kind === "tisc")!;
    const c = rawClients(tisc.grpc, undefined, tisc.tlsCert);
    const dataset = (await callUnary<ListDatasetsResponse>((cb) => c.catalogue.listDatasets(ListDatasetsRequest.fromPartial({}), cb))).datasets[0]!;
    c.close();
    await page.waitForSelector(`[data-testid="dl-dataset"] option[value="${tisc.id}/${dataset.id}"]`, { state: "attached" });
    await page.selectOption('[data-testid="dl-dataset"]', `${tisc.id}/${dataset.id}`);
    await page.selectOption('[data-testid="dl-dataset-format"]', "jsonl");
    const [jsonl] = await Promise.all([page.waitForEvent("download"), page.click('[data-testid="dl-dataset-go"]')]);
    expect(jsonl.suggestedFilename()).toBe(`${tisc.id}-${dataset.id}.jsonl`);
    const jsonlFile = join(ARTEFACTS, `${tisc.id}-${dataset.id}.jsonl`);
    await jsonl.saveAs(jsonlFile);
    const records = (await readFile(jsonlFile, "utf8")).trimEnd().split("\n").map((l) => JSON.parse(l) as { id: string });
    expect(records.length).toBe(Number(dataset.recordCount));
    expect(new Set(records.map((r) => r.id)).size).toBe(records.length);
    await page.waitForSelector('[data-testid="download-done"]');
    await shot("download");
    await rm(csvFile);
    await rm(jsonlFile);
  });

  it("speaks Chinese and English: the switch changes the texts and the lang attribute, and is remembered", async () => {
    await open("network");
    await page.selectOption('[data-testid="lang-switch"]', "zh");
    expect(await page.getAttribute("html", "lang")).toBe("zh-CN");
    expect(await page.textContent('nav a[data-route="network"]')).toBe("网络");
    await page.waitForSelector('[data-testid="member-card"]');
    expect(await page.textContent('[data-testid="member-card"][data-kind="tisc"] [data-testid="member-kind"]')).toBe("技术与创新支持中心");
    await page.reload();
    expect(await page.textContent('nav a[data-route="search"]')).toBe("检索");
    await page.waitForSelector('[data-testid="member-card"]');
    await shot("network-zh");
  });
});
