import { randomUUID } from "node:crypto";
import { mkdir, readFile, readdir, rename, stat, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { IpfedError, isErrorCode } from "@ipfed/sdk";
import { SILENT_LOGGER } from "../network-trust.js";
import type { FederationLogger } from "../network-trust.js";
import { parseAdminRequest } from "./admin-actions.js";
import type { AdminRequest, AdminResult } from "./admin-actions.js";

/** Folder of the admin inbox inside a hub's data directory. */
export const ADMIN_DIR = "admin";

/**
 * Where requests and results go. One file per request, written to a temporary name and
 * renamed into place, rather than appended lines: a reader never sees half a request, and no
 * one has to remember how far a shared file was read.
 */
export function adminPaths(dir: string): { inbox: string; outbox: string } {
  return { inbox: join(dir, ADMIN_DIR, "inbox"), outbox: join(dir, ADMIN_DIR, "outbox") };
}

interface ResultFile {
  readonly id: string;
  readonly ok: boolean;
  readonly result?: AdminResult;
  readonly error?: { readonly code: string; readonly message: string; readonly field?: string };
}

/** Dependencies and settings of an {@link AdminInbox}. */
export interface AdminInboxInit {
  /** The hub's data directory. */
  readonly dir: string;
  /** Carries out one request (`applyAdminRequest` on the hub's registry). */
  readonly apply: (request: AdminRequest) => Promise<AdminResult>;
  /** How often to look for requests, ms. @defaultValue 250 */
  readonly intervalMs?: number;
  /** Logger. @defaultValue silent */
  readonly logger?: FederationLogger;
}

/**
 * The running hub's end of the admin path. While the hub runs it holds the LevelDB lock, so
 * `ipfed members …` cannot open the registry; it drops a request file into
 * `<dir>/admin/inbox/` instead, and the hub answers in `<dir>/admin/outbox/` within a second.
 * Only the hub's operator can write there: the folders are created with mode 700, and the
 * hub ignores an inbox that others may write to.
 *
 * @example
 * ```ts
 * const inbox = new AdminInbox({ dir, apply: (req) => applyAdminRequest(registry, req), logger });
 * await inbox.start();
 * ```
 */
export class AdminInbox {
  readonly #init: AdminInboxInit;
  readonly #log: FederationLogger;
  #timer: NodeJS.Timeout | undefined;
  #busy = false;
  #warned = false;

  constructor(init: AdminInboxInit) {
    this.#init = init;
    this.#log = init.logger ?? SILENT_LOGGER;
  }

  /** Creates the folders and starts watching. Idempotent. */
  async start(): Promise<void> {
    if (this.#timer) return;
    await ensureDirs(this.#init.dir);
    this.#timer = setInterval(() => void this.processOnce().catch((err: unknown) => this.#log.error({ err }, "admin inbox failed")), this.#init.intervalMs ?? 250);
    this.#timer.unref();
  }

  /** Stops watching. */
  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Answers every request waiting in the inbox; returns how many. */
  async processOnce(): Promise<number> {
    if (this.#busy) return 0;
    this.#busy = true;
    try {
      const { inbox, outbox } = adminPaths(this.#init.dir);
      const mode = (await stat(inbox)).mode;
      if ((mode & 0o022) !== 0) {
        if (!this.#warned) this.#log.error({ inbox }, `ignoring the admin inbox: others may write to it (run chmod 700 ${inbox})`);
        this.#warned = true;
        return 0;
      }
      const names = (await readdir(inbox)).filter((n) => n.endsWith(".json")).sort();
      for (const name of names) {
        const file = join(inbox, name);
        const id = name.slice(0, -".json".length);
        let text: string;
        try {
          text = await readFile(file, "utf8");
          await unlink(file);
        } catch {
          continue;
        }
        const answer = await this.#answer(id, text);
        await writeAtomically(join(outbox, name), JSON.stringify(answer));
      }
      await dropStale(outbox);
      return names.length;
    } finally {
      this.#busy = false;
    }
  }

  async #answer(id: string, text: string): Promise<ResultFile> {
    try {
      const request = parseAdminRequest((JSON.parse(text) as { request?: unknown }).request);
      const result = await this.#init.apply(request);
      this.#log.info({ id, action: request.action }, "admin request done");
      return { id, ok: true, result };
    } catch (err) {
      const e = IpfedError.from(err, "INVALID_ARGUMENT");
      return { id, ok: false, error: { code: e.code, message: e.message, ...(e.field !== undefined ? { field: e.field } : {}) } };
    }
  }
}

/**
 * Hands a request to the running hub through its inbox and waits for the answer.
 *
 * @throws IpfedError the hub's error for the request, or `UNAVAILABLE` when no hub answered in time.
 */
export async function submitAdminRequest(dir: string, request: AdminRequest, o: { timeoutMs?: number; pickupMs?: number; pollMs?: number } = {}): Promise<AdminResult> {
  await ensureDirs(dir);
  const { inbox, outbox } = adminPaths(dir);
  const id = `${Date.now().toString(36)}-${randomUUID()}`;
  const requestFile = join(inbox, `${id}.json`);
  const resultFile = join(outbox, `${id}.json`);
  await writeAtomically(requestFile, JSON.stringify({ id, time: new Date().toISOString(), request }));
  const timeoutMs = o.timeoutMs ?? 10_000;
  const deadline = Date.now() + timeoutMs;
  // A running node takes a request within a second; one not taken by then has no node to
  // answer it (the lock may be an import's), however long the answer itself may take.
  const pickupBy = Date.now() + Math.min(o.pickupMs ?? 10_000, timeoutMs);
  let pickedUp = false;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, o.pollMs ?? 100));
    if (!pickedUp) {
      pickedUp = !(await stat(requestFile).then(() => true, () => false));
      if (!pickedUp && Date.now() > pickupBy) break;
    }
    let text: string;
    try {
      text = await readFile(resultFile, "utf8");
    } catch {
      continue;
    }
    await unlink(resultFile).catch(() => undefined);
    const answer = JSON.parse(text) as ResultFile;
    if (answer.ok && answer.result) return answer.result;
    const code = answer.error && isErrorCode(answer.error.code) ? answer.error.code : "INTERNAL";
    throw new IpfedError(code, answer.error?.message ?? "the hub failed the request", answer.error?.field ? { field: answer.error.field } : {});
  }
  // Withdraw the request, so that a hub that comes back later does not act on it unasked.
  const withdrawn = await unlink(requestFile).then(() => true, () => false);
  throw new IpfedError(
    "UNAVAILABLE",
    withdrawn
      ? `the store in ${dir} is locked but no running node answered the request; is the node running (ipfed node start --dir ${dir})?`
      : "the node took the request but did not answer in time; check its log",
  );
}

async function ensureDirs(dir: string): Promise<void> {
  const { inbox, outbox } = adminPaths(dir);
  await mkdir(inbox, { recursive: true, mode: 0o700 });
  await mkdir(outbox, { recursive: true, mode: 0o700 });
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text + "\n", { mode: 0o600 });
  await rename(tmp, file);
}

/** Removes answers nobody collected (a CLI that gave up) after an hour. */
async function dropStale(outbox: string): Promise<void> {
  const cutoff = Date.now() - 3_600_000;
  for (const name of await readdir(outbox)) {
    const file = join(outbox, name);
    const s = await stat(file).catch(() => undefined);
    if (s && s.mtimeMs < cutoff) await unlink(file).catch(() => undefined);
  }
}
