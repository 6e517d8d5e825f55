import { resolve } from "node:path";
import { Command, Option } from "commander";
import { Dataset, Tier } from "@ipfed/proto";
import { IpfedError } from "@ipfed/sdk";
import { loadConfig } from "../../config/node-config.js";
import { parseKind } from "../../ingest/csv-mapping.js";
import { openNodeStore } from "../../store/node-store.js";
import { action } from "../run.js";
import { tierName, withTexts } from "../format.js";

const DATASET_ID_RE = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const TIERS = ["public", "registered", "restricted", "confidential"] as const;

/** Parses a tier name (`public`, `registered`, ...) into the protocol enum. */
export function parseTier(value: string, flag: string): Tier {
  const i = (TIERS as readonly string[]).indexOf(value.toLowerCase());
  if (i < 0) throw new IpfedError("INVALID_ARGUMENT", `${flag} must be one of ${TIERS.join(", ")} (found "${value}")`, { field: flag });
  return (i + 1) as Tier;
}


const list = (v: string | undefined): string[] | undefined => (v === undefined ? undefined : v.split(",").map((s) => s.trim()).filter(Boolean));

interface SetOptions {
  dir: string;
  dataset: string;
  titleZh?: string;
  titleEn?: string;
  descriptionZh?: string;
  descriptionEn?: string;
  licence?: string;
  kinds?: string;
  tier?: string;
  updateFrequency?: string;
  keywords?: string;
  regions?: string;
  sensitive?: boolean;
  mirrorAllowed?: boolean;
  json?: boolean;
}

