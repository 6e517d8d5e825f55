import { join, resolve } from "node:path";
import { Command } from "commander";
import { Level } from "level";
import { IpfedError } from "@ipfed/sdk";
import { restoreBackup, verifyBackup, writeBackup } from "../../backup/backup.js";
import type { BackupSummary } from "../../backup/backup.js";
import { loadConfig } from "../../config/node-config.js";
import { submitAdminRequest } from "../../federation/admin/admin-inbox.js";
import { STORE_DIR } from "../../store/node-store.js";
import { action } from "../run.js";

/** `ipfed node backup`: a consistent snapshot of a node, whether it runs or not. */
export function nodeBackupCommand(): Command {
  return new Command("backup")
    .description("write a consistent snapshot of the node (store, configuration, keys, audit log) to one file; works while the node serves")
    .requiredOption("--dir <dir>", "data directory of the node")
    .requiredOption("--out <file>", "the backup file to write (replaced when complete, never half-written)")
    .option("--timeout <seconds>", "how long to wait for a running node to finish the backup", "1800")
    .option("--json", "print the result as JSON")
    .addHelpText(
      "after",
      "\nA running node takes the snapshot itself (through its admin inbox); a stopped node's store is read directly.\n" +
        "The file holds the node's private keys: keep it as safe as the node's directory.\n\nExample:\n  $ ipfed node backup --dir ./data/sc --out ./backups/sc-$(date +%F).ipfedbak\n",
    )
    .action(
      action(async (opts: { dir: string; out: string; timeout: string; json?: boolean }) => {
        const dir = resolve(opts.dir);
        const out = resolve(opts.out);
        const config = await loadConfig(dir);
        const db = new Level<string, Uint8Array>(join(dir, STORE_DIR), { valueEncoding: "view" });
        let summary: BackupSummary;
        try {
          await db.open({ createIfMissing: false });
        } catch (err) {
          const e = err as { code?: string; cause?: { code?: string; message?: string } };
          if ((e.cause?.code ?? e.code) !== "LEVEL_LOCKED") {
            throw new IpfedError("STORE_CORRUPT", `cannot open the store in ${join(dir, STORE_DIR)}: ${e.cause?.message ?? (err as Error).message}`, { cause: err });
          }
          const timeoutMs = Number(opts.timeout) * 1000;
          if (!(timeoutMs > 0)) throw new IpfedError("INVALID_ARGUMENT", `--timeout must be a positive number of seconds, not ${JSON.stringify(opts.timeout)}`, { field: "--timeout" });
          const result = await submitAdminRequest(dir, { action: "backup", out }, { timeoutMs });
          if (!("backup" in result)) throw new IpfedError("INTERNAL", "the node answered the backup request with something else");
          summary = result.backup;
        }
        summary ??= await writeBackup({ dir, db, memberId: config.id, kind: config.kind, out, taken: "stopped" }).finally(() => db.close());
        if (opts.json) console.log(JSON.stringify(summary, null, 2));
        else {
          console.log(
            `Backed up ${summary.memberId} (${summary.taken === "serving" ? "snapshot taken by the running node" : "node stopped"}) to ${summary.file}\n` +
              `  ${summary.entries.toLocaleString("en-US")} store entries, ${summary.files} other files, ${formatBytes(summary.bytes)} in ${(summary.ms / 1000).toFixed(1)} s`,
          );
        }
      }),
    );
}

/** `ipfed node restore`: a node's directory rebuilt from a backup. */
export function nodeRestoreCommand(): Command {
  return new Command("restore")
    .description("rebuild a node's data directory from a backup file (verified completely before anything is written)")
    .requiredOption("--dir <dir>", "data directory to restore into (new or empty; see --force)")
    .requiredOption("--from <file>", "the backup file")
    .option("--force", "replace an existing (stopped) node; the current directory is kept beside as <dir>.before-restore-<time>")
    .option("--check", "only verify the backup file; write nothing")
    .option("--json", "print the result as JSON")
    .addHelpText("after", "\nExample:\n  $ ipfed node restore --dir ./data/sc --from ./backups/sc-2026-11-30.ipfedbak\n  $ ipfed node restore --check --dir ./data/sc --from ./backups/sc-2026-11-30.ipfedbak\n")
    .action(
      action(async (opts: { dir: string; from: string; force?: boolean; check?: boolean; json?: boolean }) => {
        if (opts.check) {
          const v = await verifyBackup(resolve(opts.from));
          const out = { file: resolve(opts.from), ...v.header, entries: v.entries, files: v.files, ok: true };
          if (opts.json) console.log(JSON.stringify(out, null, 2));
          else console.log(`${out.file} is a whole backup of ${out.memberId} (${out.kind}) taken ${out.created}: ${out.entries.toLocaleString("en-US")} store entries, ${out.files} other files`);
          return;
        }
        const s = await restoreBackup({ file: opts.from, dir: opts.dir, ...(opts.force ? { force: true } : {}) });
        if (opts.json) console.log(JSON.stringify(s, null, 2));
        else {
          console.log(
            `Restored ${s.memberId} into ${resolve(opts.dir)} from ${s.file} (taken ${s.created})\n` +
              `  ${s.entries.toLocaleString("en-US")} store entries, ${s.files} other files in ${(s.ms / 1000).toFixed(1)} s` +
              (s.previous ? `\n  the node that was there is kept in ${s.previous}` : "") +
              `\nStart it with: ipfed node start --dir ${opts.dir}`,
          );
        }
      }),
    );
}

function formatBytes(n: number): string {
  return n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MB` : `${(n / 1024).toFixed(1)} kB`;
}
