import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AuditEvent } from "@ipfed/sdk";

/**
 * A plausible audit event; `i` varies it, every third call is denied so tests have both.
 */
export function sampleEvent(i: number, over: Partial<AuditEvent> = {}): AuditEvent {
  const denied = i % 3 === 2;
  return {
    time: new Date(Date.UTC(2025, 5, 1, 8, 0, 0, i)).toISOString(),
    rpc: i % 2 === 0 ? "/ipfed.v1.SearchService/Search" : "/ipfed.v1.ExchangeService/Export",
    subject: `user-${i % 7}@tisc-scu`,
    issuer: "sc-regional",
    act: i % 5 === 0 ? ["hub", "sc-regional"] : [],
    tier: denied ? "public" : "registered",
    datasets: ["cnipa-grants", "uspto"].slice(0, 1 + (i % 2)),
    requestDigest: (i * 2654435761).toString(16).padStart(64, "0").slice(-64),
    resultCount: denied ? 0 : i % 50,
    status: denied ? "PERMISSION_DENIED" : "OK",
    code: denied ? "TIER_TOO_LOW" : "",
    peer: `ipv4:10.0.0.${i % 250}:5${i % 1000}`,
    ms: (i % 97) + 0.25,
    ...over,
  };
}

/** A fresh temporary folder, and a function that removes it. */
export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "ipfed-audit-"));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** The lines of a file, without the empty string after the last newline. */
export async function fileLines(path: string): Promise<string[]> {
  const text = await readFile(path, "utf8");
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

/** Rewrites a file from lines, each ending in a newline. */
export async function writeLines(path: string, lines: readonly string[]): Promise<void> {
  await writeFile(path, lines.map((l) => `${l}\n`).join(""));
}
