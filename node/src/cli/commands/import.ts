import { resolve, join } from "node:path";
import { Command, Option } from "commander";
import { loadConfig } from "../../config/node-config.js";
import { IMPORT_FORMATS } from "../../ingest/import-item.js";
import type { ImportFormat } from "../../ingest/import-item.js";
import { importFiles } from "../../ingest/importer.js";
import { loadCsvMapping } from "../../ingest/csv-mapping.js";
import { createProgress } from "../../ingest/progress.js";
import { addImportCounts } from "../../metrics/import-counts.js";
import { openNodeStore } from "../../store/node-store.js";
import { EXIT } from "../exit-codes.js";
import { action } from "../run.js";

interface ImportOptions {
  dir: string;
  dataset: string;
  format?: ImportFormat;
  mapping?: string;
  batchSize: string;
  json?: boolean;
  quiet?: boolean;
}

/** `ipfed import`: loads files into a dataset of a node's store (the node must be stopped). */
export function importCommand(): Command {
  return new Command("import")
    .description("import records from files into a dataset (jsonl, csv with a column mapping, USPTO grant XML; .gz accepted)")
    .argument("<files...>", "input files")
    .requiredOption("--dir <dir>", "data directory of the node")
    .requiredOption("--dataset <id>", "target dataset (created when missing)")
    .addOption(new Option("--format <format>", "input format (default: inferred from each file)").choices(IMPORT_FORMATS))
    .option("--mapping <file>", "CSV column mapping (JSON); see docs/import.md")
    .option("--batch-size <n>", "records per atomic write", "4000")
    .option("--json", "print the summary as JSON")
    .option("--quiet", "no progress display")
    .addHelpText(
      "after",
      "\nExamples:\n  $ ipfed import --dir ./data/sc --dataset uspto ../shared/data/uspto-grants/*.xml\n  $ ipfed import --dir ./data/sc --dataset local --mapping examples/csv/mapping.json records.csv\n",
    )
    .action(
      action(async (files: string[], opts: ImportOptions) => {
        const dir = resolve(opts.dir);
        const config = await loadConfig(dir);
        const mapping = opts.mapping ? await loadCsvMapping(opts.mapping) : undefined;
        const node = await openNodeStore(dir, config.id);
        const progress = createProgress({ unit: "records", quiet: opts.quiet === true || opts.json === true });
        try {
          const summary = await importFiles({
            store: node.store,
            index: node.index,
            datasetId: opts.dataset,
            memberId: config.id,
            files: files.map((f) => resolve(f)),
            ...(opts.format ? { format: opts.format } : {}),
            ...(mapping ? { csvMapping: mapping } : {}),
            batchSize: Math.max(1, Number(opts.batchSize) || 4000),
            reportDir: join(dir, "imports"),
            onProgress: (n, file) => progress.update(n, file),
          });
          progress.finish();
          // The running totals the node shows at /metrics (ipfed_import_records_total), kept in
          // the store while this process holds it, so that no node or other import races it.
          // The records are in either way: a failure here is only worth a warning.
          await addImportCounts(node.db, summary.dataset, summary).catch((err: unknown) =>
            console.error(`warning: the import counts of dataset "${summary.dataset}" were not updated: ${(err as Error).message}`),
          );
          if (opts.json) console.log(JSON.stringify(summary, null, 2));
          else {
            console.log(
              `Imported into ${summary.dataset} from ${summary.files.length} file(s) in ${(summary.ms / 1000).toFixed(1)} s (${summary.recordsPerSecond} records/s):`,
            );
            console.log(`  read ${summary.read}, imported ${summary.imported}, updated ${summary.updated}, unchanged ${summary.unchanged}, rejected ${summary.rejected}`);
            const skipped = Object.entries(summary.skipped);
            if (skipped.length) console.log(`  skipped elements not mapped: ${skipped.map(([k, v]) => `${k} (${v})`).join(", ")}`);
            if (summary.rejectsFile) console.log(`  rejects: ${summary.rejectsFile}`);
            if (summary.summaryFile) console.log(`  summary: ${summary.summaryFile}`);
          }
          if (summary.rejected > 0) process.exitCode = EXIT.PARTIAL;
        } finally {
          progress.finish();
          await node.close();
        }
      }),
    );
}
