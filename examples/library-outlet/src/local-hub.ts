import { execFile, spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

/** The `ipfed` command of the reference node, in this repository. */
const IPFED = fileURLToPath(new URL("../../../node/bin/ipfed.js", import.meta.url));
const run = promisify(execFile);

/** A hub started by {@link startLocalHub}: a real `ipfed node start` process. */
export interface LocalHub {
  /** The hub's member id. */
  readonly id: string;
  /** Its bound gRPC address. */
  readonly grpc: string;
  /** The thumbprint of its key, which members pin. */
  readonly fingerprint: string;
  /** Prints a one-use enrolment token for a member (`ipfed members enrol`). */
  enrol(memberId: string, maxTier: string): Promise<string>;
  /** Stops the process (SIGTERM) and waits for it. */
  stop(): Promise<void>;
}

async function ipfed(args: string[]): Promise<string> {
  try {
    return (await run(process.execPath, [IPFED, ...args])).stdout.trim();
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`ipfed ${args.slice(0, 2).join(" ")} failed: ${e.stderr?.trim() || e.message}`);
  }
}

/**
 * Creates a hub in `dir` (`ipfed node init --kind hub`) and starts it on free loopback ports
 * (`ipfed node start`), waiting for its "node ready" log line.
 *
 * @example
 * ```ts
 * const hub = await startLocalHub("/tmp/demo/hub", "national-hub");
 * const token = await hub.enrol("gd-sz-library", "registered");
 * ```
 */
export async function startLocalHub(dir: string, id: string): Promise<LocalHub> {
  await ipfed(["node", "init", "--dir", dir, "--id", id, "--kind", "hub", "--region", "100000", "--name-en", "National IP public service hub", "--name-zh", "国家知识产权公共服务枢纽"]);
  const fingerprint = (JSON.parse(await readFile(join(dir, "keys.json"), "utf8")) as { active: string }).active;
  const proc: ChildProcess = spawn(process.execPath, [IPFED, "node", "start", "--dir", dir, "--listen", "127.0.0.1:0", "--http", "127.0.0.1:0"], {
    env: { ...process.env, IPFED_LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  proc.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  const grpc = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the hub did not start within 30 s: ${stderr}`)), 30_000);
    createInterface({ input: proc.stdout! }).on("line", (line) => {
      try {
        const entry = JSON.parse(line) as { msg?: string; grpc?: string };
        if (entry.msg === "node ready" && entry.grpc) {
          clearTimeout(timer);
          resolve(entry.grpc);
        }
      } catch {
        // not a log line
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the hub exited before it was ready: ${stderr}`));
    });
  });
  return {
    id,
    grpc,
    fingerprint,
    enrol: (memberId, maxTier) => ipfed(["members", "enrol", "--dir", dir, "--member", memberId, "--max-tier", maxTier]),
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill("SIGTERM");
      await exited;
    },
  };
}
