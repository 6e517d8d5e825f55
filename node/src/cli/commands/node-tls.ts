import { resolve } from "node:path";
import { Command } from "commander";
import { IpfedError } from "@ipfed/sdk";
import { createNodeTls } from "../../config/node-tls.js";
import { action } from "../run.js";

interface TlsOptions {
  dir: string;
  host?: string[];
  days?: string;
  http?: boolean;
  json?: boolean;
}

/** Prints what `createNodeTls` wrote. */
export function printNodeTls(out: { fingerprint: string; cert: string; key: string }, http: boolean): void {
  console.log(`TLS certificate ${out.cert} (ECDSA P-256, self-signed), key ${out.key} (mode 600)`);
  console.log(`  SHA-256 fingerprint ${out.fingerprint}`);
  console.log(`  gRPC serves TLS${http ? " and HTTP serves HTTPS" : "; HTTP stays plaintext (tls.http false)"} from the next start; other members pin this certificate through the network configuration.`);
}

/** `ipfed node tls`: a self-signed certificate for the node, and TLS on in its ipfed.json. */
export function nodeTlsCommand(): Command {
  return new Command("tls")
    .description("create a self-signed TLS certificate for the node (tls/cert.pem, tls/key.pem) and serve gRPC over TLS from the next start")
    .requiredOption("--dir <dir>", "data directory of the node")
    .option("--host <name...>", "host names or IP addresses the certificate names besides localhost and the listen addresses")
    .option("--days <n>", "days of validity", "825")
    .option("--no-http", "keep the HTTP side (portal, gateway, metrics) plaintext, e.g. behind a reverse proxy")
    .option("--json", "print the result as JSON")
    .addHelpText("after", "\nExample:\n  $ ipfed node tls --dir ./data/sc --host regional.sc.example.cn\n")
    .action(
      action(async (opts: TlsOptions) => {
        const days = Number(opts.days ?? 825);
        if (!Number.isInteger(days) || days < 1) throw new IpfedError("INVALID_ARGUMENT", `--days must be a positive whole number, got '${opts.days}'`, { field: "--days" });
        const out = await createNodeTls(resolve(opts.dir), { ...(opts.host ? { hosts: opts.host } : {}), days, http: opts.http !== false });
        if (opts.json) console.log(JSON.stringify({ fingerprint: out.fingerprint, cert: out.cert, key: out.key, tls: out.config.tls }, null, 2));
        else printNodeTls(out, opts.http !== false);
      }),
    );
}
