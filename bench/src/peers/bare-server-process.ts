import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";
import { REPO_ROOT } from "../../../test/helpers/node-process.js";

/** A running bare grpc-js server (see `bare-export-server.ts`). */
export interface BareServer {
  readonly proc: ChildProcess;
  readonly grpc: string;
  /** Milliseconds from spawn to listening. */
  readonly startMs: number;
  stop(): Promise<void>;
}

/**
 * Starts the bare grpc-js server in its own process, streaming `file` (length-prefixed
 * messages) to every Export call, or nothing when absent, and waits until it listens.
 *
 * @example
 * ```ts
 * const bare = await startBareServer(".cache/export-1000.bin");
 * await bare.stop();
 * ```
 */
export async function startBareServer(file?: string): Promise<BareServer> {
  const script = fileURLToPath(new URL("./bare-export-server.ts", import.meta.url));
  const t = performance.now();
  const proc = spawn(process.execPath, ["--import", "tsx", script, ...(file === undefined ? [] : [file])], { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  proc.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const grpc = await new Promise<string>((resolve, reject) => {
    createInterface({ input: proc.stdout! }).on("line", (line) => {
      try {
        const m = JSON.parse(line) as { msg?: string; grpc?: string };
        if (m.msg === "ready" && m.grpc) resolve(m.grpc);
      } catch {
        // Not ours.
      }
    });
    proc.once("exit", (code) => reject(new Error(`the bare gRPC server exited with ${code}: ${stderr}`)));
  });
  const startMs = performance.now() - t;
  return {
    proc,
    grpc,
    startMs,
    async stop() {
      if (proc.exitCode !== null) return;
      proc.kill("SIGTERM");
      await once(proc, "exit");
    },
  };
}
