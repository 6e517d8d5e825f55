import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createGzip, gzipSync } from "node:zlib";
import { Metadata, status } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateCorpus } from "@ipfed/corpus";
import { GetDatasetRequest, Record } from "@ipfed/proto";
import type { Dataset } from "@ipfed/proto";
import { IpfedError, parseQuery } from "@ipfed/sdk";
import { callUnary, rawClients } from "../helpers/grpc-clients.js";
import { importCorpus } from "../helpers/network.js";
import { initNode, ipfed, issueToken, startNode, tempDir } from "../helpers/node-process.js";
import type { RunningNode } from "../helpers/node-process.js";
import { ALL_RPCS, hostileBytes, politeCall, prng, rawClient } from "./raw-calls.js";
import type { RawOutcome, RpcInfo } from "./raw-calls.js";
import { FUZZ_INPUTS, record } from "./record.js";

let root: { path: string; remove(): Promise<void> };
let dir: string;
let node: RunningNode;
let token: string;
let cn: Record[];

/** A well-formed request of each RPC, the seed its mutations start from. */
function validRequest(rpc: RpcInfo): Buffer {
  const samples: { [name: string]: object } = {
    "CatalogueService.ListDatasets": { pageSize: 10 },
    "CatalogueService.GetDataset": { id: "cn" },
    "CatalogueService.ListServices": {},
    "CatalogueService.WatchCatalogue": {},
    "SearchService.Search": { query: "ti:电池 AND pd:[2010 TO *]", pageSize: 5, facets: ["country"] },
    "SearchService.GetRecord": { id: cn[0]!.id },
    "ExchangeService.Export": { datasetId: "cn", batchSize: 50 },
    "ExchangeService.Harvest": { datasetId: "cn", cursor: "" },
    "ExchangeService.Publish": { datasetId: "fuzz", item: { $case: "record", value: cn[1] } },
    "FederationService.Register": { member: { id: "x" }, enrolmentToken: "e30.e30.sig" },
    "FederationService.Heartbeat": { memberId: "x" },
    "FederationService.ListMembers": {},
    "FederationService.GetNetworkConfig": {},
    "FederationService.GetKeys": {},
  };
  return rpc.encode(samples[rpc.name] ?? {});
}

/** Statuses a hostile call may end with; anything else (INTERNAL, UNKNOWN, a hang) fails the test. */
const CLEAN = new Set([
  status.OK,
  status.INVALID_ARGUMENT,
  status.NOT_FOUND,
  status.PERMISSION_DENIED,
  status.UNAUTHENTICATED,
  status.FAILED_PRECONDITION,
  status.RESOURCE_EXHAUSTED,
  status.UNIMPLEMENTED,
  status.OUT_OF_RANGE,
]);


function tally(outcomes: RawOutcome[]): { [k: string]: number } {
  const t: { [k: string]: number } = {};
  for (const o of outcomes) {
    const k = `${status[o.code]}${o.ipfedCode ? `/${o.ipfedCode}` : ""}`;
    t[k] = (t[k] ?? 0) + 1;
  }
  return t;
}

/** Bytes as GiB or MiB, for test names. */
const size = (bytes: number): string => (bytes >= 1024 ** 3 ? `${+(bytes / 1024 ** 3).toFixed(1)} GiB` : `${Math.round(bytes / 1024 ** 2)} MiB`);

/** Runs `tasks` with at most `n` in flight. */
async function pool<T>(n: number, tasks: (() => Promise<T>)[]): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < tasks.length) {
        const i = next++;
        out[i] = await tasks[i]!();
      }
    }),
  );
  return out;
}

async function datasetCount(id: string): Promise<number> {
  const c = rawClients(node.grpc, token);
  try {
    const r = await callUnary<{ dataset?: Dataset }>((cb) => c.catalogue.getDataset(GetDatasetRequest.fromPartial({ id }), cb));
    return r.dataset!.recordCount;
  } catch {
    return 0;
  } finally {
    c.close();
  }
}

/** A good call on a new connection still answers rightly: the node is up and unharmed. */
async function stillServes(): Promise<void> {
  const client = rawClient(node.grpc);
  try {
    const rpc = ALL_RPCS.find((r) => r.name === "CatalogueService.GetDataset")!;
    const o = await politeCall(client, rpc, rpc.encode({ id: "cn" }), { token });
    expect(o.code).toBe(status.OK);
    expect(await datasetCount("cn")).toBe(cn.length);
    expect(node.proc.exitCode).toBe(null);
  } finally {
    client.close();
  }
}

beforeAll(async () => {
  root = await tempDir("ipfed-hostile-");
  dir = join(root.path, "node");
  await initNode(dir, { id: "sc-hostile", kind: "regional", region: "510000" });
  cn = await importCorpus(dir, "cn", 0, 300, 7);
  await malformedImports.prepare();
  node = await startNode(dir);
  token = await issueToken(dir);
}, 600_000);

