import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import type { WriteStream } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { IpfedError } from "@ipfed/sdk";

/** The `ipfed` command's entry point, beside this module in the source tree and in dist/. */
export const IPFED_BIN = fileURLToPath(new URL("../../bin/ipfed.js", import.meta.url));

/** Name of the file, in a member's data directory, that receives its log lines during a demo. */
export const DEMO_LOG_FILE = "demo.log";

/**
 * Preloaded into every child (`node --import data:...`): when the IPC channel to the demo
 * closes, whether the demo stopped or was killed with SIGKILL, the child stops itself as on
 * SIGTERM, and exits anyway 10 s later. The unref'd channel never keeps the child alive.
 */
const PARENT_WATCH =
  'if(process.channel){process.channel.unref();process.once("disconnect",()=>{setTimeout(()=>process.exit(1),1e4).unref();process.kill(process.pid,"SIGTERM")})}';

/** Options of {@link startMemberProcess}. */
export interface MemberProcessInit {
  /** Member id, for messages. */
  readonly id: string;
  /** The member's data directory. */
  readonly dir: string;
  /** gRPC address to listen on (`127.0.0.1:0` for a free port). */
  readonly listen: string;
  /** HTTP address to listen on. */
  readonly http: string;
  /** Extra environment (an enrolment token on the first start). */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * How long to wait for the node's `node ready` line, milliseconds.
   * @defaultValue 60000
   */
  readonly readyTimeoutMs?: number;
}

/** A running `ipfed node start` child of the demo. */
export interface MemberProcess {
  /** Member id. */
  readonly id: string;
  /** Process id of the child. */
  readonly pid: number;
  /** Bound gRPC address. */
  readonly grpc: string;
  /** Bound HTTP address. */
  readonly http: string;
  /** Records in the node's index when it became ready. */
  readonly records: number;
  /** The child's log file. */
  readonly logFile: string;
  /** Settles with the exit code (or the signal's name) when the child exits, for whatever reason. */
  readonly exited: Promise<number | string>;
  /** True once the child has exited. */
  hasExited(): boolean;
  /** Sends SIGINT, then SIGKILL after `graceMs`; resolves when the child is gone. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Spawns `ipfed node start` for one member (process.execPath + node/bin/ipfed.js) and waits
 * for its `node ready` log line. Its log lines go to `demo.log` in its directory. The child
 * lives in its own process group, so Ctrl-C in a terminal reaches the demo alone, which stops
 * its children in order; and it stops itself when the demo's IPC channel closes.
 *
 * @throws IpfedError `UNAVAILABLE` when the child exits before it is ready (with the last
 *   lines of its log), `DEADLINE_EXCEEDED` when it is not ready in time.
 * @example
 * ```ts
 * const hub = await startMemberProcess({ id: "hub", dir: "/tmp/demo/hub", listen: "127.0.0.1:7400", http: "127.0.0.1:7480" });
 * console.log(hub.pid, hub.grpc);
 * await hub.stop();
 * ```
 */
export async function startMemberProcess(init: MemberProcessInit): Promise<MemberProcess> {
  const logFile = join(init.dir, DEMO_LOG_FILE);
  const log = createWriteStream(logFile, { flags: "a" });
  const child = spawn(
    process.execPath,
    ["--import", `data:text/javascript,${PARENT_WATCH}`, IPFED_BIN, "node", "start", "--dir", init.dir, "--listen", init.listen, "--http", init.http],
    {
      env: { ...process.env, IPFED_LOG_LEVEL: "info", ...init.env },
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      detached: true,
    },
  );
  const tail: string[] = [];
  const keep = (line: string): void => {
    tail.push(line);
    if (tail.length > 20) tail.shift();
  };
  let code: number | string | undefined;
  const exited = new Promise<number | string>((done) => {
    child.once("exit", (c, signal) => {
      code = c ?? signal ?? 1;
      done(code);
    });
    child.once("error", (err) => {
      keep(String(err));
      code = 1;
      done(1);
    });
  });
  const closed = new Promise<void>((done) => child.once("close", () => done()));
  void closed.then(() => log.end());
  createInterface({ input: child.stderr! }).on("line", (line) => {
    keep(line);
    write(log, line);
  });
  const ready = await new Promise<{ grpc: string; http: string; records: number }>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new IpfedError("DEADLINE_EXCEEDED", `${init.id} was not ready within ${(init.readyTimeoutMs ?? 60_000) / 1000} s; its log: ${logFile}`)),
      init.readyTimeoutMs ?? 60_000,
    );
    createInterface({ input: child.stdout! }).on("line", (line) => {
      keep(line);
      write(log, line);
      const entry = parseLine(line);
      if (entry?.msg === "node ready") {
        clearTimeout(timer);
        resolve({ grpc: String(entry.grpc), http: String(entry.http), records: Number(entry.records ?? 0) });
      }
    });
    void exited.then((c) => {
      clearTimeout(timer);
      reject(new IpfedError("UNAVAILABLE", `${init.id} exited (${c}) before it was ready:\n${tail.map(readable).join("\n")}\n(its log: ${logFile})`));
    });
  }).catch(async (err: unknown) => {
    await stopChild(child, exited, () => code !== undefined, 5000);
    throw err;
  });
  return {
    id: init.id,
    pid: child.pid!,
    ...ready,
    logFile,
    exited,
    hasExited: () => code !== undefined,
    stop: (graceMs = 10_000) => stopChild(child, exited, () => code !== undefined, graceMs).then(() => closed),
  };
}

async function stopChild(child: ChildProcess, exited: Promise<unknown>, gone: () => boolean, graceMs: number): Promise<void> {
  if (gone()) return;
  child.kill("SIGINT");
  const timer = setTimeout(() => {
    if (!gone()) child.kill("SIGKILL");
  }, graceMs);
  await exited;
  clearTimeout(timer);
}

function write(log: WriteStream, line: string): void {
  if (!log.writableEnded) log.write(line + "\n");
}

function parseLine(line: string): { [k: string]: unknown } | undefined {
  if (!line.startsWith("{")) return undefined;
  try {
    return JSON.parse(line) as { [k: string]: unknown };
  } catch {
    return undefined;
  }
}

/** A log line as a person reads it: the message and error of a JSON line, else the line. */
function readable(line: string): string {
  const entry = parseLine(line);
  if (!entry) return `  ${line}`;
  const err = entry.err as { message?: string } | undefined;
  return `  ${String(entry.msg ?? "")}${err?.message ? `: ${err.message}` : ""}`;
}
