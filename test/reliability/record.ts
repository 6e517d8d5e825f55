import { appendFileSync, mkdirSync, readFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { REPO_ROOT } from "../helpers/node-process.js";

/** Where every reliability test appends its figures; `scripts/reliability-report.js` reads it. */
export const RESULTS_FILE = process.env.IPFED_RELIABILITY_RESULTS ?? join(REPO_ROOT, "test/artifacts/reliability/results.jsonl");

/** Seconds each load test runs: `IPFED_RELIABILITY_SECONDS`, 20 by default (the full run uses 60). */
export const LOAD_SECONDS = Number(process.env.IPFED_RELIABILITY_SECONDS ?? 20);
/** Concurrent clients of each load test: `IPFED_RELIABILITY_CLIENTS`, 200 by default. */
export const LOAD_CLIENTS = Number(process.env.IPFED_RELIABILITY_CLIENTS ?? 200);
/** Inputs each fuzzer tries: `IPFED_RELIABILITY_INPUTS`, 2000 by default. */
export const FUZZ_INPUTS = Number(process.env.IPFED_RELIABILITY_INPUTS ?? 2000);

/** The figures one reliability test reports; every field the table shows. */
export interface ReliabilityResult {
  /** The suite file's short name: `load`, `faults`, `hostile-input`, `token-attacks`, `backup`. */
  suite: string;
  /** What the test proves, as the table's first column says it. */
  test: string;
  /** Load held, when the test is a load test. */
  load?: {
    clients: number;
    seconds: number;
    requests: number;
    ok: number;
    resourceExhausted: number;
    /** Calls that ended any other way; the test asserts 0. */
    otherErrors: number;
    /** Peak resident set of the node processes (VmHWM), in MiB, largest first. */
    peakRssMiB: number[];
  };
  /** Faults injected and survived, each said in a few words. */
  faults?: string[];
  /** Hostile inputs tried. */
  inputs?: number;
  /** Acknowledged records missing or duplicated afterwards; the test asserts 0. */
  recordsLost: number;
  /** Anything else worth a column of its own in the detail list. */
  notes?: string;
}

/**
 * Appends one result as a JSON line, stamped with the time, the Node version and the
 * machine, so that the report says where the figures came from.
 */
export function record(result: ReliabilityResult): void {
  mkdirSync(dirname(RESULTS_FILE), { recursive: true });
  const line = {
    ...result,
    at: new Date().toISOString(),
    node: process.version,
    machine: `${cpus().length} × ${cpus()[0]?.model.trim() ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GiB`,
  };
  appendFileSync(RESULTS_FILE, JSON.stringify(line) + "\n");
}

/**
 * The peak resident set (VmHWM) of a live process in MiB, read from /proc; `undefined` where
 * /proc is missing (not Linux) or the process has gone.
 */
export function peakRssMiB(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Math.round(Number(m[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}