afterAll(async () => {
  await node?.stop();
  await root?.remove();
});

// Malformed imports run through the CLI before the node starts (the store is the node's
// while it runs); their outcomes are checked by the tests below.
const malformedImports = {
  results: new Map<string, { code: number; stdout: string; stderr: string; file: string; good: number }>(),
  /** Length of the long line: `IPFED_RELIABILITY_LONG_LINE_BYTES`, 2 GiB by default. */
  lineBytes: Number(process.env.IPFED_RELIABILITY_LONG_LINE_BYTES ?? 2 * 1024 ** 3),
  async prepare(): Promise<void> {
    const good = [...generateCorpus({ size: 20, startIndex: 9000, seed: 8, datasetId: "x" })].map((r) => JSON.stringify(Record.toJSON(r)));
    const files: { [name: string]: { file: string; good: number; args?: string[] } } = {};
    // Broken XML: a grant cut off mid-element, after a good-looking declaration.
    files.xml = { file: join(root.path, "broken.xml"), good: 0 };
    await writeFile(files.xml.file, `<?xml version="1.0" encoding="UTF-8"?>\n<us-patent-grant lang="EN"><us-bibliographic-data-grant><publication-reference><document-id><country>US</country><doc-number>1234`);
    // Invalid UTF-8 in the middle of a JSON line, between good lines.
    files.utf8 = { file: join(root.path, "bad-utf8.jsonl"), good: 20 };
    await writeFile(
      files.utf8.file,
      Buffer.concat([Buffer.from(good.slice(0, 10).join("\n") + "\n"), Buffer.from('{"id":"CN-1-A","titles":[{"lang":"zh","text":"'), Buffer.from([0xff, 0xfe, 0xc3, 0x28]), Buffer.from('"}]}\n'), Buffer.from(good.slice(10).join("\n") + "\n")]),
    );
    // A gzip file cut in half.
    const many = [...generateCorpus({ size: 2000, startIndex: 20_000, seed: 8, datasetId: "x" })].map((r) => JSON.stringify(Record.toJSON(r)));
    const gz = gzipSync(many.join("\n") + "\n");
    files.gzip = { file: join(root.path, "cut.jsonl.gz"), good: -1 };
    await writeFile(files.gzip.file, gz.subarray(0, Math.floor(gz.length / 2)));
    // A 2 GiB line between good lines, gzipped (a few MB on disk): the reader skips it unread.
    const lineBytes = this.lineBytes;
    files.long = { file: join(root.path, "long-line.jsonl.gz"), good: 20 };
    const z = createGzip({ level: 1 });
    const out = createWriteStream(files.long.file);
    z.pipe(out);
    z.write(good.slice(0, 10).join("\n") + "\n" + '{"id":"CN-2-A","abstracts":[{"lang":"en","text":"');
    const chunk = Buffer.alloc(4 * 1024 * 1024, "x");
    for (let n = 0; n < lineBytes; n += chunk.length) if (!z.write(chunk)) await once(z, "drain");
    z.end('"}]}\n' + good.slice(10).join("\n") + "\n");
    await once(out, "finish");
    for (const [name, f] of Object.entries(files)) {
      const r = await ipfed(["import", "--dir", dir, "--dataset", `bad-${name}`, f.file]);
      this.results.set(name, { ...r, file: f.file, good: f.good });
    }
  },
};

