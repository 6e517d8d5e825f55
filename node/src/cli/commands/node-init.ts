import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { Command, Option } from "commander";
import { IpfedError } from "@ipfed/sdk";
import { CONFIG_FILE, MEMBER_KINDS, parseAddress, saveConfig } from "../../config/node-config.js";
import type { MemberKindName, NodeConfig } from "../../config/node-config.js";
import { KEYS_FILE, createKeyRing } from "../../config/key-store.js";
import { action } from "../run.js";
import { createNodeTls } from "../../config/node-tls.js";
import { printNodeTls } from "./node-tls.js";

interface InitOptions {
  dir: string;
  id: string;
  kind: MemberKindName;
  region: string;
  listen: string;
  http: string;
  network: string;
  nameEn?: string;
  nameZh?: string;
  hub?: string;
  hubFingerprint?: string;
  parent?: string;
  force?: boolean;
  json?: boolean;
  tls?: boolean;
  hubTls?: string | boolean;
  allowPlaintext?: boolean;
}

/** `ipfed node init`: creates a node's config and Ed25519 key in a data directory. */
export function nodeInitCommand(): Command {
  return new Command("init")
    .description("create a node: write ipfed.json and an Ed25519 key (keys.json, mode 600) into --dir")
    .requiredOption("--dir <dir>", "data directory of the node (created if missing)")
    .requiredOption("--id <id>", "member id: lower-case letters, digits and '-'")
    .addOption(new Option("--kind <kind>", "role in the network").choices(MEMBER_KINDS).makeOptionMandatory())
    .requiredOption("--region <code>", "six-digit GB/T 2260 administrative division code, e.g. 510000")
    .option("--listen <host:port>", "gRPC listen address", "127.0.0.1:7400")
    .option("--http <host:port>", "HTTP listen address (health, metrics, portal)", "127.0.0.1:7480")
    .option("--network <id>", "network id", "ipfed")
    .option("--name-en <name>", "English name of the member")
    .option("--name-zh <name>", "Chinese name of the member")
    .option("--hub <host:port>", "address of the hub to join")
    .option("--hub-fingerprint <kid>", "key fingerprint (kid) of the hub")
    .option("--parent <member>", "the member this node federates under (a regional node, for an outlet)")
    .option("--tls", "create a self-signed TLS certificate and serve gRPC and HTTP over TLS (as `ipfed node tls`)")
    .option("--hub-tls [file]", "the hub serves TLS: verify it with this PEM file (its tls/cert.pem, or its CA), or with the system's roots when no file is given")
    .option("--allow-plaintext", "allow plaintext on and to addresses that are not loopback (a private network you trust)")
    .option("--force", "overwrite an existing node in --dir (a new key is generated)")
    .option("--json", "print the result as JSON")
    .addHelpText("after", "\nExample:\n  $ ipfed node init --dir ./data/sc --id sc-regional --kind regional --region 510000\n")
    .action(
      action(async (opts: InitOptions) => {
        const dir = resolve(opts.dir);
        if (existsSync(join(dir, CONFIG_FILE)) && !opts.force) {
          throw new IpfedError("ALREADY_EXISTS", `a node already exists in ${dir} (${CONFIG_FILE}); use --force to replace it`);
        }
        const names: Record<string, string> = {};
        if (opts.nameEn) names.en = opts.nameEn;
        if (opts.nameZh) names.zh = opts.nameZh;
        if (!opts.nameEn && !opts.nameZh) names.en = opts.id;
        const config: NodeConfig = {
          version: 1,
          id: opts.id,
          kind: opts.kind,
          region: opts.region,
          names,
          networkId: opts.network,
          listen: parseAddress(opts.listen, "--listen"),
          http: parseAddress(opts.http, "--http"),
          ...(opts.parent ? { parent: opts.parent } : {}),
          ...(opts.hub
            ? {
                hub: {
                  address: parseAddress(opts.hub, "--hub"),
                  ...(opts.hubFingerprint ? { fingerprint: opts.hubFingerprint } : {}),
                  ...(opts.hubTls ? { tls: opts.hubTls === true ? true : resolve(opts.hubTls) } : {}),
                },
              }
            : {}),
          ...(opts.allowPlaintext ? { allowPlaintext: true } : {}),
        };
        await mkdir(dir, { recursive: true, mode: 0o700 });
        await saveConfig(dir, config);
        const ring = await createKeyRing(dir);
        const tls = opts.tls ? await createNodeTls(dir) : undefined;
        if (opts.json) {
          console.log(JSON.stringify({ dir, config: tls?.config ?? config, kid: ring.active, ...(tls ? { tlsFingerprint: tls.fingerprint } : {}) }, null, 2));
        } else {
          console.log(`Created node ${config.id} (${config.kind}, region ${config.region}) in ${dir}`);
          console.log(`  config  ${join(dir, CONFIG_FILE)}`);
          console.log(`  key     ${join(dir, KEYS_FILE)} (Ed25519, kid ${ring.active}, mode 600)`);
          console.log(`  gRPC    ${config.listen}   HTTP ${config.http}`);
          if (tls) printNodeTls(tls, true);
          console.log(`Start it with: ipfed node start --dir ${opts.dir}`);
        }
      }),
    );
}
