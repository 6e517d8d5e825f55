import { join } from "node:path";
import { Level } from "level";
import { IpfedError } from "@ipfed/sdk";
import { STORE_DIR } from "../../store/node-store.js";
import { NodeTrust } from "../../trust/node-trust.js";
import { MemberRegistry } from "../member-registry.js";
import { registrySublevel } from "../registry-sublevel.js";
import { applyAdminRequest } from "./admin-actions.js";
import type { AdminRequest, AdminResult } from "./admin-actions.js";
import { submitAdminRequest } from "./admin-inbox.js";

/** How an admin request reached the registry. */
export type AdminRoute = "store" | "hub";

/**
 * Carries out an admin request on the hub in `dir`, whether the hub runs or not: with the hub
 * stopped it opens the store itself; when the store is locked (the hub runs) it goes through
 * the running hub's admin inbox. Either way the same `applyAdminRequest` does the work.
 *
 * @throws IpfedError `FAILED_PRECONDITION` when the node in `dir` is not a hub, and whatever
 *   the request itself fails with.
 * @example
 * ```ts
 * const { result, route } = await runAdminRequest("/var/lib/ipfed-hub", { action: "list" });
 * ```
 */
export async function runAdminRequest(dir: string, request: AdminRequest, o: { timeoutMs?: number } = {}): Promise<{ result: AdminResult; route: AdminRoute }> {
  const trust = await NodeTrust.load(dir);
  const config = trust.config;
  if (config.kind !== "hub") {
    throw new IpfedError("FAILED_PRECONDITION", `the node in ${dir} is a ${config.kind} node, not a hub: members are managed on the hub`);
  }
  const db = new Level<string, Uint8Array>(join(dir, STORE_DIR), { valueEncoding: "view" });
  try {
    await db.open();
  } catch (err) {
    const e = err as { code?: string; cause?: { code?: string } };
    if ((e.cause?.code ?? e.code) === "LEVEL_LOCKED") return { result: await submitAdminRequest(dir, request, o), route: "hub" };
    throw new IpfedError("STORE_CORRUPT", `cannot open the store in ${join(dir, STORE_DIR)}: ${(err as Error).message}`, { cause: err });
  }
  try {
    const registry = new MemberRegistry(registrySublevel(db), { hubId: config.id, keys: () => trust.keys() });
    await registry.open();
    return { result: await applyAdminRequest(registry, request), route: "store" };
  } finally {
    await db.close();
  }
}
