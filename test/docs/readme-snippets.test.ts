// The code in README.md and docs/**/*.md stays true: every ```ts block type-checks against the
// workspace packages (from source, with the root tsconfig), and every shell command names an
// existing pnpm script, `ipfed` command or file. A block that is an illustrative fragment on
// purpose says so in its fence: ```ts nocompile.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { codeBlocks, documentFiles, shellCommands } from "./markdown-blocks.js";
import type { CodeBlock, ShellCommand } from "./markdown-blocks.js";
import { REPO_ROOT, rootCompilerOptions } from "./public-api.js";

const TS_LANGS = new Set(["ts", "typescript"]);
const SH_LANGS = new Set(["sh", "bash", "shell", "console"]);
const blocks = documentFiles().flatMap(codeBlocks);

/**
 * Type-checks TypeScript blocks as modules of their own. Each is a virtual file under
 * test/docs/snippets/ (in the repository tree, so `@ipfed/*` resolves through test/node_modules
 * with the `@ipfed/source` condition, as a user's code in the workspace would); nothing is
 * written to disk. Returns one message per diagnostic, `file.md:line: message`.
 */
function typeCheck(snippets: readonly CodeBlock[]): string[] {
  const options = rootCompilerOptions();
  const files = new Map<string, CodeBlock>();
  snippets.forEach((b, i) => files.set(join(REPO_ROOT, "test/docs/snippets", `snippet-${i}.ts`), b));
  const host = ts.createCompilerHost(options, true);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, languageVersion, onError, shouldCreate) => {
    const block = files.get(name);
    // `export {}` makes a block without imports a module too (top-level await, own scope).
    if (block) return ts.createSourceFile(name, `${block.code}\nexport {};\n`, languageVersion, true);
    return getSourceFile(name, languageVersion, onError, shouldCreate);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => files.has(name) || fileExists(name);
  const program = ts.createProgram([...files.keys()], options, host);
  const problems: string[] = [];
  for (const [name, block] of files) {
    const source = program.getSourceFile(name)!;
    for (const d of [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]) {
      const line = d.start === undefined ? 0 : source.getLineAndCharacterOfPosition(d.start).line;
      problems.push(`${block.file}:${block.line + 1 + line}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`);
    }
  }
  return problems;
}

/** The `ipfed` command tree, from the CLI's own `buildProgram` (see cli-tree.ts). */
type CommandTree = { [name: string]: CommandTree };

async function ipfedCommandTree(): Promise<CommandTree> {
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, ["--conditions", "@ipfed/source", "--import", "tsx", "test/docs/cli-tree.ts"], {
      cwd: REPO_ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolve(stdout) : reject(new Error(`cli-tree.ts exited ${code}: ${stderr}`))));
  });
  return JSON.parse(out) as CommandTree;
}

const ROOT_SCRIPTS = Object.keys((JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { scripts: object }).scripts);
// pnpm 12's own commands (`pnpm --help`) and their aliases: `pnpm X` runs the command, not a
// script named X. Only the ones in SCRIPT_RUNNERS run the script of the same name.
const PNPM_COMMANDS = new Set(
  (
    "access init recursive multi m add install i install-test it update up upgrade outdated audit change version lane bugs issues " +
    "list ls ll la licenses licences why view info show v sbom whoami deprecate undeprecate unpublish star unstar stars " +
    "dist-tag dist-tags ping doctor search s se find rebuild rb pack publish stage remove rm uninstall un uni patch " +
    "patch-commit patch-remove peers set-script test t run pipeline exec dlx create completion start stop restart " +
    "find-hash runtime env shim bin clean purge ci root prefix config get set pkg pack-app store cache cat-file cat-index " +
    "ignored-builds approve-builds link import dedupe deploy prune fetch unlink docs repo self-update setup login team " +
    "owner logout with edit profile token xmas help"
  ).split(" "),
);
const SCRIPT_RUNNERS = new Set(["test", "t", "start", "stop", "restart"]);

/** Workspace packages by name, with their scripts (for `pnpm --filter NAME SCRIPT`). */
function workspacePackages(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const dir of ["packages", "examples", "node", "bench", "test"]) {
    const candidates = existsSync(join(REPO_ROOT, dir, "package.json"))
      ? [join(REPO_ROOT, dir, "package.json")]
      : ts.sys.readDirectory(join(REPO_ROOT, dir), [".json"], ["**/node_modules"], ["*/package.json"]);
    for (const file of candidates) {
      const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: string; scripts?: object };
      if (pkg.name) found.set(pkg.name, Object.keys(pkg.scripts ?? {}));
    }
  }
  return found;
}

/**
 * What is wrong with one shell command, or undefined: a pnpm script, workspace package, file or
 * `ipfed` command (checked against `commands`) that does not exist.
 */
