import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "./node-process.js";

/**
 * The real USPTO grant files beside the checkout (`../shared/data/uspto-grants`), or the
 * folder named by IPFED_USPTO_DIR. Tests that need them fail with this message when they are
 * missing, rather than passing without them.
 */
export function usptoFiles(): string[] {
  const dir = process.env.IPFED_USPTO_DIR ?? join(REPO_ROOT, "../shared/data/uspto-grants");
  if (!existsSync(dir)) throw new Error(`the USPTO grant files are not at ${dir}; set IPFED_USPTO_DIR`);
  return readdirSync(dir)
    .filter((f) => f.endsWith(".xml"))
    .sort()
    .map((f) => join(dir, f));
}
