import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { IPFED_BIN } from "../helpers/node-process.js";

/** The `--json` line `ipfed demo` prints when its network is ready (the fields the tests use). */
export interface DemoInfo {
  portal: string;
  token: string;
  hub: { grpc: string; http: string; tlsCert?: string };
  members: { id: string; kind: string; region: string; grpc: string; http: string; tlsCert?: string }[];
  dir: string;
  commands: string[];
}

/** A running `ipfed demo`. */
export interface RunningDemo {
  readonly info: DemoInfo;
  readonly proc: ChildProcess;
  /** Ctrl-C (SIGINT), then waits for the exit code. */
  stop(): Promise<number | null>;
}

/** A port in a range the other tests' random hub ports do not use. */
function freeLookingPort(): number {
  return 42000 + Math.floor(Math.random() * 20000);
}

/**
 * Starts `ipfed demo --json` on free-looking ports with a small corpus and no USPTO files,
 * and waits for its JSON line.
 */
export async function startDemo(size = 300): Promise<RunningDemo> {
  const grpcPort = freeLookingPort();
  const args = [IPFED_BIN, "demo", "--json", "--hub-grpc", `127.0.0.1:${grpcPort}`, "--hub-http", `127.0.0.1:${grpcPort + 1}`, "--size", String(size), "--no-uspto"];
  const proc = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env } });
  let stderr = "";
  proc.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((res) => proc.once("exit", (code) => res(code)));
  const info = await new Promise<DemoInfo>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the demo was not ready in 240 s; stderr: ${stderr}`)), 240_000);
    createInterface({ input: proc.stdout! }).on("line", (line) => {
      try {
        const v = JSON.parse(line) as DemoInfo;
        clearTimeout(timer);
        resolve(v);
      } catch {
        // not the JSON line
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the demo exited with ${code} before it was ready; stderr: ${stderr}`));
    });
  });
  return {
    info,
    proc,
    async stop() {
      if (proc.exitCode !== null) return proc.exitCode;
      proc.kill("SIGINT");
      return exited;
    },
  };
}