function checkCommand(cmd: ShellCommand, commands: CommandTree, scripts: readonly string[] = ROOT_SCRIPTS): string | undefined {
  const [head, ...args] = cmd.words;
  const where = `${cmd.file}:${cmd.line}: \`${cmd.words.join(" ")}\``;
  if (head === "node") {
    const script = args.find((a) => /\.(ts|js|mjs)$/.test(a) && !a.startsWith("-"));
    if (script && !existsSync(join(REPO_ROOT, script))) return `${where}: ${script} does not exist`;
    if (script !== "node/bin/ipfed.js") return undefined;
    return checkIpfed(args.slice(args.indexOf(script) + 1), where, commands);
  }
  if (head !== "pnpm") return undefined;
  if (args[0] === "--filter" || args[0] === "-F") {
    const own = workspacePackages().get(args[1] ?? "");
    if (!own) return `${where}: no workspace package named ${args[1]}`;
    const script = args[2] === "run" ? args[3] : args[2];
    if (script && (args[2] === "run" || !PNPM_COMMANDS.has(script) || SCRIPT_RUNNERS.has(script)) && !own.includes(script)) {
      return `${where}: ${args[1]} has no script "${script}"`;
    }
    return undefined;
  }
  const run = args[0] === "run";
  const script = run ? args[1] : args[0];
  if (script === undefined || script.startsWith("-")) return undefined;
  if (!run && PNPM_COMMANDS.has(script) && !SCRIPT_RUNNERS.has(script)) {
    // `pnpm docs` is pnpm's own command even when package.json has a "docs" script.
    return scripts.includes(script) ? `${where}: \`pnpm ${script}\` runs pnpm's own command, not the script: write \`pnpm run ${script}\`` : undefined;
  }
  if (!scripts.includes(script)) return `${where}: package.json has no script "${script}"`;
  if (script === "ipfed") return checkIpfed(args.slice(args.indexOf("ipfed") + 1), where, commands);
  return undefined;
}

function checkIpfed(args: readonly string[], where: string, commands: CommandTree): string | undefined {
  const path: string[] = [];
  let level = commands;
  for (const word of args) {
    const known = Object.keys(level);
    if (known.length === 0 || word.startsWith("-")) return undefined;
    if (!known.includes(word)) return `${where}: \`ipfed ${[...path, word].join(" ")}\` is not a command (known: ${known.join(", ")})`;
    path.push(word);
    level = level[word]!;
  }
  return undefined;
}

describe("documentation code blocks", () => {
  it("finds the blocks of README.md and docs/", () => {
    const files = new Set(blocks.map((b) => b.file));
    expect(files.has("README.md")).toBe(true);
    expect(blocks.filter((b) => TS_LANGS.has(b.lang)).length).toBeGreaterThan(0);
    expect(blocks.filter((b) => SH_LANGS.has(b.lang)).length).toBeGreaterThan(0);
  });

  it("type-checks every ```ts block (fragments are fenced ```ts nocompile)", () => {
    const snippets = blocks.filter((b) => TS_LANGS.has(b.lang) && !b.flags.includes("nocompile"));
    expect(snippets.map((b) => b.file)).toContain("README.md");
    expect(typeCheck(snippets)).toEqual([]);
  });

  it("catches a broken snippet, naming the Markdown file and line", () => {
    const broken: CodeBlock = {
      file: "docs/example.md",
      line: 10,
      lang: "ts",
      flags: [],
      code: 'import { createClient } from "@ipfed/sdk";\nconst c = createClient({ endpoint: 7400 });',
    };
    const problems = typeCheck([broken]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^docs\/example\.md:12: TS2322 /);
  });

  it("names only existing pnpm scripts, ipfed commands and files in shell blocks", async () => {
    const commands = blocks.filter((b) => SH_LANGS.has(b.lang)).flatMap(shellCommands);
    expect(commands.some((c) => c.words[0] === "pnpm" && c.words[1] === "ipfed")).toBe(true);
    const tree = await ipfedCommandTree();
    expect(Object.keys(tree)).toContain("node");
    const problems: string[] = [];
    for (const cmd of commands) {
      const problem = checkCommand(cmd, tree);
      if (problem) problems.push(problem);
    }
    expect(problems).toEqual([]);
    // The check itself rejects what does not exist.
    const fake = (words: string[]): ShellCommand => ({ file: "x.md", line: 1, words });
    expect(checkCommand(fake(["pnpm", "ipfed", "node", "launch", "--dir", "d"]), tree)).toMatch(/`ipfed node launch` is not a command/);
    expect(checkCommand(fake(["pnpm", "no-such-script"]), tree)).toMatch(/no script "no-such-script"/);
    expect(checkCommand(fake(["pnpm", "docs"]), tree, ["docs"])).toMatch(/runs pnpm's own command, not the script: write `pnpm run docs`/);
    expect(checkCommand(fake(["pnpm", "run", "docs"]), tree, ["docs"])).toBeUndefined();
    expect(checkCommand(fake(["pnpm", "--filter", "@ipfed/example-nothing", "start"]), tree)).toMatch(/no workspace package/);
    expect(checkCommand(fake(["node", "--import", "tsx", "packages/corpus/src/nope.ts"]), tree)).toMatch(/does not exist/);
  });
});
