import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, freemem, platform, release, totalmem } from "node:os";
import { createRequire } from "node:module";
import Database from "better-sqlite3";

/** The machine and software a result was measured on. */
export interface Environment {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  /** Memory free when the run started, GiB. */
  readonly freeMemoryGiB: number;
  readonly os: string;
  readonly node: string;
  /** Versions of ipfed and of every peer (`sqlite`, `better-sqlite3`, `flexsearch`, ...). */
  readonly versions: { readonly [name: string]: string };
  /** The git commit of the tree, when known. */
  readonly commit: string;
}

const require = createRequire(import.meta.url);

function packageVersion(name: string): string {
  try {
    // Some packages do not export package.json; read it next to the resolved entry point.
    const entry = require.resolve(name);
    const root = entry.slice(0, entry.lastIndexOf(`/node_modules/${name}/`) + `/node_modules/${name}/`.length);
    return (JSON.parse(readFileSync(`${root}package.json`, "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}

/**
 * Describes this machine and the versions of ipfed and its peers, for a result file.
 *
 * @example
 * ```ts
 * const env = describeEnvironment();
 * console.log(env.cpu, env.versions.sqlite);
 * ```
 */
export function describeEnvironment(): Environment {
  const ipfed = JSON.parse(readFileSync(new URL("../../node/package.json", import.meta.url), "utf8")) as { version: string };
  const db = new Database(":memory:");
  const sqlite = (db.prepare("select sqlite_version() as v").get() as { v: string }).v;
  db.close();
  let commit = "unknown";
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: new URL("..", import.meta.url), stdio: ["ignore", "pipe", "ignore"] }).toString().trim();
  } catch {
    // Not a git checkout.
  }
  return {
    cpu: cpus()[0]?.model.trim() ?? "unknown",
    cores: cpus().length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    freeMemoryGiB: Math.round((freemem() / 2 ** 30) * 10) / 10,
    os: `${platform()} ${release()}`,
    node: process.version,
    versions: {
      ipfed: ipfed.version,
      sqlite,
      "better-sqlite3": packageVersion("better-sqlite3"),
      flexsearch: packageVersion("flexsearch"),
      level: packageVersion("level"),
      "@grpc/grpc-js": packageVersion("@grpc/grpc-js"),
      jose: packageVersion("jose"),
    },
    commit,
  };
}
