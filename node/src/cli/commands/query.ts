import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { Command } from "commander";
import { ExportRequest, GetRecordRequest, HarvestRequest, HarvestResponse, Record, SearchEvent, SearchRequest } from "@ipfed/proto";
import { MemberState } from "@ipfed/proto";
import type { MemberStatus, SearchHit } from "@ipfed/proto";
import { IpfedError } from "@ipfed/sdk";
import { parseAddress } from "../../config/node-config.js";
import { createProgress } from "../../ingest/progress.js";
import { call, connect, stream, TLS_HELP } from "../remote.js";
import { action } from "../run.js";
import { fit, kindName, pick } from "../format.js";
import { CSV_COLUMNS, recordToCsvRow } from "../../ingest/csv-export.js";

const ENDPOINT_HELP = "gRPC address of a node (host:port)";

/** `ipfed search`: runs a query on a node and prints a table, or JSON. */
export function searchCommand(): Command {
  return new Command("search")
    .description("search a node with the ipfed query language")
    .argument("<query>", 'query, e.g. \'ti:石墨烯 AND pd:[2015 TO 2020]\' or \'"lithium battery" cc:US\'')
    .option("--endpoint <host:port>", ENDPOINT_HELP, "127.0.0.1:7400")
    .option("--token <token>", "bearer token (default: IPFED_TOKEN; none: anonymous)")
    .option("--tls [file]", TLS_HELP)
    .option("--page-size <n>", "hits per page", "20")
    .option("--cursor <cursor>", "cursor of the next page (printed after a page)")
    .option("--facets <list>", "facets to count: kind,country,year,ipc_section,ipc_class,nice,applicant,dataset")
    .option("--dataset <list>", "only these datasets")
    .option("--federate", "ask the whole network")
    .option("--json", "print every event as JSON lines (canonical mapping)")
    .addHelpText("after", '\nExamples:\n  $ ipfed search --endpoint 127.0.0.1:7400 "ti:graphene AND cc:US"\n  $ ipfed search "石墨烯" --facets kind,year --json\n')
    .action(
      action(async (query: string, opts: { endpoint: string; token?: string; tls?: string | boolean; pageSize: string; cursor?: string; facets?: string; dataset?: string; federate?: boolean; json?: boolean }) => {
        const remote = connect(parseAddress(opts.endpoint, "--endpoint"), 30_000, opts.token ?? process.env.IPFED_TOKEN, opts.tls ?? process.env.IPFED_TLS);
        try {
          const req = SearchRequest.fromPartial({
            query,
            pageSize: Number(opts.pageSize) || 20,
            cursor: opts.cursor ?? "",
            facets: opts.facets ? opts.facets.split(",") : [],
            datasets: opts.dataset ? opts.dataset.split(",") : [],
            federate: opts.federate === true,
          });
          const hits: SearchHit[] = [];
          const statuses: MemberStatus[] = [];
          for await (const ev of stream<SearchEvent>(remote.search.search(req, remote.metadata(), remote.options()))) {
            if (opts.json) {
              console.log(JSON.stringify(SearchEvent.toJSON(ev)));
              continue;
            }
            const e = ev.event;
            if (e?.$case === "hit") hits.push(e.value);
            else if (e?.$case === "memberStatus") statuses.push(e.value);
            else if (e?.$case === "facets") {
              if (hits.length) printHits(hits.splice(0));
              for (const f of e.value.facets) console.log(`${f.name}: ${f.buckets.map((b) => `${b.value} (${b.count})`).join(", ")}`);
            } else if (e?.$case === "done") {
              if (hits.length) printHits(hits.splice(0));
              if (statuses.length) printStatuses(statuses);
              const d = e.value;
              const members = d.membersTargeted > 1 ? `, ${d.membersAnswered}/${d.membersTargeted} members answered` : "";
              console.log(`${d.total} match${d.total === 1 ? "" : "es"} for ${d.query} (${d.tookMs} ms${members})`);
              if (d.nextCursor) console.log(`next page: --cursor ${d.nextCursor}`);
            }
          }
        } finally {
          remote.close();
        }
      }),
    );
}

