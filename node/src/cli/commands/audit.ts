import { stat } from "node:fs/promises";
import { join } from "node:path";
import { Command } from "commander";
import { IpfedError } from "@ipfed/sdk";
import type { AuditEntry } from "../../audit/audit-entry.js";
import { AUDIT_DIR, listSegments } from "../../audit/segment-files.js";
import { tailAuditLog } from "../../audit/tail-audit-log.js";
import { verifyAuditLog } from "../../audit/verify-audit-log.js";
import { action } from "../run.js";
import { fit } from "../format.js";

const DIR_HELP = "data directory of the node, or an audit folder copied from one";

/** `ipfed audit verify|tail`: check and read a node's audit log, also while the node runs. */
export function auditCommand(): Command {
  const cmd = new Command("audit").description("verify and read the hash-chained audit log of a node (works while the node runs)");
  cmd.addCommand(
    new Command("verify")
      .description("check every entry of the audit log: hashes, links and numbering; exit 1 at the first broken entry")
      .requiredOption("--dir <dir>", DIR_HELP)
      .option("--json", "print the result as JSON")
      .addHelpText("after", "\nExample:\n  $ ipfed audit verify --dir ./data/sc\n  ok: 18234 entries, last hash 9f2c…\n")
      .action(
        action(async (opts: { dir: string; json?: boolean }) => {
          const dir = await auditDirOf(opts.dir);
          const r = await verifyAuditLog(dir);
          if (opts.json) console.log(JSON.stringify(r, null, 2));
          if (!r.ok) {
            const b = r.firstBroken;
            throw new IpfedError("STORE_CORRUPT", `broken at entry #${b.seq} (${join(dir, b.file)}:${b.line}): ${b.message}; the ${r.entries} entries before it are intact`, {
              metadata: { file: join(dir, b.file), line: String(b.line), seq: String(b.seq), reason: b.reason },
            });
          }
          if (opts.json) return;
          console.log(`ok: ${r.entries} entries, last hash ${r.lastHash}`);
          if (r.partialTail) console.log("(the last line is still being written, or was torn by a crash and will be cut when the node starts; it was skipped)");
        }),
      ),
  );
  cmd.addCommand(
    new Command("tail")
      .description("print the last entries of the audit log, and with --follow those appended afterwards")
      .requiredOption("--dir <dir>", DIR_HELP)
      .option("-n, --lines <n>", "number of entries to start with", "10")
      .option("-f, --follow", "keep printing entries as they are appended, until Ctrl-C")
      .option("--json", "print each entry as one JSON line, as stored")
      .addHelpText("after", "\nExamples:\n  $ ipfed audit tail --dir ./data/sc -n 20\n  $ ipfed audit tail --dir ./data/sc --follow --json | jq 'select(.status != \"OK\")'\n")
      .action(
        action(async (opts: { dir: string; lines: string; follow?: boolean; json?: boolean }) => {
          const last = Number(opts.lines);
          if (!/^\d+$/.test(opts.lines) || !Number.isSafeInteger(last)) {
            throw new IpfedError("INVALID_ARGUMENT", `-n must be a whole number (found "${opts.lines}")`, { field: "-n" });
          }
          const dir = await auditDirOf(opts.dir);
          const ac = new AbortController();
          const stop = (): void => ac.abort();
          if (opts.follow) {
            // Ctrl-C ends the follow loop normally (exit 0) instead of killing the process mid-line.
            process.once("SIGINT", stop);
            process.once("SIGTERM", stop);
          }
          try {
            if (!opts.json) console.log(HEADER);
            for await (const e of tailAuditLog(dir, { last, follow: Boolean(opts.follow), signal: ac.signal })) {
              console.log(opts.json ? JSON.stringify(e) : auditLine(e));
            }
          } finally {
            process.off("SIGINT", stop);
            process.off("SIGTERM", stop);
          }
        }),
      ),
  );
  return cmd;
}

const HEADER = `${"SEQ".padStart(8)}  ${"TIME".padEnd(24)}  ${"RPC".padEnd(24)}  ${"SUBJECT".padEnd(24)}  ${"TIER".padEnd(12)}  ${"STATUS".padEnd(18)}  ${"RESULTS".padStart(7)}  DATASETS`;

/** One entry as a table line under {@link HEADER}. */
function auditLine(e: AuditEntry): string {
  // fit() keeps its last column blank, so a fitted column is one wider than its header and
  // is followed by a single space where the others get two.
  const cols = `${fit(printable(rpcShortName(e.rpc)), 25)} ${fit(printable(e.subject), 25)} ${fit(printable(e.tier) || "-", 13)} ${fit(printable(e.status), 19)}`;
  return `${String(e.seq).padStart(8)}  ${fit(printable(e.time), 25)} ${cols} ${String(e.resultCount).padStart(7)}  ${printable(e.datasets.join(",")) || "-"}`;
}

/**
 * Escapes control characters. A subject comes from a caller's token, so it is the caller's
 * text: printed raw, an escape sequence in it would drive the operator's terminal.
 */
function printable(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** `/ipfed.v1.SearchService/Get` → `Search/Get`: enough to tell the methods apart in a table. */
function rpcShortName(rpc: string): string {
  const m = /^\/(?:[\w.]+\.)?(\w+?)(?:Service)?\/(\w+)$/.exec(rpc);
  return m ? `${m[1]}/${m[2]}` : rpc;
}

/** The audit folder for `--dir`: `<dir>/audit` for a node, or `<dir>` itself when it holds segments. */
async function auditDirOf(dir: string): Promise<string> {
  const inner = join(dir, AUDIT_DIR);
  const isDir = await stat(inner).then((s) => s.isDirectory(), () => false);
  if (isDir) return inner;
  if ((await listSegments(dir)).length > 0) return dir;
  throw new IpfedError("NOT_FOUND", `no audit log in ${dir}: neither ${inner} nor audit-*.jsonl files (has the node run yet?)`, { field: "--dir" });
}
