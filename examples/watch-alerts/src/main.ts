// An SME's risk warning: a saved query that reports new matching records as a member
// publishes them. The demo starts a member node, starts the watcher, publishes records through
// the Publish RPC (some matching the saved query, some not) and shows that exactly the
// matching ones are reported; then it stops the watcher, publishes more, and restarts it from
// its cursor file: only the record published meanwhile is reported, nothing twice.
//
//   pnpm --filter @ipfed/example-watch-alerts start                  # the demo, on its own node
//   IPFED_TOKEN=<search read export> pnpm --filter @ipfed/example-watch-alerts start --endpoint 127.0.0.1:7400
//
// With --endpoint it watches that member until Ctrl-C, keeping its position in --cursor-file
// (default data/watch-alerts/cursors.json under the repository root; a relative path is taken
// from where pnpm was run).

import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { RecordKind } from "@ipfed/proto";
import { createClient, IpfedError } from "@ipfed/sdk";
import type { PublishItemInit } from "@ipfed/sdk";
import { LocalNetwork } from "@ipfed/node";
import { Watcher } from "./watcher.js";
import type { Alert } from "./watcher.js";

/** The repository root, where `pnpm --filter … start` runs from (paths given on the command line are relative to where the user was). */
const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

// `pnpm … start -- --endpoint x` (the npm habit) passes the `--` on; it is dropped here.
const argv = process.argv.slice(2);
const { values: args } = parseArgs({
  args: argv[0] === "--" ? argv.slice(1) : argv,
  options: {
    endpoint: { type: "string", default: process.env.IPFED_ENDPOINT },
    query: { type: "string", default: "ti:电池 AND ipc:H01M" },
    "cursor-file": { type: "string", default: "data/watch-alerts/cursors.json" },
  },
});

const DATASET = "cn-patents";

function printAlert(a: Alert): void {
  console.log(`ALERT ${a.recordId.padEnd(15)} ${a.title}  (${a.memberId}/${a.datasetId} #${a.sequence})`);
}

/** A newly published Chinese patent application, as a member's ingestion would send it. */
function application(number: number, title: string, ipc: string): PublishItemInit {
  return {
    record: {
      id: `CN-${number}-A`,
      kind: RecordKind.RECORD_KIND_PATENT,
      country: "CN",
      docNumber: String(number),
      kindCode: "A",
      publicationDate: "2026-11-24",
      titles: [{ lang: "zh", text: title }],
      ipc: [ipc],
      applicants: [{ name: "四川示例新能源有限公司", country: "CN" }],
    },
  };
}

/** Published while the watcher runs: two match `ti:电池 AND ipc:H01M`, two do not. */
const FIRST_BATCH = [
  application(300000001, "一种固态锂电池电解质及其制备方法", "H01M 10/0562"),
  application(300000002, "一种电池热管理系统", "B60L 58/26"), // 电池, but not H01M
  application(300000003, "一种钠离子电池正极材料", "H01M 4/525"),
  application(300000004, "一种锂离子正极浆料的制备方法", "H01M 4/139"), // H01M, but no 电池 in the title
];
/** Published while the watcher is stopped: one matches. */
const SECOND_BATCH = [
  application(300000005, "一种电池包壳体", "H01M 50/20"),
  application(300000006, "一种光伏组件清洗机器人", "H02S 40/10"),
];

/** Watches a member until Ctrl-C. */
async function watchForever(endpoint: string): Promise<void> {
  const token = process.env.IPFED_TOKEN;
  if (!token) throw new IpfedError("TOKEN_MISSING", "set IPFED_TOKEN to a token with the scopes search read export (ipfed token issue)");
  const watcher = new Watcher({ endpoint, token, query: args.query, cursorFile: resolve(process.env.INIT_CWD ?? REPO_ROOT, args["cursor-file"]), onAlert: printAlert, log: console.log });
  await watcher.start();
  console.log(`watching ${endpoint} for ${args.query} (Ctrl-C stops)`);
  try {
    // Until Ctrl-C, or until the watcher fails (the member went away, the token expired).
    await Promise.race([new Promise<void>((r) => process.once("SIGINT", () => r())), watcher.finished]);
  } finally {
    await watcher.stop();
  }
}

async function demo(): Promise<void> {
  const net = await LocalNetwork.create("ipfed-watch-alerts-");
  const stop = () => void net.close().finally(() => process.exit(130));
  process.once("SIGINT", stop);
  try {
    const dir = net.dir("sc-regional");
    await net.ipfed(["node", "init", "--dir", dir, "--id", "sc-regional", "--kind", "regional", "--region", "510000"]);
    // The member's data, and two tokens it issues: one for the SME's watcher, one for its own ingestion.
    const [, watcherToken, publisherToken] = await Promise.all([
      net.importCorpus("sc-regional", DATASET, { size: 100 }),
      net.ipfed(["token", "issue", "--dir", dir, "--sub", "sme-0815", "--tier", "public", "--scope", "search read export", "--ttl", "1h"]),
      net.ipfed(["token", "issue", "--dir", dir, "--sub", "ingest", "--tier", "registered", "--scope", "publish read", "--ttl", "1h"]),
    ]);
    const node = await net.start("sc-regional");
    const publisher = createClient({ endpoint: node.grpc, token: publisherToken.trim() });
    const cursorFile = join(net.root, "watch-cursors.json");
    const watcher = () =>
      new Watcher({ endpoint: node.grpc, token: watcherToken.trim(), query: args.query, cursorFile, onAlert: printAlert, log: (l) => console.log(`watcher: ${l}`) });
    /** Publishes a batch and waits until the watcher has handled the dataset version it made. */
    const publish = async (items: PublishItemInit[]) => {
      const res = await publisher.publish(DATASET, items);
      console.log(`published ${items.map((i) => i.record?.id).join(", ")} (created ${res.created}, rejected ${res.rejected})`);
      return (await publisher.catalogue.get(DATASET)).version;
    };

    try {
      console.log(`saved query: ${args.query}`);
      let w = watcher();
      await w.start();
      await w.handled(DATASET, (await publisher.catalogue.get(DATASET)).version);
      await w.handled(DATASET, await publish(FIRST_BATCH));
      await w.stop();
      console.log("watcher stopped");

      const version = await publish(SECOND_BATCH);
      w = watcher();
      await w.start();
      console.log("watcher restarted from its cursor file");
      await w.handled(DATASET, version);
      await w.stop();
    } finally {
      publisher.close();
    }
  } finally {
    process.off("SIGINT", stop);
    await net.close();
  }
}

(args.endpoint ? watchForever(args.endpoint) : demo()).catch((err: unknown) => {
  // One line, with the stable code when there is one, as the ipfed command prints errors.
  console.error(err instanceof IpfedError ? `error ${err.code}: ${err.message}` : `error: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