function printStatuses(statuses: MemberStatus[]): void {
  console.log(`${"MEMBER".padEnd(24)} ${"STATE".padEnd(12)} ${"MS".padStart(6)} ${"HITS".padStart(6)} ${"TOTAL".padStart(8)}  NOTE`);
  for (const s of statuses) {
    const state = (MemberState[s.state] ?? "?").replace("MEMBER_STATE_", "");
    console.log(`${s.memberId.padEnd(24)} ${state.padEnd(12)} ${String(s.tookMs).padStart(6)} ${String(s.hitCount).padStart(6)} ${String(s.total).padStart(8)}  ${s.message}`);
  }
}

function printHits(hits: SearchHit[]): void {
  console.log(`${"#".padStart(4)}  ${"ID".padEnd(20)} ${"KIND".padEnd(8)} ${"DATE".padEnd(10)} ${"SCORE".padStart(6)}  TITLE`);
  for (const h of hits) {
    const r = h.record!;
    const holders = h.holders.length > 1 ? `  [${h.holders.join(", ")}]` : "";
    console.log(`${String(h.rank).padStart(4)}  ${r.id.padEnd(20)} ${kindName(r.kind).padEnd(8)} ${r.publicationDate.padEnd(10)} ${h.score.toFixed(2).padStart(6)}  ${fit(pick(r.titles, "zh") || pick(r.titles), 60)}${holders}`);
  }
}

/** `ipfed get`: prints one record as JSON. */
export function getCommand(): Command {
  return new Command("get")
    .description("print one record (canonical JSON)")
    .argument("<id>", "canonical id, e.g. US-8088512-B2")
    .option("--endpoint <host:port>", ENDPOINT_HELP, "127.0.0.1:7400")
    .option("--token <token>", "bearer token (default: IPFED_TOKEN; none: anonymous)")
    .option("--tls [file]", TLS_HELP)
    .option("--dataset <id>", "read from this dataset")
    .option("--federate", "ask the members that hold it when this node does not")
    .addHelpText("after", "\nExample:\n  $ ipfed get US-8088512-B2 --endpoint 127.0.0.1:7400\n")
    .action(
      action(async (id: string, opts: { endpoint: string; token?: string; tls?: string | boolean; dataset?: string; federate?: boolean }) => {
        const remote = connect(parseAddress(opts.endpoint, "--endpoint"), 30_000, opts.token ?? process.env.IPFED_TOKEN, opts.tls ?? process.env.IPFED_TLS);
        try {
          const res = await call<{ record?: Record; holders: string[] }>((cb) =>
            remote.search.getRecord(GetRecordRequest.fromPartial({ id, datasetId: opts.dataset ?? "", federate: opts.federate === true }), remote.metadata(), remote.options(), cb),
          );
          console.log(JSON.stringify(Record.toJSON(res.record!), null, 2));
        } finally {
          remote.close();
        }
      }),
    );
}

