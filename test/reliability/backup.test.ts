import { cp, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Metadata } from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import { generateCorpus } from "@ipfed/corpus";
import { GetDatasetRequest, GetRecordRequest, PublishRequest, Record, SearchRequest } from "@ipfed/proto";
import type { Dataset, PublishResponse, SearchEvent } from "@ipfed/proto";
import { callUnary, collect, rawClients } from "../helpers/grpc-clients.js";
import { importCorpus } from "../helpers/network.js";
import { initNode, ipfed, issueToken, startNode, tempDir } from "../helpers/node-process.js";

/** Publishes records over the Publish RPC and waits for the acknowledgement. */
async function publish(address: string, token: string, datasetId: string, records: Record[]): Promise<PublishResponse> {
  const c = rawClients(address, token);
  try {
    return await new Promise<PublishResponse>((resolve, reject) => {
      const call = c.exchange.publish(new Metadata(), (err, res) => (err ? reject(err) : resolve(res)));
      for (const record of records) call.write(PublishRequest.fromPartial({ datasetId, item: { $case: "record", value: record } }));
      call.end();
    });
  } finally {
    c.close();
  }
}

/** The three figures that must agree in a consistent store: the dataset's count, the index's total, the export's records. */
async function figures(address: string, token: string, datasetId: string): Promise<{ count: number; indexed: number; exported: number }> {
  const c = rawClients(address, token);
  try {
    const ds = await callUnary<{ dataset?: Dataset }>((cb) => c.catalogue.getDataset(GetDatasetRequest.fromPartial({ id: datasetId }), cb));
    const events = await collect<SearchEvent>(c.search.search(SearchRequest.fromPartial({ query: `ds:${datasetId}`, pageSize: 1 })));
    const done = events.find((e) => e.event?.$case === "done");
    const batches = await collect<{ records: Record[] }>(c.exchange.export({ datasetId, cursor: "", batchSize: 1000 }));
    return {
      count: ds.dataset!.recordCount,
      indexed: done?.event?.$case === "done" ? done.event.value.total : -1,
      exported: batches.reduce((n, b) => n + b.records.length, 0),
    };
  } finally {
    c.close();
  }
}

