import { isAbsolute, join, relative } from "node:path";
import type { DemoManifest, DemoSample } from "./demo-manifest.js";

/** One ready-to-paste command with what it shows. */
export interface DemoCommand {
  /** What it shows, for a person. */
  readonly about: string;
  /** The command line, to run from the repository root. */
  readonly command: string;
}

/** What the commands are built from. */
export interface DemoCommandInput {
  readonly root: string;
  readonly hubGrpc: string;
  readonly token: string;
  readonly sample: DemoSample;
  readonly manifest: DemoManifest;
  /** gRPC address of each running member, by id. */
  readonly grpc: { readonly [id: string]: string };
  /** Certificate file of each member that serves TLS, by id (pinned with `--tls FILE`). */
  readonly tls?: { readonly [id: string]: string };
}

/**
 * A path as a person at `cwd` would type it: relative when it is near (`../shared/data`),
 * else absolute.
 *
 * @example
 * ```ts
 * displayPath("/src/shared/data", "/src/ipfed"); // "../shared/data"
 * ```
 */
export function displayPath(path: string, cwd: string = process.cwd()): string {
  const rel = relative(cwd, path);
  return rel === "" ? "." : !isAbsolute(rel) && !rel.startsWith("../../..") ? rel : path;
}

/**
 * Quotes a word for a POSIX shell when it needs it.
 *
 * @example
 * ```ts
 * shellQuote("ti:电池"); // "'ti:电池'"
 * shellQuote("127.0.0.1:7400"); // "127.0.0.1:7400"
 * ```
 */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:@=,+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The ready-to-paste commands the demo prints: federated searches, a record seen with and
 * without the token, an export, the hub's member list, and a USPTO record when there are
 * any. Each works from the repository root while the demo runs.
 *
 * @example
 * ```ts
 * for (const c of demoCommands(input)) console.log(`# ${c.about}\n${c.command}`);
 * ```
 */
export function demoCommands(input: DemoCommandInput): DemoCommand[] {
  const { hubGrpc, token, sample, manifest, root } = input;
  const cmd = (...words: string[]): string => ["pnpm", "ipfed", ...words.map(shellQuote)].join(" ");
  const tlsOf = (id: string): string[] => (input.tls?.[id] ? ["--tls", input.tls[id]] : []);
  const at = ["--endpoint", hubGrpc, ...tlsOf("hub")];
  const auth = ["--token", token];
  const out: DemoCommand[] = [
    {
      about: `federated search at the hub: ${sample.recordId} is held by ${sample.holders.join(" and ")}, so it is listed once with both holders`,
      command: cmd("search", sample.query, "--federate", ...at, ...auth),
    },
    {
      about: "federated search with facets (kind, year), first 5 hits",
      command: cmd("search", "ti:电池", "--federate", "--facets", "kind,year", "--page-size", "5", ...at, ...auth),
    },
    {
      about: "one record, as the registered user sees it (claims included; natural persons' addresses stay restricted)",
      command: cmd("get", sample.recordId, "--federate", ...at, ...auth),
    },
    {
      about: "the same record anonymously: see withheldFields",
      command: cmd("get", sample.recordId, "--federate", ...at),
    },
  ];
  const library = manifest.members.find((m) => m.kind === "library");
  const dataset = library?.datasets[0];
  if (library && dataset && input.grpc[library.id]) {
    out.push({
      about: `export the ${library.id} dataset ${dataset.id} (${dataset.records} records) to a file`,
      command: cmd("export", "--dataset", dataset.id, "--out", join(root, `${dataset.id}.jsonl`), "--endpoint", input.grpc[library.id]!, ...tlsOf(library.id), ...auth),
    });
  }
  if (manifest.uspto?.sampleId) {
    out.push({
      about: `a real USPTO grant, held by ${manifest.uspto.member}`,
      command: cmd("get", manifest.uspto.sampleId, "--federate", ...at, ...auth),
    });
  }
  out.push({ about: "the hub's members: state, kind, region, health, datasets, records", command: cmd("members", "list", "--dir", join(root, "hub")) });
  return out;
}
