import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { pipeline } from "node:stream/promises";
import { createGunzip, createGzip } from "node:zlib";
import { Level } from "level";
import { IpfedError } from "@ipfed/sdk";
import { STORE_DIR } from "../store/node-store.js";
import { decodeFrames, FrameEncoder, FrameType } from "./backup-format.js";
import type { BackupHeader } from "./backup-format.js";

/** What a backup or a restore did. */
export interface BackupSummary {
  /** The backup file. */
  readonly file: string;
  /** The member whose node it holds. */
  readonly memberId: string;
  /** Key/value pairs of the store. */
  readonly entries: number;
  /** Other files of the node (configuration, keys, audit log, import summaries). */
  readonly files: number;
  /** Size of the backup file in bytes. */
  readonly bytes: number;
  /** When the snapshot was taken. */
  readonly created: string;
  /** `serving`: the running node took it; `stopped`: taken from a stopped node's store. */
  readonly taken: "serving" | "stopped";
  /** Milliseconds the backup or restore took. */
  readonly ms: number;
}

/** The store's LevelDB, as much of it as a backup reads and a restore writes. */
export type RawLevel = Level<string, Uint8Array>;

/** Folders of a node's data directory that a backup leaves out: the store (copied as entries) and the admin inbox. */
const SKIPPED_DIRS = new Set([STORE_DIR, "admin"]);

/** Files that hold secrets, restored with mode 600. */
const SECRET_FILES = new Set(["keys.json", "p2p-key.json"]);

/**
 * Writes a consistent snapshot of a node to `out`: every key of the store read through one
 * LevelDB iterator (which reads from a snapshot taken when it is created, so writes that land
 * meanwhile are either wholly in or wholly out), then the node's other files — configuration,
 * keys, revocations, import summaries, and the audit log up to its last complete line. The
 * file is written under a temporary name and renamed when complete, so `out` is never half a
 * backup.
 *
 * @example
 * ```ts
 * const s = await writeBackup({ dir: "/var/lib/ipfed", db, memberId: "sc-regional", kind: "regional", out: "/backups/sc.ipfedbak", taken: "serving" });
 * console.log(`${s.entries} entries, ${s.bytes} bytes`);
 * ```
 */
export async function writeBackup(o: { dir: string; db: RawLevel; memberId: string; kind: string; out: string; taken: "serving" | "stopped" }): Promise<BackupSummary> {
  const started = Date.now();
  const out = resolve(o.out);
  const tmp = `${out}.${process.pid}.tmp`;
  await mkdir(dirname(out), { recursive: true });
  const header: BackupHeader = { format: 1, memberId: o.memberId, kind: o.kind, created: new Date().toISOString(), taken: o.taken };
  let entries = 0;
  let files = 0;
  const enc = new FrameEncoder();
  // The iterator is created before anything else is read, so the store's part of the backup
  // is the state at this instant.
  const it = o.db.iterator({ keyEncoding: "view", valueEncoding: "view" });
  async function* frames(): AsyncGenerator<Buffer> {
    yield enc.magic();
    yield enc.frame(FrameType.header, Buffer.from("header"), Buffer.from(JSON.stringify(header)));
    try {
      for (;;) {
        const batch = (await it.nextv(1000)) as unknown as [Uint8Array, Uint8Array][];
        if (batch.length === 0) break;
        const parts: Buffer[] = [];
        for (const [k, v] of batch) {
          parts.push(enc.frame(FrameType.entry, k, v));
          entries += 1;
        }
        yield Buffer.concat(parts);
      }
    } finally {
      await it.close();
    }
    for (const path of await nodeFiles(o.dir)) {
      let data = await readFile(join(o.dir, path));
      // The audit log is appended to while the node serves: keep whole lines only.
      if (path.endsWith(".jsonl")) {
        const end = data.lastIndexOf(0x0a);
        data = data.subarray(0, end + 1);
      }
      files += 1;
      yield enc.frame(FrameType.file, Buffer.from(path.split(sep).join("/")), data);
    }
    yield enc.end(entries, files);
  }
  try {
    await pipeline(frames(), createGzip({ level: 6 }), createWriteStream(tmp, { mode: 0o600 }));
    await rename(tmp, out);
  } catch (err) {
    await rm(tmp, { force: true });
    throw IpfedError.from(err, "INTERNAL");
  }
  const bytes = (await stat(out)).size;
  return { file: out, memberId: o.memberId, entries, files, bytes, created: header.created, taken: o.taken, ms: Date.now() - started };
}

/**
 * Checks a backup file from end to end without writing anything: magic, every frame, and the
 * digest of the whole. Returns its header and counts.
 *
 * @throws IpfedError `BACKUP_INVALID` (with the byte offset) for a damaged, truncated or foreign file,
 *   `NOT_FOUND` when the file does not exist.
 * @example
 * ```ts
 * const { header, entries } = await verifyBackup("/backups/sc.ipfedbak");
 * ```
 */
export async function verifyBackup(file: string): Promise<{ header: BackupHeader; entries: number; files: number }> {
  let header: BackupHeader | undefined;
  let entries = 0;
  let files = 0;
  for await (const frame of readFrames(file)) {
    if (frame.type === "header") header = frame.header;
    else if (frame.type === "entry") entries += 1;
    else if (frame.type === "file") files += 1;
    else if (frame.trailer.entries !== entries || frame.trailer.files !== files) {
      throw new IpfedError("BACKUP_INVALID", `${file}: the end frame counts ${frame.trailer.entries} entries and ${frame.trailer.files} files, the backup holds ${entries} and ${files}`);
    }
  }
  return { header: header!, entries, files };
}

