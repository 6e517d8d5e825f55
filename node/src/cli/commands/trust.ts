import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { Metadata } from "@grpc/grpc-js";
import { Command, Option } from "commander";
import { GetKeysRequest } from "@ipfed/proto";
import type { GetKeysResponse } from "@ipfed/proto";
import { IpfedError, TIER_NAMES } from "@ipfed/sdk";
import { loadConfig, parseAddress, saveConfig } from "../../config/node-config.js";
import type { TierWord } from "../../config/node-config.js";
import { call, connect } from "../remote.js";
import { action } from "../run.js";

/** `ipfed trust add|list|remove`: other members whose tokens this node accepts. */
export function trustCommand(): Command {
  const cmd = new Command("trust").description("manage the issuers (other members) whose tokens this node accepts, and their tier caps");
  cmd.addCommand(
    new Command("add")
      .description("trust another member's tokens up to a tier; keys from its running node (--endpoint) or a JWKS file")
      .requiredOption("--dir <dir>", "data directory of this node")
      .requiredOption("--issuer <member>", "the other member's id")
      .addOption(new Option("--max-tier <tier>", "the highest tier its tokens may grant here").choices(TIER_NAMES).makeOptionMandatory())
      .option("--endpoint <host:port>", "fetch its keys with FederationService.GetKeys")
      .option("--jwks <file>", "read its keys from a JWKS file")
      .addHelpText("after", "\nExample:\n  $ ipfed trust add --dir ./data/tisc --issuer sc-regional --max-tier registered --endpoint 127.0.0.1:7401\n")
      .action(
        action(async (opts: { dir: string; issuer: string; maxTier: TierWord; endpoint?: string; jwks?: string }) => {
          const dir = resolve(opts.dir);
          const config = await loadConfig(dir);
          let keys: { [k: string]: unknown }[];
          let source: string;
          if (opts.endpoint) {
            const remote = connect(parseAddress(opts.endpoint, "--endpoint"));
            try {
              const res = await call<GetKeysResponse>((cb) => remote.federation.getKeys(GetKeysRequest.fromPartial({}), new Metadata(), remote.options(), cb));
              keys = (JSON.parse(res.jwks) as { keys: { [k: string]: unknown }[] }).keys;
              source = `grpc://${opts.endpoint}`;
            } finally {
              remote.close();
            }
          } else if (opts.jwks) {
            keys = (JSON.parse(await readFile(opts.jwks, "utf8")) as { keys: { [k: string]: unknown }[] }).keys;
            source = resolve(opts.jwks);
          } else throw new IpfedError("INVALID_ARGUMENT", "give --endpoint or --jwks", { field: "--endpoint" });
          if (!Array.isArray(keys) || keys.length === 0) throw new IpfedError("INVALID_ARGUMENT", "no keys found", { field: "--jwks" });
          const issuers = { ...(config.trust?.issuers ?? {}), [opts.issuer]: { maxTier: opts.maxTier, keys, source } };
          await saveConfig(dir, { ...config, trust: { ...(config.trust ?? {}), issuers } });
          console.log(`Trusting ${opts.issuer} up to ${opts.maxTier} (${keys.length} key(s) from ${source})`);
        }),
      ),
  );
  cmd.addCommand(
    new Command("list")
      .description("list the trusted issuers")
      .requiredOption("--dir <dir>", "data directory of this node")
      .addHelpText("after", "\nExample:\n  $ ipfed trust list --dir ./data/tisc\n")
      .action(
        action(async (opts: { dir: string }) => {
          const config = await loadConfig(resolve(opts.dir));
          for (const [id, iss] of Object.entries(config.trust?.issuers ?? {})) console.log(`${id.padEnd(24)} ${iss.maxTier.padEnd(13)} ${iss.keys.length} key(s)  ${iss.source ?? ""}`);
        }),
      ),
  );
  cmd.addCommand(
    new Command("remove")
      .description("stop trusting an issuer")
      .requiredOption("--dir <dir>", "data directory of this node")
      .requiredOption("--issuer <member>", "the member id")
      .addHelpText("after", "\nExample:\n  $ ipfed trust remove --dir ./data/tisc --issuer sc-regional\n")
      .action(
        action(async (opts: { dir: string; issuer: string }) => {
          const dir = resolve(opts.dir);
          const config = await loadConfig(dir);
          const issuers = { ...(config.trust?.issuers ?? {}) };
          if (!issuers[opts.issuer]) throw new IpfedError("MEMBER_NOT_FOUND", `${opts.issuer} is not a trusted issuer`, { field: "--issuer" });
          delete issuers[opts.issuer];
          await saveConfig(dir, { ...config, trust: { ...(config.trust ?? {}), issuers } });
          console.log(`No longer trusting ${opts.issuer}`);
        }),
      ),
  );
  return cmd;
}
