// Real ipfed nodes on loopback, run from a program: `ipfed` processes of this package on free
// ports, their data in one temporary directory that `close()` removes. This is what an
// institution does by hand (`ipfed node init`, `ipfed import`, `ipfed node start`); the
// examples, and anyone scripting a network for a test or a tool, use it from here.

import { execFile, spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { generateCorpus } from "@ipfed/corpus";
import { Record } from "@ipfed/proto";

/** The `ipfed` command of this package. */
const IPFED_BIN = fileURLToPath(new URL("../bin/ipfed.js", import.meta.url));

/**
 * A running `ipfed node start` process.
 *
 * @example
 * ```ts
 * const node: LocalNode = await net.start("sc-regional");
 * const client = createClient({ endpoint: node.grpc });
 * ```
 */
export interface LocalNode {
  /** The member id. */
  readonly id: string;
  /** Its data directory. */
  readonly dir: string;
  /** Its bound gRPC address, `127.0.0.1:port`. */
  readonly grpc: string;
  /** Stops it (SIGTERM) and waits until it has exited. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Which slice of the seeded corpus to write: records `start` .. `start + size - 1`.
 *
 * @example
 * ```ts
 * const slice: CorpusSlice = { start: 60, size: 100 }; // records 60..159 of seed 1
 * ```
 */
export interface CorpusSlice {
  /** How many records. */
  readonly size: number;
  /** Index of the first. @defaultValue 0 */
  readonly start?: number;
  /** Corpus seed. @defaultValue 1 */
  readonly seed?: number;
}

/**
 * A temporary directory holding the nodes of one example run, and the processes serving them.
 *
 * @example
 * ```ts
 * const net = await LocalNetwork.create("ipfed-example-");
 * try {
 *   await net.ipfed(["node", "init", "--dir", net.dir("tisc"), "--id", "tisc", "--kind", "tisc", "--region", "510100"]);
 *   const tisc = await net.start("tisc");
 *   console.log(tisc.grpc);
 * } finally {
 *   await net.close();
 * }
 * ```
 */
export class LocalNetwork {
  /** The temporary directory holding every member's data directory; removed by `close()`. */
  readonly root: string;
  readonly #nodes = new Set<LocalNode>();
  readonly #processes = new Set<ChildProcess>();
  // Should the example die without close() (an uncaught error), its nodes must not outlive it.
  readonly #onExit = (): void => {
    for (const proc of this.#processes) proc.kill("SIGTERM");
    rmSync(this.root, { recursive: true, force: true });
  };

  private constructor(root: string) {
    this.root = root;
    process.once("exit", this.#onExit);
  }

  /** Makes the temporary directory. */
  static async create(prefix: string): Promise<LocalNetwork> {
    return new LocalNetwork(await mkdtemp(join(tmpdir(), prefix)));
  }

  /** The data directory of member `id`. */
  dir(id: string): string {
    return join(this.root, id);
  }

  /** Runs one `ipfed` command to completion and returns its standard output; throws with its error line when it fails. */
  ipfed(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile(process.execPath, [IPFED_BIN, ...args], { env: { ...process.env, ...env }, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
        if (err) reject(new Error(`ipfed ${args.join(" ")} failed (exit ${String(err.code)}): ${stderr.trim() || err.message}`));
        else resolve(stdout);
      });
    });
  }

  /** Writes a slice of the seeded bilingual corpus (`@ipfed/corpus`) to `file`, as JSON Lines. */
  async corpus(file: string, slice: CorpusSlice): Promise<void> {
    const records = generateCorpus({ size: slice.size, startIndex: slice.start ?? 0, seed: slice.seed ?? 1 });
    await writeFile(file, [...records].map((r) => JSON.stringify(Record.toJSON(r)) + "\n").join(""));
  }

  /** Generates a corpus slice and imports it into `dataset` of the (stopped) node `id`. */
  async importCorpus(id: string, dataset: string, slice: CorpusSlice): Promise<void> {
    const file = join(this.root, `${id}-${dataset}.jsonl`);
    await this.corpus(file, slice);
    await this.ipfed(["import", "--dir", this.dir(id), "--dataset", dataset, "--quiet", file]);
  }

  /**
   * Starts `ipfed node start` for member `id` and resolves once it logs `node ready`. Unless
   * `keepListen`, it listens on a free port (a hub keeps the address its members were given).
   */
  async start(id: string, opts: { env?: NodeJS.ProcessEnv; keepListen?: boolean } = {}): Promise<LocalNode> {
    const dir = this.dir(id);
    const listen = opts.keepListen ? [] : ["--listen", "127.0.0.1:0"];
    const proc = spawn(process.execPath, [IPFED_BIN, "node", "start", "--dir", dir, ...listen, "--http", "127.0.0.1:0"], {
      env: { ...process.env, IPFED_LOG_LEVEL: "info", ...opts.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.#processes.add(proc);
    const exited = new Promise<void>((resolve) =>
      proc.once("exit", () => {
        this.#processes.delete(proc);
        resolve();
      }),
    );
    const grpc = await readyAddress(proc, id, exited);
    let stopping: Promise<void> | undefined;
    const node: LocalNode = {
      id,
      dir,
      grpc,
      stop: () =>
        (stopping ??= (async () => {
          if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGTERM");
          await exited;
          this.#nodes.delete(node);
        })()),
    };
    this.#nodes.add(node);
    return node;
  }

  /** Stops every node still running and removes the temporary directory. */
  async close(): Promise<void> {
    await Promise.all([...this.#nodes].map((n) => n.stop()));
    for (const proc of this.#processes) proc.kill("SIGTERM");
    await rm(this.root, { recursive: true, force: true });
    process.off("exit", this.#onExit);
  }
}

/** Waits for the node's `node ready` log line (JSON on stdout) and returns its gRPC address. */
function readyAddress(proc: ChildProcess, id: string, exited: Promise<void>): Promise<string> {
  let stderr = "";
  proc.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    // Every line is read, also after ready, so that the node never blocks on a full pipe.
    createInterface({ input: proc.stdout! }).on("line", (line) => {
      if (!line.includes('"node ready"')) return;
      const entry = JSON.parse(line) as { grpc?: unknown };
      resolve(String(entry.grpc));
    });
    void exited.then(() => reject(new Error(`node ${id} exited before it was ready: ${stderr.trim()}`)));
  });
}

/**
 * A loopback port that was free a moment ago, for a hub whose address its members need before it starts.
 *
 * @example
 * ```ts
 * const hubAddress = `127.0.0.1:${await freePort()}`;
 * ```
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
