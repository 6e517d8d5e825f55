import { spawn, execFile } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const REPO_ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));
/** The `ipfed` command's entry point. */
export const IPFED_BIN = join(REPO_ROOT, "node/bin/ipfed.js");

const run = promisify(execFile);

/** Runs the `ipfed` CLI to completion; never throws on a non-zero exit. */
export async function ipfed(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [IPFED_BIN, ...args], {
      env: { ...process.env, ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : 1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

/** A temporary directory removed by the returned function. */
export async function tempDir(prefix = "ipfed-test-"): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** A node process started by {@link startNode}. */
export interface RunningNode {
  readonly proc: ChildProcess;
  /** Bound gRPC address. */
  readonly grpc: string;
  /** Bound HTTP address. */
  readonly http: string;
  /** Log lines (parsed JSON) seen so far. */
  readonly logs: Record<string, unknown>[];
  /** Sends a signal and waits for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Issues a token with the node's own key (`ipfed token issue`), all scopes and CONFIDENTIAL by default. */
export async function issueToken(dir: string, opts: { sub?: string; tier?: string; scope?: string; extra?: string[] } = {}): Promise<string> {
  const r = await ipfed([
    "token", "issue", "--dir", dir, "--sub", opts.sub ?? "operator", "--tier", opts.tier ?? "confidential",
    "--scope", opts.scope ?? "search read export publish admin", ...(opts.extra ?? []),
  ]);
  if (r.code !== 0) throw new Error(`token issue failed (${r.code}): ${r.stderr}`);
  return r.stdout.trim();
}

/** Creates a node with `ipfed node init` in `dir`. */
export async function initNode(dir: string, opts: { id: string; kind?: string; region?: string; extra?: string[] }): Promise<void> {
  const r = await ipfed(["node", "init", "--dir", dir, "--id", opts.id, "--kind", opts.kind ?? "regional", "--region", opts.region ?? "510000", ...(opts.extra ?? [])]);
  if (r.code !== 0) throw new Error(`node init failed (${r.code}): ${r.stderr}`);
}

/** Starts `ipfed node start` on free loopback ports and waits until it is ready. */
export async function startNode(dir: string, env: NodeJS.ProcessEnv = {}, opts: { keepListen?: boolean } = {}): Promise<RunningNode> {
  const listen = opts.keepListen ? [] : ["--listen", "127.0.0.1:0"];
  // IPFED_CPU_PROF=DIR: every node process writes a CPU profile there when it stops (profiling a benchmark).
  const profile = process.env.IPFED_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.IPFED_CPU_PROF}`] : [];
  const proc = spawn(process.execPath, [...profile, IPFED_BIN, "node", "start", "--dir", dir, ...listen, "--http", "127.0.0.1:0"], {
    env: { ...process.env, IPFED_LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: Record<string, unknown>[] = [];
  let stderr = "";
  proc.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((res) => proc.once("exit", (code) => res(code)));
  const ready = await new Promise<Record<string, unknown>>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`node did not become ready in 30 s; stderr: ${stderr}`)), 30_000);
    createInterface({ input: proc.stdout! }).on("line", (line) => {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return;
      }
      logs.push(entry);
      if (entry.msg === "node ready") {
        clearTimeout(timer);
        res(entry);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      rej(new Error(`node exited with ${code} before it was ready; stderr: ${stderr}`));
    });
  });
  return {
    proc,
    grpc: String(ready.grpc),
    http: String(ready.http),
    logs,
    async stop(signal = "SIGTERM") {
      if (proc.exitCode !== null) return proc.exitCode;
      proc.kill(signal);
      return exited;
    },
  };
}
