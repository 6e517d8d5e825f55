import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { basename } from "node:path";
import { createGunzip } from "node:zlib";
import { IpfedError } from "@ipfed/sdk";
import type { ImportFormat } from "./import-item.js";

const GZIP_MAGIC = [0x1f, 0x8b];

async function head(path: string, n: number): Promise<Buffer> {
  let fh;
  try {
    fh = await open(path, "r");
  } catch (err) {
    throw new IpfedError("IMPORT_IO_ERROR", `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err, metadata: { file: path } });
  }
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/**
 * Reads a file as a stream of chunks, decompressing gzip (recognised by its magic bytes, not
 * its name). A read error or a truncated gzip stream ends the stream with IMPORT_IO_ERROR
 * naming the file; the chunks before it have been delivered.
 */
export async function* readInput(path: string): AsyncGenerator<Buffer> {
  const first = await head(path, 2);
  const gz = first[0] === GZIP_MAGIC[0] && first[1] === GZIP_MAGIC[1];
  const raw = createReadStream(path, { highWaterMark: 256 * 1024 });
  const stream = gz ? raw.pipe(createGunzip()) : raw;
  if (gz) raw.on("error", (err) => stream.destroy(err));
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) yield chunk;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = gz && (e.code === "Z_BUF_ERROR" || /unexpected end/i.test(e.message)) ? "the gzip stream is truncated (unexpected end of file)" : gz && e.code?.startsWith("Z_") ? `the gzip stream is corrupt (${e.message})` : e.message;
    throw new IpfedError("IMPORT_IO_ERROR", `${path}: ${why}`, { cause: err, metadata: { file: path } });
  } finally {
    raw.destroy();
  }
}

/**
 * Infers a file's format from its name (`.jsonl`, `.ndjson`, `.csv`, `.xml`, each optionally
 * `.gz`) or, failing that, from its first bytes.
 */
export async function detectFormat(path: string): Promise<ImportFormat> {
  const name = basename(path).toLowerCase().replace(/\.gz$/, "");
  if (name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json")) return "jsonl";
  if (name.endsWith(".csv")) return "csv";
  if (name.endsWith(".xml")) return "uspto-xml";
  let text = "";
  for await (const chunk of readInput(path)) {
    text += chunk.toString("utf8");
    if (text.length >= 4096) break;
  }
  const t = text.trimStart();
  if (t.startsWith("<?xml") || t.startsWith("<us-patent-grant")) return "uspto-xml";
  if (t.startsWith("{")) return "jsonl";
  throw new IpfedError("IMPORT_FORMAT_UNKNOWN", `cannot tell the format of ${path} from its name or content; pass --format jsonl|csv|uspto-xml`, {
    metadata: { file: path },
  });
}

// Fatal, so that bytes which are not UTF-8 are reported rather than silently turned into U+FFFD.
const utf8 = new TextDecoder("utf-8", { fatal: true });

/** A line's text, or `undefined` when its bytes are not valid UTF-8. */
function decodeLine(buf: Buffer): string | undefined {
  let text: string;
  try {
    text = utf8.decode(buf);
  } catch {
    return undefined;
  }
  return text.endsWith("\r") ? text.slice(0, -1) : text;
}

/**
 * Splits a chunk stream into lines (LF or CRLF), with 1-based line numbers. A line longer
 * than `maxLineBytes` is reported instead of being held in memory; a line whose bytes are
 * not valid UTF-8 is reported with `notUtf8` and an empty text.
 */
export async function* readLines(chunks: AsyncIterable<Buffer>, maxLineBytes = 64 * 1024 * 1024): AsyncGenerator<{ line: number; text: string; tooLong?: boolean; notUtf8?: boolean }> {
  let rest: Buffer[] = [];
  let restLen = 0;
  let line = 0;
  let skipping = false;
  for await (const chunk of chunks) {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl < 0) break;
      line += 1;
      const piece = chunk.subarray(start, nl);
      if (skipping) {
        skipping = false;
        yield { line, text: "", tooLong: true };
      } else {
        const buf = restLen ? Buffer.concat([...rest, piece]) : piece;
        rest = [];
        restLen = 0;
        const text = decodeLine(buf);
        yield text === undefined ? { line, text: "", notUtf8: true } : { line, text };
      }
      start = nl + 1;
    }
    if (start < chunk.length && !skipping) {
      rest.push(chunk.subarray(start));
      restLen += chunk.length - start;
      if (restLen > maxLineBytes) {
        rest = [];
        restLen = 0;
        skipping = true;
      }
    }
  }
  if (skipping) yield { line: line + 1, text: "", tooLong: true };
  else if (restLen) {
    const text = decodeLine(Buffer.concat(rest));
    yield text === undefined ? { line: line + 1, text: "", notUtf8: true } : { line: line + 1, text };
  }
}