describe("hostile input", { timeout: 600_000 }, () => {
  it("random and mutated protobuf bytes to every RPC: each call ends with a clean status, and the node serves on", async () => {
    const client = rawClient(node.grpc);
    const perRpc = Math.max(20, Math.ceil(FUZZ_INPUTS / ALL_RPCS.length));
    const random = prng(20261130);
    const byRpc: { [rpc: string]: { [k: string]: number } } = {};
    let tried = 0;
    let undecodable = 0;
    try {
      for (const rpc of ALL_RPCS) {
        const valid = validRequest(rpc);
        const inputs = Array.from({ length: perRpc }, () => hostileBytes(random, valid));
        const outcomes = await pool(16, inputs.map((b) => () => politeCall(client, rpc, b, { token, deadlineMs: rpc.name === "CatalogueService.WatchCatalogue" ? 1500 : 15_000 })));
        tried += inputs.length;
        byRpc[rpc.name] = tally(outcomes);
        for (const [i, o] of outcomes.entries()) {
          const where = `${rpc.name} input #${i} (${inputs[i]!.toString("hex").slice(0, 80)})`;
          // A watch is a long-lived stream: its deadline is how a client ends it.
          if (rpc.name === "CatalogueService.WatchCatalogue" && o.code === status.DEADLINE_EXCEEDED) continue;
          // Bytes that are not a message of the request's type: refused before any handler runs.
          if (o.ipfedCode === "REQUEST_MALFORMED") {
            expect(o.code, where).toBe(status.INVALID_ARGUMENT);
            expect(o.details, where).toMatch(/^the request to \/ipfed\.v1\.\w+\/\w+ is not a valid message of its type \(\d+ bytes: /);
            undecodable++;
            continue;
          }          expect(CLEAN.has(o.code), `${where}: ${status[o.code]} ${o.ipfedCode} ${o.details}`).toBe(true);
          if (o.code === status.INVALID_ARGUMENT) expect(o.ipfedCode, where).not.toBe("");
        }
      }
      await stillServes();
    } finally {
      client.close();
    }
    record({
      suite: "hostile-input",
      test: `random and mutated protobuf bytes to all ${ALL_RPCS.length} RPCs`,
      inputs: tried,
      recordsLost: 0,
      faults: [],
      notes: `outcomes per RPC: ${JSON.stringify(byRpc)}; ${undecodable} not decodable as the request type, refused as INVALID_ARGUMENT/REQUEST_MALFORMED`,
    });
  });

  it("a seeded query fuzzer: the parser and the Search RPC agree, every rejection is INVALID_ARGUMENT naming where, never a hang", async () => {
    const random = prng(4711);
    const pieces = [
      "ti:", "ab:", "pa:", "ipc:", "nice:", "pd:", "foo:", "电池", "石墨烯", "graphene", "H01M10/*", "2010-13", "[", "]", "{", "}", "(", ")",
      '"', "*", "\\", ":", " ", "AND", "OR", "NOT", "TO", "-", "+", "（", "）", "：", "𠀀", "\u0000", "\uFFFF", "\uD800", "%s", "' OR 1=1 --", "<script>",
    ];
    const n = Math.max(200, Math.floor(FUZZ_INPUTS / 4));
    const queries = Array.from({ length: n }, (_, i) => {
      if (i % 50 === 0) return "(".repeat(200 + i) + "a" + ")".repeat(200 + i);
      if (i % 50 === 1) return Array.from({ length: 300 }, (_, k) => `t${k}`).join(" OR ");
      let s = "";
      for (let k = Math.floor(random() * 14); k > 0; k--) s += pieces[Math.floor(random() * pieces.length)];
      return s;
    });
    const rpc = ALL_RPCS.find((r) => r.name === "SearchService.Search")!;
    const client = rawClient(node.grpc);
    let rejected = 0;
    try {
      const outcomes = await pool(8, queries.map((q) => () => politeCall(client, rpc, rpc.encode({ query: q, pageSize: 3 }), { token, deadlineMs: 15_000 })));
      for (const [i, o] of outcomes.entries()) {
        const q = queries[i]!;
        let local: IpfedError | undefined;
        try {
          parseQuery(q);
        } catch (err) {
          expect(err, JSON.stringify(q)).toBeInstanceOf(IpfedError);
          local = err as IpfedError;
        }
        if (local) {
          rejected++;
          expect([o.code, o.ipfedCode], JSON.stringify(q)).toEqual([status.INVALID_ARGUMENT, local.code]);
          expect(o.details.length, JSON.stringify(q)).toBeGreaterThan(10);
        } else {
          // The parser accepts it; the node may still refuse what it cannot run, but cleanly.
          expect([status.OK, status.INVALID_ARGUMENT], `${JSON.stringify(q)}: ${o.details}`).toContain(o.code);
          if (o.code === status.INVALID_ARGUMENT) rejected++;
        }
      }
      await stillServes();
    } finally {
      client.close();
    }
    expect(rejected).toBeGreaterThan(n / 10);
    record({ suite: "hostile-input", test: "query-language fuzzer through the parser and the Search RPC", inputs: n, recordsLost: 0, notes: `${rejected} rejected with INVALID_ARGUMENT and the parser's code, ${n - rejected} answered` });
  });

  it("an oversized message is RESOURCE_EXHAUSTED, oversized metadata is refused, and the node serves on", async () => {
    const client = rawClient(node.grpc);
    try {
      const search = ALL_RPCS.find((r) => r.name === "SearchService.Search")!;
      const big = await politeCall(client, search, search.encode({ query: "x".repeat(17 * 1024 * 1024) }), { token });
      expect(big.code).toBe(status.RESOURCE_EXHAUSTED);
      const publish = ALL_RPCS.find((r) => r.name === "ExchangeService.Publish")!;
      const bigRecord = publish.encode({ datasetId: "fuzz", item: { $case: "record", value: { ...cn[2]!, abstracts: [{ lang: "en", text: "y".repeat(17 * 1024 * 1024) }] } } });
      const bigPublish = await politeCall(client, publish, bigRecord, { token });
      expect(bigPublish.code).toBe(status.RESOURCE_EXHAUSTED);
      // Metadata: 64 KiB fits the HTTP/2 header list the server allows; 1 MiB, or 20,000
      // headers, does not, and the call is refused before any handler runs.
      const header = async (bytes: number, count = 1): Promise<RawOutcome> => {
        const md = new Metadata();
        for (let i = 0; i < count; i++) md.set(`x-pad-${i}`, "z".repeat(bytes));
        return politeCall(client, search, search.encode({ query: "电池" }), { token, metadata: md });
      };
      const fits = await header(60 * 1024);
      const fat = await header(1024 * 1024);
      const numerous = await header(8, 20_000);
      expect(fits.code).toBe(status.OK);
      // The HTTP/2 layer resets a stream whose header block is too large (grpc-js reports
      // the reset as INTERNAL), and refuses too many headers as RESOURCE_EXHAUSTED.
      expect([fat.code, fat.details]).toEqual([status.INTERNAL, "Received RST_STREAM with code 9"]);
      expect(numerous.code).toBe(status.RESOURCE_EXHAUSTED);
      await stillServes();
      expect(await datasetCount("fuzz")).toBeLessThan(ALL_RPCS.length * 1000);
      record({
        suite: "hostile-input",
        test: "oversized messages (17 MiB search, 17 MiB publish) and metadata (1 MiB header, 20,000 headers)",
        inputs: 5,
        recordsLost: 0,
        notes: `17 MiB search ${status[big.code]}, 17 MiB publish ${status[bigPublish.code]}, 60 KiB header ${status[fits.code]}, 1 MiB header ${status[fat.code]} "${fat.details}", 20,000 headers ${status[numerous.code]} "${numerous.details}"`,
      });
    } finally {
      client.close();
    }
  });

  it(`malformed imports: broken XML, invalid UTF-8, truncated gzip, a ${size(malformedImports.lineBytes)} line — clear errors naming file and line, nothing half-written`, async () => {
    const r = malformedImports.results;
    const xml = r.get("xml")!;
    expect(xml.code, xml.stderr).toBe(3);
    expect(xml.stdout).toMatch(/imported 0, .* rejected 1/);
    expect(await datasetCount("bad-xml")).toBe(0);

    const utf8 = r.get("utf8")!;
    expect(utf8.code, utf8.stderr).toBe(3);
    expect(utf8.stdout).toContain("read 21, imported 20, updated 0, unchanged 0, rejected 1");
    expect(await datasetCount("bad-utf8")).toBe(20);

    const gzip = r.get("gzip")!;
    expect(gzip.code, gzip.stderr).toBe(3);
    const imported = Number(/imported (\d+)/.exec(gzip.stdout)![1]);
    expect(imported).toBeGreaterThan(100);
    expect(imported).toBeLessThan(2000);
    expect(await datasetCount("bad-gzip")).toBe(imported);

    const long = r.get("long")!;
    expect(long.code, long.stderr).toBe(3);
    expect(long.stdout).toContain("read 21, imported 20, updated 0, unchanged 0, rejected 1");
    expect(await datasetCount("bad-long")).toBe(20);

    // Each rejection names the file, the line where there is one, and what was wrong.
    const rejects = async (name: string) => {
      const path = /rejects: (.*)/.exec(r.get(name)!.stdout)?.[1];
      expect(path, `${name}: ${r.get(name)!.stdout}`).toBeDefined();
      return (await readFile(path!, "utf8")).trim().split("\n").map((l) => JSON.parse(l) as { file: string; line?: number; code: string; reason: string });
    };
    expect(await rejects("xml")).toEqual([expect.objectContaining({ file: "broken.xml", code: "IMPORT_PARSE_ERROR" })]);
    expect(await rejects("utf8")).toEqual([{ file: "bad-utf8.jsonl", line: 11, code: "IMPORT_PARSE_ERROR", reason: "line is not valid UTF-8; not read" }]);
    expect(await rejects("gzip")).toEqual([expect.objectContaining({ file: "cut.jsonl.gz", code: "IMPORT_IO_ERROR", reason: expect.stringContaining("the gzip stream is truncated") })]);
    expect(await rejects("long")).toEqual([{ file: "long-line.jsonl.gz", line: 11, code: "IMPORT_PARSE_ERROR", reason: "line is longer than 64 MiB; not read" }]);
    record({
      suite: "hostile-input",
      test: `malformed imports: broken XML, invalid UTF-8, truncated gzip, a ${size(malformedImports.lineBytes)} line`,
      inputs: r.size,
      recordsLost: 0,
      notes: [...r].map(([name, res]) => `${name}: exit ${res.code}, ${/read \d+, .*rejected \d+/.exec(res.stdout)?.[0] ?? res.stderr.trim()}`).join("; "),
    });
  });
});
