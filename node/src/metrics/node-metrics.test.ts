import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Level } from "level";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { IpfedError } from "@ipfed/sdk";
import { addImportCounts, IMPORT_COUNTS_SUBLEVEL, readImportCounts } from "./import-counts.js";
import { NodeMetrics } from "./node-metrics.js";

describe("NodeMetrics", () => {
  it("records the kit's observer events, and counts the searches served", async () => {
    const metrics = new NodeMetrics();
    const o = metrics.observer;
    o.rpc?.({ service: "ipfed.v1.SearchService", method: "Search", code: "OK", ms: 10, streamed: 5 });
    o.rpc?.({ service: "ipfed.v1.SearchService", method: "Search", code: "OK", ms: 40, streamed: 2 });
    o.rpc?.({ service: "ipfed.v1.SearchService", method: "Search", code: "INVALID_ARGUMENT", errorCode: "QUERY_SYNTAX", ms: 1, streamed: 0 });
    o.rpc?.({ service: "ipfed.v1.SearchService", method: "GetRecord", code: "OK", ms: 3, streamed: 1 });
    o.federation?.({ memberId: "sc-regional", status: "TIMEOUT", ms: 5000, hits: 0 });
    o.federation?.({ memberId: "cd-library", status: "SKIPPED", ms: 0, hits: 0 });
    expect(metrics.queriesServed()).toBe(2);
    const text = await metrics.text();
    expect(text).toContain('ipfed_rpc_requests_total{service="ipfed.v1.SearchService",method="Search",code="OK"} 2\n');
    expect(text).toContain('ipfed_rpc_duration_seconds_bucket{le="0.025",service="ipfed.v1.SearchService",method="Search",code="OK"} 1\n');
    expect(text).toContain('ipfed_rpc_duration_seconds_sum{service="ipfed.v1.SearchService",method="Search",code="OK"} 0.05\n');
    expect(text).toContain('ipfed_rpc_messages_sent_total{service="ipfed.v1.SearchService",method="Search"} 7\n');
    expect(text).toContain('ipfed_rpc_errors_total{service="ipfed.v1.SearchService",method="Search",error_code="QUERY_SYNTAX"} 1\n');
    expect(text).toContain('ipfed_federation_member_requests_total{member="sc-regional",status="TIMEOUT"} 1\n');
    expect(text).toContain('ipfed_federation_member_duration_seconds_count{member="sc-regional",status="TIMEOUT"} 1\n');
    expect(text).toContain('ipfed_federation_member_requests_total{member="cd-library",status="SKIPPED"} 1\n');
    // Skipped members were not asked: nothing to time.
    expect(text).not.toContain('ipfed_federation_member_duration_seconds_count{member="cd-library"');
    // Not attached to a running node: no state series, and no member named.
    expect(text).not.toMatch(/^ipfed_records\{/m);
    expect(text).not.toMatch(/^ipfed_node_info\{/m);
  });

  it("keeps two nodes in one process apart", async () => {
    const a = new NodeMetrics();
    const b = new NodeMetrics();
    a.observer.rpc?.({ service: "ipfed.v1.SearchService", method: "Search", code: "OK", ms: 1, streamed: 1 });
    expect(a.queriesServed()).toBe(1);
    expect(b.queriesServed()).toBe(0);
    expect(await b.text()).not.toContain("ipfed_rpc_requests_total{");
  });
});

describe("import counts", () => {
  let dir: string;
  let db: Level<string, Uint8Array>;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "ipfed-import-counts-"));
    db = new Level<string, Uint8Array>(dir, { valueEncoding: "view" });
    await db.open();
  });
  afterEach(async () => {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("adds each import to the running totals of its dataset", async () => {
    expect(await readImportCounts(db)).toEqual({ datasets: {} });
    await addImportCounts(db, "uspto", { imported: 10, updated: 0, unchanged: 0, rejected: 2 }, new Date("2026-01-02T03:04:05.000Z"));
    await addImportCounts(db, "uspto", { imported: 1, updated: 3, unchanged: 6, rejected: 0 }, new Date("2026-01-03T00:00:00.000Z"));
    await addImportCounts(db, "local", { imported: 4, updated: 0, unchanged: 0, rejected: 0 }, new Date("2026-01-04T00:00:00.000Z"));
    expect(await readImportCounts(db)).toEqual({
      datasets: {
        local: { runs: 1, records: { imported: 4, updated: 0, unchanged: 0, rejected: 0 }, lastTime: "2026-01-04T00:00:00.000Z" },
        uspto: { runs: 2, records: { imported: 11, updated: 3, unchanged: 6, rejected: 2 }, lastTime: "2026-01-03T00:00:00.000Z" },
      },
    });
  });

  it("names the dataset whose entry is damaged", async () => {
    await db.sublevel<string, Uint8Array>(IMPORT_COUNTS_SUBLEVEL, { keyEncoding: "utf8", valueEncoding: "view" }).put("uspto", new TextEncoder().encode("{ not json"));
    const err = await readImportCounts(db).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IpfedError);
    expect((err as IpfedError).code).toBe("STORE_CORRUPT");
    expect((err as IpfedError).message).toContain('the import counts of dataset "uspto" in the store are unreadable');
  });
});