/** `ipfed catalogue list|show|set`: the datasets of a node. */
export function catalogueCommand(): Command {
  const cmd = new Command("catalogue").description("list, show and edit the datasets of a node (the node must be stopped to edit)");
  cmd.addCommand(
    new Command("list")
      .description("list the datasets with their figures")
      .requiredOption("--dir <dir>", "data directory of the node")
      .option("--json", "print JSON (canonical mapping)")
      .addHelpText("after", "\nExample:\n  $ ipfed catalogue list --dir ./data/sc\n")
      .action(
        action(async (opts: { dir: string; json?: boolean }) => {
          const { node } = await open(opts.dir);
          try {
            const all = await node.store.listDatasets();
            if (opts.json) console.log(JSON.stringify(all.map((d) => Dataset.toJSON(d)), null, 2));
            else {
              console.log(`${"DATASET".padEnd(24)} ${"RECORDS".padStart(9)}  ${"TIER".padEnd(12)} COVERAGE              TITLE`);
              for (const d of all) {
                const cov = d.coverage ? `${d.coverage.countries.join(",")} ${d.coverage.dateFrom.slice(0, 4)}-${d.coverage.dateTo.slice(0, 4)}` : "";
                const title = d.titles.find((t) => t.lang === "zh")?.text ?? d.titles[0]?.text ?? "";
                console.log(`${d.id.padEnd(24)} ${String(d.recordCount).padStart(9)}  ${tierName(d.tier).padEnd(12)} ${cov.padEnd(21)} ${title}`);
              }
            }
          } finally {
            await node.close();
          }
        }),
      ),
  );
  cmd.addCommand(
    new Command("show")
      .description("show one dataset in full (JSON)")
      .requiredOption("--dir <dir>", "data directory of the node")
      .requiredOption("--dataset <id>", "dataset id")
      .addHelpText("after", "\nExample:\n  $ ipfed catalogue show --dir ./data/sc --dataset uspto\n")
      .action(
        action(async (opts: { dir: string; dataset: string }) => {
          const { node } = await open(opts.dir);
          try {
            const d = await node.store.getDataset(opts.dataset);
            if (!d) throw new IpfedError("DATASET_NOT_FOUND", `no dataset "${opts.dataset}"`, { field: "--dataset" });
            console.log(JSON.stringify(Dataset.toJSON(d), null, 2));
          } finally {
            await node.close();
          }
        }),
      ),
  );
  cmd.addCommand(
    new Command("set")
      .description("create a dataset or change its metadata (figures are kept automatically)")
      .requiredOption("--dir <dir>", "data directory of the node")
      .requiredOption("--dataset <id>", "dataset id: lower-case letters, digits, '-' and '_'")
      .option("--title-zh <text>", "Chinese title")
      .option("--title-en <text>", "English title")
      .option("--description-zh <text>", "Chinese description")
      .option("--description-en <text>", "English description")
      .option("--licence <licence>", "licence (SPDX id or URL)")
      .option("--kinds <list>", "record kinds held, e.g. patent,trademark")
      .addOption(new Option("--tier <tier>", "tier needed to see the dataset at all").choices(TIERS))
      .option("--update-frequency <f>", "daily, weekly, monthly, irregular, ...")
      .option("--keywords <list>", "comma-separated keywords")
      .option("--regions <list>", "GB/T 2260 codes the dataset is about")
      .option("--sensitive", "suppress small facet counts")
      .option("--no-sensitive", "do not suppress small facet counts")
      .option("--mirror-allowed", "a hub may mirror it through Harvest")
      .option("--no-mirror-allowed", "a hub may not mirror it")
      .option("--json", "print the dataset as JSON")
      .addHelpText(
        "after",
        '\nExample:\n  $ ipfed catalogue set --dir ./data/sc --dataset uspto --title-zh 美国专利授权 --title-en "USPTO grants" --licence CC0-1.0 --kinds patent,design --update-frequency weekly\n',
      )
      .action(
        action(async (opts: SetOptions) => {
          if (!DATASET_ID_RE.test(opts.dataset)) throw new IpfedError("DATASET_INVALID", `--dataset "${opts.dataset}" must be lower-case letters, digits, '-' and '_'`, { field: "--dataset" });
          const { node, config } = await open(opts.dir);
          try {
            const old = (await node.store.getDataset(opts.dataset)) ?? Dataset.fromPartial({ id: opts.dataset, publisher: config.id, tier: Tier.TIER_PUBLIC });
            const kinds = list(opts.kinds)?.map((k) => {
              const v = parseKind(k);
              if (v === undefined) throw new IpfedError("INVALID_ARGUMENT", `--kinds: "${k}" is not a record kind`, { field: "--kinds" });
              return v;
            });
            const next: Dataset = {
              ...old,
              titles: withTexts(opts.titleZh, opts.titleEn, old.titles),
              descriptions: withTexts(opts.descriptionZh, opts.descriptionEn, old.descriptions),
              ...(opts.licence !== undefined ? { licence: opts.licence } : {}),
              ...(kinds ? { kinds } : {}),
              ...(opts.tier ? { tier: parseTier(opts.tier, "--tier") } : {}),
              ...(opts.updateFrequency !== undefined ? { updateFrequency: opts.updateFrequency } : {}),
              ...(opts.keywords !== undefined ? { keywords: list(opts.keywords)! } : {}),
              ...(opts.sensitive !== undefined ? { sensitive: opts.sensitive } : {}),
              ...(opts.mirrorAllowed !== undefined ? { mirrorAllowed: opts.mirrorAllowed } : {}),
              coverage: { countries: [], dateFrom: "", dateTo: "", regions: list(opts.regions) ?? old.coverage?.regions ?? [] },
            };
            await node.store.putDataset(next);
            const saved = (await node.store.getDataset(opts.dataset))!;
            if (opts.json) console.log(JSON.stringify(Dataset.toJSON(saved), null, 2));
            else console.log(`Dataset ${saved.id}: ${saved.recordCount} records, version ${saved.version}`);
          } finally {
            await node.close();
          }
        }),
      ),
  );
  return cmd;
}

async function open(dir: string) {
  const d = resolve(dir);
  const config = await loadConfig(d);
  return { node: await openNodeStore(d, config.id), config };
}