/**
 * Restores a node's data directory from a backup. The whole file is verified first; then the
 * node is rebuilt in a sibling directory and renamed into place, so a crash or a bad file never
 * leaves a half-restored node. An existing node in `dir` is refused unless `force` is set, in
 * which case it is kept beside as `<dir>.before-restore-<time>`.
 *
 * @throws IpfedError `BACKUP_INVALID` for a damaged file, `FAILED_PRECONDITION` when `dir` holds a node and
 *   `force` is not set, `STORE_LOCKED` when that node is running.
 * @example
 * ```ts
 * await restoreBackup({ file: "/backups/sc.ipfedbak", dir: "/var/lib/ipfed" });
 * ```
 */
export async function restoreBackup(o: { file: string; dir: string; force?: boolean }): Promise<BackupSummary & { previous?: string }> {
  const started = Date.now();
  const file = resolve(o.file);
  const dir = resolve(o.dir);
  await stat(file).catch((err: unknown) => {
    throw new IpfedError("NOT_FOUND", `no backup file ${file}`, { cause: err });
  });
  const checked = await verifyBackup(file);
  const existing = await readdir(dir).catch(() => [] as string[]);
  if (existing.length > 0) {
    if (!o.force) {
      throw new IpfedError(
        "FAILED_PRECONDITION",
        `${dir} is not empty${existing.includes("ipfed.json") ? " (it holds a node)" : ""}: restore into a new directory, or pass --force to keep the current one beside as ${basename(dir)}.before-restore-…`,
      );
    }
    await assertNotRunning(dir);
  }
  const staging = `${dir}.restoring-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(join(staging, STORE_DIR), { recursive: true, mode: 0o700 });
  const db = new Level<string, Uint8Array>(join(staging, STORE_DIR), { valueEncoding: "view" });
  await db.open();
  try {
    let batch = db.batch();
    for await (const frame of readFrames(file)) {
      if (frame.type === "entry") {
        batch.put(frame.key as unknown as string, frame.value, { keyEncoding: "view", valueEncoding: "view" });
        if (batch.length >= 2000) {
          await batch.write();
          batch = db.batch();
        }
      } else if (frame.type === "file") {
        const target = join(staging, ...frame.path.split("/"));
        await mkdir(dirname(target), { recursive: true, mode: 0o700 });
        await writeFile(target, frame.data, { mode: SECRET_FILES.has(basename(target)) ? 0o600 : 0o644 });
      }
    }
    if (batch.length > 0) await batch.write();
    else await batch.close();
  } catch (err) {
    await db.close().catch(() => undefined);
    await rm(staging, { recursive: true, force: true });
    throw err;
  }
  await db.close();
  let previous: string | undefined;
  if (existing.length > 0) {
    previous = `${dir}.before-restore-${new Date().toISOString().replace(/[:.]/g, "-")}`;
    await rename(dir, previous);
  } else {
    await rm(dir, { recursive: true, force: true });
  }
  await mkdir(dirname(dir), { recursive: true });
  await rename(staging, dir);
  const bytes = (await stat(file)).size;
  return {
    file,
    memberId: checked.header.memberId,
    entries: checked.entries,
    files: checked.files,
    bytes,
    created: checked.header.created,
    taken: checked.header.taken,
    ms: Date.now() - started,
    ...(previous ? { previous } : {}),
  };
}

function readFrames(file: string): ReturnType<typeof decodeFrames> {
  const gunzip = createGunzip();
  const input = createReadStream(file);
  input.on("error", (err) => gunzip.destroy(err));
  input.pipe(gunzip);
  const source = (async function* () {
    try {
      for await (const chunk of gunzip) yield chunk as Buffer;
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code === "Z_BUF_ERROR" || e.code === "Z_DATA_ERROR" || e.code === "ERR_STREAM_PREMATURE_CLOSE") {
        throw new IpfedError("BACKUP_INVALID", `${file}: the compressed stream is damaged or truncated (${e.message})`, { cause: err });
      }
      throw err;
    }
  })();
  return decodeFrames(source, file);
}

/** The node's files other than the store, as paths relative to `dir`, in a stable order. */
async function nodeFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (at: string): Promise<void> => {
    const names = (await readdir(at, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const d of names) {
      const full = join(at, d.name);
      const rel = relative(dir, full);
      if (d.isDirectory()) {
        if (at === dir && SKIPPED_DIRS.has(d.name)) continue;
        await walk(full);
      } else if (d.isFile() && !d.name.endsWith(".tmp")) {
        out.push(rel);
      }
    }
  };
  await walk(dir);
  return out;
}

async function assertNotRunning(dir: string): Promise<void> {
  const db = new Level<string, Uint8Array>(join(dir, STORE_DIR), { valueEncoding: "view" });
  try {
    await db.open({ createIfMissing: false });
  } catch (err) {
    const e = err as { code?: string; cause?: { code?: string } };
    if ((e.cause?.code ?? e.code) === "LEVEL_LOCKED") {
      throw new IpfedError("STORE_LOCKED", `the node in ${dir} is running: stop it before restoring over it`, { cause: err });
    }
    return; // no store, or a damaged one: being replaced is what a restore is for
  }
  await db.close();
}
