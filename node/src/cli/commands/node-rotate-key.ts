import { resolve } from "node:path";
import { Command } from "commander";
import { generateMemberKey } from "@ipfed/sdk";
import { loadKeyRing, saveKeyRing } from "../../config/key-store.js";
import { loadConfig } from "../../config/node-config.js";
import { TRUST_DEFAULTS } from "../../trust/node-trust.js";
import { action } from "../run.js";

/** `ipfed node rotate-key`: a new signing key; the old one keeps verifying until its tokens expire. */
export function nodeRotateKeyCommand(): Command {
  return new Command("rotate-key")
    .description("make a new Ed25519 signing key; the old key keeps verifying the tokens it signed until they expire")
    .requiredOption("--dir <dir>", "data directory of the node")
    .option("--json", "print the result as JSON")
    .addHelpText("after", "\nExample:\n  $ ipfed node rotate-key --dir ./data/sc\n")
    .action(
      action(async (opts: { dir: string; json?: boolean }) => {
        const dir = resolve(opts.dir);
        const config = await loadConfig(dir);
        const ring = await loadKeyRing(dir);
        const now = new Date();
        const key = await generateMemberKey(now);
        const ttl = config.trust?.maxTokenTtlSeconds ?? TRUST_DEFAULTS.maxTokenTtlSeconds;
        // Keys retired longer ago than the longest token lifetime can no longer verify anything.
        const keys = [
          key,
          ...ring.keys
            .map((k) => (k.kid === ring.active ? { ...k, retiredAt: now.toISOString() } : k))
            .filter((k) => !k.retiredAt || Date.parse(k.retiredAt) + ttl * 1000 > now.getTime()),
        ];
        await saveKeyRing(dir, { active: key.kid, keys });
        const out = { active: key.kid, retired: ring.active, verifyingUntil: new Date(now.getTime() + ttl * 1000).toISOString() };
        if (opts.json) console.log(JSON.stringify(out, null, 2));
        else console.log(`New signing key ${out.active}; the old key ${out.retired} verifies until ${out.verifyingUntil}`);
      }),
    );
}
