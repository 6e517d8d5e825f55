// The corpus command: writes a synthetic corpus as JSON Lines, one record per line in the
// canonical proto3 JSON mapping (`Record.toJSON`).
//
//   node --import tsx packages/corpus/src/cli.ts --size 1000 --seed 1 --out corpus.jsonl
//
// From the workspace sources it registers the `@ipfed/source` export condition before loading
// the generator, so that @ipfed/proto resolves to its TypeScript sources without a build.

import { createWriteStream, realpathSync } from "node:fs";
import { register } from "node:module";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { Writable } from "node:stream";

/** Usage text of the command. */
export const USAGE = `Usage: node --import tsx packages/corpus/src/cli.ts --size N [options]

Writes N synthetic ipfed records as JSON Lines (canonical proto3 JSON, one record per line).

Options:
  --size N              number of records (required, 0 or more)
  --seed N              corpus seed, any integer (default 1; negative as --seed=-4)
  --out PATH            output file, or - for standard output (default -)
  --start N             index of the first record (default 0)
  --dataset ID          datasetId written on every record (default synthetic-cn)
  --member ID           provenance.memberId of every record (default synthetic)
  --trademark-share X   share of trademarks, 0 to 0.98 (default 0.1)
  -h, --help            show this help
`;

/** A bad command line: the message says what is wrong; exit status 2. */
export class CliUsageError extends Error {
  override readonly name = "CliUsageError";
}

/** The command line, checked. */
export interface CliOptions {
  readonly size: number;
  readonly seed: number;
  readonly out: string;
  readonly startIndex: number;
  readonly datasetId: string | undefined;
  readonly memberId: string | undefined;
  readonly trademarkShare: number | undefined;
}

function integer(name: string, value: string | undefined, fallback: number | undefined, min: number): number {
  if (value === undefined) {
    if (fallback === undefined) throw new CliUsageError(`--${name} is required`);
    return fallback;
  }
  if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(Number(value)) || Number(value) < min) {
    const what = min === 0 ? "a non-negative integer" : "an integer";
    throw new CliUsageError(`--${name} must be ${what}, got "${value}"`);
  }
  return Number(value);
}

/**
 * Parses and checks the arguments (without the node and script paths). Returns `"help"` for
 * `--help`; throws {@link CliUsageError} for anything wrong.
 *
 * @example
 * ```ts
 * parseCliArgs(["--size", "10", "--out", "-"]).size; // 10
 * ```
 */
export function parseCliArgs(argv: readonly string[]): CliOptions | "help" {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        size: { type: "string" },
        seed: { type: "string" },
        out: { type: "string" },
        start: { type: "string" },
        dataset: { type: "string" },
        member: { type: "string" },
        "trademark-share": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (err) {
    throw new CliUsageError(err instanceof Error ? err.message : String(err));
  }
  if (values.help === true) return "help";
  const share = values["trademark-share"];
  let trademarkShare: number | undefined;
  if (share !== undefined) {
    trademarkShare = Number(share);
    if (share.trim() === "" || !(trademarkShare >= 0 && trademarkShare <= 0.98)) {
      throw new CliUsageError(`--trademark-share must be a number from 0 to 0.98, got "${share}"`);
    }
  }
  for (const name of ["dataset", "member", "out"] as const) {
    if (values[name] !== undefined && values[name] === "") throw new CliUsageError(`--${name} must not be empty`);
  }
  return {
    size: integer("size", values.size, undefined, 0),
    seed: integer("seed", values.seed, 1, Number.MIN_SAFE_INTEGER),
    out: values.out ?? "-",
    startIndex: integer("start", values.start, 0, 0),
    datasetId: values.dataset,
    memberId: values.member,
    trademarkShare,
  };
}

/** Streams where the command writes. */
export interface CliIo {
  readonly stdout: Writable;
  readonly stderr: Writable;
}

function write(stream: Writable, chunk: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    stream.once("error", onError);
    const ok = stream.write(chunk, (err) => {
      if (err) reject(err);
    });
    const done = (): void => {
      stream.off("error", onError);
      resolve();
    };
    if (ok) done();
    else stream.once("drain", done);
  });
}

function finish(stream: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once("error", reject);
    stream.end(() => resolve());
  });
}

/**
 * Runs the command and returns its exit status: 0 on success, 2 for a bad command line, 1 when
 * the output cannot be written.
 */
export async function runCli(argv: readonly string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  let options: CliOptions | "help";
  try {
    options = parseCliArgs(argv);
  } catch (err) {
    if (!(err instanceof CliUsageError)) throw err;
    io.stderr.write(`ipfed-corpus: ${err.message}\n\n${USAGE}`);
    return 2;
  }
  if (options === "help") {
    io.stdout.write(USAGE);
    return 0;
  }
  const [{ generateCorpus }, { Record }] = await Promise.all([import("./corpus.js"), import("@ipfed/proto")]);
  let records;
  try {
    records = generateCorpus({
      size: options.size,
      seed: options.seed,
      startIndex: options.startIndex,
      ...(options.datasetId === undefined ? {} : { datasetId: options.datasetId }),
      ...(options.memberId === undefined ? {} : { memberId: options.memberId }),
      ...(options.trademarkShare === undefined ? {} : { trademarkShare: options.trademarkShare }),
    });
  } catch (err) {
    io.stderr.write(`ipfed-corpus: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  const toFile = options.out !== "-";
  const out = toFile ? createWriteStream(options.out) : io.stdout;
  const started = performance.now();
  try {
    let buffer = "";
    for (const record of records) {
      buffer += `${JSON.stringify(Record.toJSON(record))}\n`;
      if (buffer.length >= 1 << 20) {
        await write(out, buffer);
        buffer = "";
      }
    }
    if (buffer.length > 0) await write(out, buffer);
    if (toFile) await finish(out);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EPIPE") return 0; // the reader went away (`| head`): not an error
    io.stderr.write(`ipfed-corpus: cannot write ${toFile ? options.out : "standard output"}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  if (toFile) {
    const seconds = (performance.now() - started) / 1000;
    const rate = seconds > 0 ? Math.round(options.size / seconds) : options.size;
    io.stderr.write(`wrote ${options.size} records to ${options.out} in ${seconds.toFixed(2)} s (${rate} records/s)\n`);
  }
  return 0;
}

// Module hook (as a data: URL): resolve workspace packages through their "@ipfed/source"
// export condition, as node/bin/source-conditions.js does for the ipfed command.
const SOURCE_CONDITIONS = `export async function resolve(specifier, context, next) {
  const conditions = context.conditions.includes("@ipfed/source") ? context.conditions : [...context.conditions, "@ipfed/source"];
  return next(specifier, { ...context, conditions });
}`;

function isMain(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  if (import.meta.url.endsWith(".ts")) register(`data:text/javascript,${encodeURIComponent(SOURCE_CONDITIONS)}`);
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(0);
  });
  process.exitCode = await runCli(process.argv.slice(2));
}
