// Reads the fenced code blocks of the project's Markdown documents, for the tests that keep
// them true: TypeScript blocks are type-checked, shell blocks are checked against the CLI.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { REPO_ROOT } from "./public-api.js";

/** A fenced code block of a Markdown file. */
export interface CodeBlock {
  /** The file, relative to the repository root (`docs/guides/institution.md`). */
  readonly file: string;
  /** The 1-based line of the opening fence. */
  readonly line: number;
  /** The fence's language (`ts`, `sh`), lower case; empty when none. */
  readonly lang: string;
  /** The words after the language (`nocompile`). */
  readonly flags: readonly string[];
  /** The block's text, without the fences. */
  readonly code: string;
}

/** The documents whose code blocks are checked: README.md and every Markdown file under docs/ (not docs/api). */
export function documentFiles(): string[] {
  const files = ["README.md"];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(join(REPO_ROOT, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (path !== "docs/api") walk(path);
      } else if (entry.name.endsWith(".md")) {
        files.push(path);
      }
    }
  };
  walk("docs");
  return files.sort();
}

/** Every fenced block of a Markdown file (``` or ~~~ fences; an unclosed fence runs to the end). */
export function codeBlocks(file: string): CodeBlock[] {
  const lines = readFileSync(join(REPO_ROOT, file), "utf8").split("\n");
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)\s*(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const fence = open[2]!;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !lines[i]!.trimStart().startsWith(fence); i++) body.push(lines[i]!);
    blocks.push({
      file: relative(REPO_ROOT, join(REPO_ROOT, file)),
      line: start + 1,
      lang: open[3]!.toLowerCase(),
      flags: open[4]!.split(/\s+/).filter(Boolean),
      code: body.join("\n"),
    });
  }
  return blocks;
}

/** One simple command of a shell block, with where it is written. */
export interface ShellCommand {
  readonly file: string;
  /** The 1-based line of the command in the Markdown file. */
  readonly line: number;
  /** The command's words, environment assignments removed (`["pnpm", "ipfed", "node", "init", ...]`). */
  readonly words: readonly string[];
}

/** Splits a shell line into words, honouring single and double quotes (enough for documentation). */
export function shellWords(text: string): string[] {
  const words: string[] = [];
  let word = "";
  let quote: string | undefined;
  let inWord = false;
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else word += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/**
 * The simple commands of a shell block: continuation lines joined, comments dropped, lists
 * (`&&`, `||`, `;`, `|`) split, leading `VAR=value` assignments removed.
 */
export function shellCommands(block: CodeBlock): ShellCommand[] {
  const out: ShellCommand[] = [];
  const lines = block.code.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = block.line + 1 + i;
    let text = lines[i]!;
    while (text.trimEnd().endsWith("\\") && i + 1 < lines.length) text = text.trimEnd().slice(0, -1) + " " + lines[++i];
    const words = shellWords(text);
    const hash = words.findIndex((w) => w.startsWith("#"));
    const kept = hash === -1 ? words : words.slice(0, hash);
    let current: string[] = [];
    const flush = (): void => {
      while (current.length > 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(current[0]!)) current.shift();
      if (current.length > 0) out.push({ file: block.file, line, words: current });
      current = [];
    };
    for (const w of kept) {
      if (w === "&&" || w === "||" || w === ";" || w === "|") flush();
      else current.push(w.endsWith(";") ? w.slice(0, -1) : w);
    }
    flush();
  }
  return out;
}
