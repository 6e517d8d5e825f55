import type { Record } from "@ipfed/proto";
import type { ErrorCode } from "@ipfed/sdk";

/** Where an input item came from: a file and a line (text formats) or a document (XML). */
export interface ItemPlace {
  readonly file: string;
  /** 1-based line. */
  readonly line?: number;
  /** 1-based document index in a file of concatenated documents. */
  readonly document?: number;
}

/** One item read from an input file: a record, or why there is none. */
export type ImportItem =
  | { readonly ok: true; readonly record: Record; readonly place: ItemPlace; readonly skipped?: readonly string[] }
  | { readonly ok: false; readonly place: ItemPlace; readonly code: ErrorCode; readonly field?: string; readonly reason: string };

/** Input formats `ipfed import` reads. */
export const IMPORT_FORMATS = ["jsonl", "csv", "uspto-xml"] as const;
/** An input format. */
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** Formats a place as `file:line` or `file#document`. */
export function formatPlace(p: ItemPlace): string {
  if (p.line !== undefined && p.document !== undefined) return `${p.file}#${p.document} (line ${p.line})`;
  if (p.line !== undefined) return `${p.file}:${p.line}`;
  if (p.document !== undefined) return `${p.file}#${p.document}`;
  return p.file;
}