/** `ipfed export`: streams a dataset into a JSONL or CSV file. */
export function exportCommand(): Command {
  return new Command("export")
    .description("export a dataset from a node to FILE.jsonl or FILE.csv")
    .requiredOption("--dataset <id>", "dataset id")
    .requiredOption("--out <file>", "output file; .jsonl (canonical JSON) or .csv")
    .option("--endpoint <host:port>", ENDPOINT_HELP, "127.0.0.1:7400")
    .option("--token <token>", "bearer token (default: IPFED_TOKEN; none: anonymous)")
    .option("--tls [file]", TLS_HELP)
    .option("--cursor <cursor>", "resume after this cursor (printed when an export is interrupted)")
    .option("--batch-size <n>", "records per batch", "500")
    .option("--quiet", "no progress display")
    .addHelpText("after", "\nExamples:\n  $ ipfed export --endpoint 127.0.0.1:7400 --dataset uspto --out uspto.jsonl\n  $ ipfed export --dataset uspto --out uspto.csv\n")
    .action(
      action(async (opts: { dataset: string; out: string; endpoint: string; token?: string; tls?: string | boolean; cursor?: string; batchSize: string; quiet?: boolean }) => {
        const csv = opts.out.toLowerCase().endsWith(".csv");
        if (!csv && !/\.(jsonl|ndjson)$/i.test(opts.out)) throw new IpfedError("INVALID_ARGUMENT", "--out must end in .jsonl or .csv", { field: "--out" });
        const remote = connect(parseAddress(opts.endpoint, "--endpoint"), 24 * 3600 * 1000, opts.token ?? process.env.IPFED_TOKEN, opts.tls ?? process.env.IPFED_TLS);
        const out = createWriteStream(opts.out, { flags: opts.cursor ? "a" : "w" });
        const progress = createProgress({ unit: "records", quiet: opts.quiet === true });
        let n = 0;
        let cursor = opts.cursor ?? "";
        const write = async (s: string): Promise<void> => {
          if (!out.write(s)) await once(out, "drain");
        };
        try {
          if (csv && !opts.cursor) await write(CSV_COLUMNS.join(",") + "\n");
          const req = ExportRequest.fromPartial({ datasetId: opts.dataset, cursor, batchSize: Number(opts.batchSize) || 500 });
          for await (const batch of stream<{ records: Record[]; cursor: string; total: number; last: boolean }>(remote.exchange.export(req, remote.metadata(), remote.options()))) {
            for (const r of batch.records) await write(csv ? recordToCsvRow(r) + "\n" : JSON.stringify(Record.toJSON(r)) + "\n");
            n += batch.records.length;
            cursor = batch.cursor;
            progress.update(n, `of ${batch.total}`);
          }
          progress.finish();
          console.log(`Exported ${n} records of ${opts.dataset} to ${opts.out}`);
        } catch (err) {
          progress.finish();
          if (cursor) process.stderr.write(`interrupted after ${n} records; resume with --cursor ${cursor}\n`);
          throw err;
        } finally {
          out.end();
          await once(out, "close");
          remote.close();
        }
      }),
    );
}

/** `ipfed harvest`: prints the changes to a dataset since a cursor. */
export function harvestCommand(): Command {
  return new Command("harvest")
    .description("print the changes (upserts and deletions) to a dataset since a cursor, as JSON lines")
    .requiredOption("--dataset <id>", "dataset id")
    .option("--endpoint <host:port>", ENDPOINT_HELP, "127.0.0.1:7400")
    .option("--token <token>", "bearer token (default: IPFED_TOKEN; none: anonymous)")
    .option("--tls [file]", TLS_HELP)
    .option("--cursor <cursor>", "cursor from a previous harvest (default: from the start)")
    .option("--limit <n>", "changes per call", "500")
    .option("--all", "keep calling until there are no more changes")
    .addHelpText("after", "\nExample:\n  $ ipfed harvest --dataset uspto --cursor <cursor> --all\n")
    .action(
      action(async (opts: { dataset: string; endpoint: string; token?: string; tls?: string | boolean; cursor?: string; limit: string; all?: boolean }) => {
        const remote = connect(parseAddress(opts.endpoint, "--endpoint"), 30_000, opts.token ?? process.env.IPFED_TOKEN, opts.tls ?? process.env.IPFED_TLS);
        let cursor = opts.cursor ?? "";
        try {
          for (;;) {
            const res = await call<HarvestResponse>((cb) =>
              remote.exchange.harvest(HarvestRequest.fromPartial({ datasetId: opts.dataset, cursor, limit: Number(opts.limit) || 500 }), remote.metadata(), remote.options(), cb),
            );
            for (const c of (HarvestResponse.toJSON(res as HarvestResponse) as { changes?: unknown[] }).changes ?? []) console.log(JSON.stringify(c));
            cursor = res.nextCursor;
            if (!opts.all || !res.hasMore) break;
          }
          process.stderr.write(`next cursor: ${cursor}\n`);
        } finally {
          remote.close();
        }
      }),
    );
}