describe("node backup and restore", { timeout: 240_000 }, () => {
  it("snapshots a serving node while it takes writes, and the restored node serves the same data with the same keys", async () => {
    const d = await tempDir("ipfed-backup-");
    try {
      const src = join(d.path, "src");
      await initNode(src, { id: "sc-backup", kind: "regional", region: "510000" });
      await importCorpus(src, "cn", 0, 1500, 5);
      const node = await startNode(src);
      const token = await issueToken(src);
      let restored: Awaited<ReturnType<typeof startNode>> | undefined;
      try {
        // Acknowledged before the backup starts: must be in it.
        const early = [...generateCorpus({ size: 50, startIndex: 10_000, seed: 5, datasetId: "cn" })];
        expect((await publish(node.grpc, token, "cn", early)).created).toBe(50);
        // Written while the backup runs: each batch wholly in or wholly out.
        const late = [...generateCorpus({ size: 400, startIndex: 20_000, seed: 5, datasetId: "cn" })];
        const writing = (async () => {
          for (let i = 0; i < late.length; i += 50) await publish(node.grpc, token, "cn", late.slice(i, i + 50));
        })();
        const out = join(d.path, "sc.ipfedbak");
        const backup = await ipfed(["node", "backup", "--dir", src, "--out", out, "--json"]);
        await writing;
        expect(backup.code, backup.stderr).toBe(0);
        const summary = JSON.parse(backup.stdout) as { taken: string; memberId: string; entries: number; files: number; bytes: number };
        expect(summary).toMatchObject({ taken: "serving", memberId: "sc-backup" });
        expect(summary.entries).toBeGreaterThan(1550);
        expect((await stat(out)).size).toBe(summary.bytes);
        expect((await stat(out)).mode & 0o077).toBe(0);

        const check = await ipfed(["node", "restore", "--check", "--dir", join(d.path, "unused"), "--from", out, "--json"]);
        expect(check.code, check.stderr).toBe(0);
        expect(JSON.parse(check.stdout)).toMatchObject({ ok: true, memberId: "sc-backup", entries: summary.entries, files: summary.files });

        const dst = join(d.path, "restored");
        const r = await ipfed(["node", "restore", "--dir", dst, "--from", out]);
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout).toContain(`Restored sc-backup into ${dst}`);
        expect((await stat(join(dst, "keys.json"))).mode & 0o077).toBe(0);
        await node.stop();

        restored = await startNode(dst);
        // The token the original node issued verifies at the restored one: same keys.
        const f = await figures(restored.grpc, token, "cn");
        expect(f.indexed).toBe(f.count);
        expect(f.exported).toBe(f.count);
        expect(f.count).toBeGreaterThanOrEqual(1550);
        expect(f.count).toBeLessThanOrEqual(1950);
        expect((f.count - 1550) % 50).toBe(0);
        const c = rawClients(restored.grpc, token);
        try {
          const got = await callUnary<{ record?: Record }>((cb) => c.search.getRecord(GetRecordRequest.fromPartial({ id: early[49]!.id }), cb));
          expect(got.record?.titles).toEqual(early[49]!.titles);
        } finally {
          c.close();
        }
      } finally {
        await node.stop();
        await restored?.stop();
      }
      // The audit log came along whole: its hash chain verifies.
      const audit = await ipfed(["audit", "verify", "--dir", join(d.path, "restored")]);
      expect(audit.code, audit.stderr).toBe(0);
    } finally {
      await d.remove();
    }
  });

  it("refuses a damaged, truncated or foreign file before writing anything, and an occupied directory without --force", async () => {
    const d = await tempDir("ipfed-backup-bad-");
    try {
      const src = join(d.path, "src");
      await initNode(src, { id: "lib-backup", kind: "library", region: "510100" });
      await importCorpus(src, "books", 0, 300, 9);
      const out = join(d.path, "lib.ipfedbak");
      const b = await ipfed(["node", "backup", "--dir", src, "--out", out, "--json"]);
      expect(b.code, b.stderr).toBe(0);
      expect(JSON.parse(b.stdout)).toMatchObject({ taken: "stopped", memberId: "lib-backup" });
      const bytes = await readFile(out);

      const truncated = join(d.path, "truncated.ipfedbak");
      await writeFile(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
      const flipped = join(d.path, "flipped.ipfedbak");
      const altered = Buffer.from(bytes);
      const middle = Math.floor(altered.length / 2);
      altered[middle] = altered[middle]! ^ 0xff;
      await writeFile(flipped, altered);
      const foreign = join(d.path, "foreign.ipfedbak");
      await writeFile(foreign, "not a backup at all\n");
      for (const file of [truncated, flipped, foreign]) {
        const target = join(d.path, `from-${file.split("/").pop()}`);
        const r = await ipfed(["node", "restore", "--dir", target, "--from", file]);
        expect(r.code, file).toBe(1);
        expect(r.stderr).toMatch(/^error BACKUP_INVALID: /);
        expect(r.stderr).toContain(file);
        expect(await stat(target).then(() => true, () => false)).toBe(false);
      }

      const occupied = await ipfed(["node", "restore", "--dir", src, "--from", out]);
      expect(occupied.code).toBe(1);
      expect(occupied.stderr).toContain("error FAILED_PRECONDITION:");
      expect(occupied.stderr).toContain("--force");
      const forced = await ipfed(["node", "restore", "--dir", src, "--from", out, "--force", "--json"]);
      expect(forced.code, forced.stderr).toBe(0);
      const previous = (JSON.parse(forced.stdout) as { previous: string }).previous;
      expect(previous).toMatch(/src\.before-restore-/);
      expect(await stat(join(previous, "ipfed.json")).then(() => true)).toBe(true);
    } finally {
      await d.remove();
    }
  });

  it("a store with a damaged manifest, or a locked one, stops the node at start with a clear error, never a crash loop", async () => {
    const d = await tempDir("ipfed-store-start-");
    try {
      const good = join(d.path, "good");
      await initNode(good, { id: "damaged", kind: "tisc", region: "510100" });
      await importCorpus(good, "cn", 0, 300, 3);

      const noManifest = join(d.path, "no-manifest");
      await cp(good, noManifest, { recursive: true });
      await writeFile(join(noManifest, "store", "CURRENT"), "MANIFEST-999999\n");
      const a = await ipfed(["node", "start", "--dir", noManifest, "--listen", "127.0.0.1:0", "--http", "127.0.0.1:0"]);
      expect(a.code).toBe(1);
      expect(a.stderr).toMatch(new RegExp(`^error STORE_CORRUPT: cannot open the store in ${join(noManifest, "store")}: `));

      const running = await startNode(good);
      try {
        const c = await ipfed(["node", "start", "--dir", good, "--listen", "127.0.0.1:0", "--http", "127.0.0.1:0"]);
        expect(c.code).toBe(1);
        expect(c.stderr).toContain(`error STORE_LOCKED: the store in ${join(good, "store")} is in use by another process`);
      } finally {
        await running.stop();
      }
    } finally {
      await d.remove();
    }
  });
});
