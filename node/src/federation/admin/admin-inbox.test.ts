import { chmod, readdir } from "node:fs/promises";
import { join } from "node:path";
import { Command } from "commander";
import { Level } from "level";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Tier } from "@ipfed/proto";
import { generateMemberKey } from "@ipfed/sdk";
import type { MemberKey } from "@ipfed/sdk";
import { membersCommand } from "../../cli/commands/members.js";
import { createKeyRing } from "../../config/key-store.js";
import { saveConfig } from "../../config/node-config.js";
import { STORE_DIR } from "../../store/node-store.js";
import { NodeTrust } from "../../trust/node-trust.js";
import { memberOf, tempDir } from "../federation.fixtures.js";
import { MemberRegistry } from "../member-registry.js";
import { registrySublevel } from "../registry-sublevel.js";
import { applyAdminRequest } from "./admin-actions.js";
import type { AdminResult } from "./admin-actions.js";
import { AdminInbox, adminPaths } from "./admin-inbox.js";
import { runAdminRequest } from "./hub-admin.js";

let dir: { path: string; remove(): Promise<void> };
let tiscKey: MemberKey;

beforeEach(async () => {
  dir = await tempDir("ipfed-hub-");
  await saveConfig(dir.path, { version: 1, id: "hub", kind: "hub", region: "110000", names: { en: "Hub" }, networkId: "ipfed", listen: "127.0.0.1:7400", http: "127.0.0.1:7480" });
  await createKeyRing(dir.path);
  tiscKey = await generateMemberKey();
});

afterEach(async () => {
  await dir.remove();
});

/** Opens the hub's store as the running hub does: the LevelDB lock is then held. */
async function runningHub(withInbox = true) {
  const db = new Level<string, Uint8Array>(join(dir.path, STORE_DIR), { valueEncoding: "view" });
  await db.open();
  const trust = await NodeTrust.load(dir.path);
  const registry = new MemberRegistry(registrySublevel(db), { hubId: "hub", keys: () => trust.keys() });
  await registry.open();
  const errors: string[] = [];
  const inbox = new AdminInbox({ dir: dir.path, apply: (req) => applyAdminRequest(registry, req), intervalMs: 25, logger: { debug() {}, info() {}, warn() {}, error: (_o, m) => void errors.push(m) } });
  if (withInbox) await inbox.start();
  return {
    registry,
    inbox,
    errors,
    async stop() {
      inbox.stop();
      await db.close();
    },
  };
}

const members = (r: AdminResult) => ("members" in r ? r.members : []);

describe("runAdminRequest", () => {
  it("opens the store itself while the hub is stopped", async () => {
    const hub = await runningHub(false);
    await hub.registry.register(memberOf("sc-tisc", [tiscKey]));
    await hub.stop();

    const listed = await runAdminRequest(dir.path, { action: "list" });
    expect(listed.route).toBe("store");
    expect(members(listed.result).map((m) => [m.id, m.state])).toEqual([["sc-tisc", "pending"]]);
    const admitted = await runAdminRequest(dir.path, { action: "admit", memberId: "sc-tisc", maxTier: "registered" });
    expect(admitted.result).toMatchObject({ member: { id: "sc-tisc", state: "admitted", maxTier: "registered", health: "up" } });
  });

  it("goes through the running hub's inbox while the store is locked", async () => {
    const hub = await runningHub();
    try {
      await hub.registry.register(memberOf("sc-tisc", [tiscKey]));
      const admitted = await runAdminRequest(dir.path, { action: "admit", memberId: "sc-tisc" });
      expect(admitted).toMatchObject({ route: "hub", result: { member: { state: "admitted", maxTier: "public" } } });
      expect((await hub.registry.get("sc-tisc"))?.state).toBe("admitted");

      const enrol = await runAdminRequest(dir.path, { action: "enrol", memberId: "gd-lib", maxTier: "restricted", ttlSeconds: 3600 });
      const token = "enrolment" in enrol.result ? enrol.result.enrolment.token : "";
      expect((await hub.registry.register(memberOf("gd-lib", [tiscKey]), token)).record?.member.maxTier).toBe(Tier.TIER_RESTRICTED);

      await expect(runAdminRequest(dir.path, { action: "remove", memberId: "nobody" })).rejects.toMatchObject({ code: "MEMBER_NOT_FOUND" });
      // Answers are collected: nothing is left behind in either folder.
      const { inbox, outbox } = adminPaths(dir.path);
      expect([...(await readdir(inbox)), ...(await readdir(outbox))]).toEqual([]);
    } finally {
      await hub.stop();
    }
  });

  it("says so when the store is locked but no hub answers, and withdraws the request", async () => {
    const hub = await runningHub(false);
    try {
      await expect(runAdminRequest(dir.path, { action: "list" }, { timeoutMs: 300 })).rejects.toMatchObject({ code: "UNAVAILABLE" });
      expect(await readdir(adminPaths(dir.path).inbox)).toEqual([]);
    } finally {
      await hub.stop();
    }
  });

  it("ignores an inbox others may write to", async () => {
    const hub = await runningHub(false);
    try {
      await hub.inbox.start();
      await chmod(adminPaths(dir.path).inbox, 0o777);
      expect(await hub.inbox.processOnce()).toBe(0);
      expect(hub.errors[0]).toContain("others may write");
    } finally {
      await hub.stop();
    }
  });

  it("refuses a node that is not a hub", async () => {
    await saveConfig(dir.path, { version: 1, id: "sc-tisc", kind: "tisc", region: "510100", names: { en: "TISC" }, networkId: "ipfed", listen: "127.0.0.1:7400", http: "127.0.0.1:7480" });
    await expect(runAdminRequest(dir.path, { action: "list" })).rejects.toMatchObject({ code: "FAILED_PRECONDITION" });
  });
});

describe("ipfed members", () => {
  async function ipfed(...args: string[]): Promise<string> {
    const out: string[] = [];
    const log = vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void out.push(a.join(" ")));
    try {
      const program = new Command("ipfed").exitOverride().addCommand(membersCommand());
      await program.parseAsync(["node", "ipfed", ...args]);
    } finally {
      log.mockRestore();
    }
    return out.join("\n");
  }

  it("enrols, lists and removes, with the hub running or not", async () => {
    const token = await ipfed("members", "enrol", "--dir", dir.path, "--member", "sc-tisc", "--max-tier", "registered", "--ttl", "1d");
    expect(token.split(".")).toHaveLength(3);
    const hub = await runningHub();
    try {
      expect((await hub.registry.register(memberOf("sc-tisc", [tiscKey]), token)).state).toBe("admitted");
      const table = await ipfed("members", "list", "--dir", dir.path);
      expect(table).toMatch(/^MEMBER\s+STATE\s+KIND/);
      expect(table).toMatch(/sc-tisc\s+admitted\s+tisc\s+510100\s+registered\s+up/);
    } finally {
      await hub.stop();
    }
    expect(await ipfed("members", "remove", "--dir", dir.path, "--member", "sc-tisc")).toBe("Removed sc-tisc");
    const json = JSON.parse(await ipfed("members", "list", "--dir", dir.path, "--json")) as { id: string; state: string }[];
    expect(json.map((m) => [m.id, m.state])).toEqual([["sc-tisc", "removed"]]);
  });
});
