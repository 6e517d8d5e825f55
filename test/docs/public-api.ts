// Lists the public API of a package from its index with the TypeScript compiler API, and what
// each exported symbol's TSDoc says. Used by public-api.test.ts; kept apart so that a failing
// run can be reproduced by hand (`node --import tsx test/docs/public-api.ts`).
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

/** The repository root. */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The entry point of each package whose public API must be documented. */
export const PUBLIC_ENTRY_POINTS = {
  "@ipfed/sdk": "packages/sdk/src/index.ts",
  "@ipfed/node": "node/src/index.ts",
} as const;

/** One exported symbol of a package and the state of its documentation. */
export interface PublicSymbol {
  /** The package that exports it. */
  readonly pkg: string;
  /** The exported name. */
  readonly name: string;
  /** What it is: function, class, interface, type, const, enum. */
  readonly kind: string;
  /** Where it is declared, `path:line` relative to the repository root. */
  readonly where: string;
  /** Whether a TSDoc comment with a summary is attached. */
  readonly documented: boolean;
  /** Whether the comment has an `@example` block. */
  readonly hasExample: boolean;
}

/** The compiler options of the root tsconfig.json (the `@ipfed/source` condition included). */
export function rootCompilerOptions(): ts.CompilerOptions {
  const parsed = ts.getParsedCommandLineOfConfigFile(join(REPO_ROOT, "tsconfig.json"), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    },
  });
  if (!parsed) throw new Error("tsconfig.json could not be read");
  return { ...parsed.options, noEmit: true };
}

function kindOf(decl: ts.Declaration): string {
  if (ts.isFunctionDeclaration(decl)) return "function";
  if (ts.isClassDeclaration(decl)) return "class";
  if (ts.isInterfaceDeclaration(decl)) return "interface";
  if (ts.isTypeAliasDeclaration(decl)) return "type";
  if (ts.isEnumDeclaration(decl)) return "enum";
  if (ts.isVariableDeclaration(decl)) return "const";
  return ts.SyntaxKind[decl.kind];
}

/** The JSDoc blocks written right above a declaration (a variable's sit on its statement). */
function jsDocsOf(decl: ts.Declaration): ts.JSDoc[] {
  const host: ts.Node = ts.isVariableDeclaration(decl) ? decl.parent.parent : decl;
  return ((host as { jsDoc?: ts.JSDoc[] }).jsDoc ?? []).slice();
}

function commentText(comment: ts.JSDoc["comment"]): string {
  if (comment === undefined) return "";
  return typeof comment === "string" ? comment : comment.map((c) => c.text).join("");
}

/**
 * Every symbol exported by each entry point (package name → index file relative to the
 * repository root), with its documentation. Defaults to {@link PUBLIC_ENTRY_POINTS}.
 */
export function listPublicApi(entryPoints: Readonly<Record<string, string>> = PUBLIC_ENTRY_POINTS): PublicSymbol[] {
  const roots = Object.values(entryPoints).map((p) => join(REPO_ROOT, p));
  const program = ts.createProgram(roots, rootCompilerOptions());
  const checker = program.getTypeChecker();
  const out: PublicSymbol[] = [];
  for (const [pkg, entry] of Object.entries(entryPoints)) {
    const source = program.getSourceFile(join(REPO_ROOT, entry));
    const moduleSymbol = source && checker.getSymbolAtLocation(source);
    if (!moduleSymbol) throw new Error(`${entry}: not found or not a module`);
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      // A re-export of another package's type (`export type { Logger }` of pino) carries its
      // TSDoc on the export declaration: collect the comments along the alias chain too.
      const exportDocs: ts.JSDoc[] = [];
      let symbol = exported;
      while (symbol.flags & ts.SymbolFlags.Alias) {
        for (const d of symbol.declarations ?? []) {
          const statement = ts.isExportSpecifier(d) ? d.parent.parent : undefined;
          if (statement && d.getSourceFile().fileName !== source.fileName) exportDocs.push(...jsDocsOf(statement as unknown as ts.Declaration));
        }
        symbol = checker.getImmediateAliasedSymbol(symbol) ?? checker.getAliasedSymbol(symbol);
      }
      const decls = (symbol.declarations ?? []).filter((d) => !ts.isModuleDeclaration(d));
      const first = decls[0];
      if (!first) continue;
      // Overloads and declaration merging: documented when one declaration is.
      const docs = [...decls.flatMap(jsDocsOf), ...exportDocs];
      const file = first.getSourceFile();
      const line = file.getLineAndCharacterOfPosition(first.getStart()).line + 1;
      out.push({
        pkg,
        name: exported.name,
        kind: kindOf(first),
        where: `${relative(REPO_ROOT, file.fileName)}:${line}`,
        documented: docs.some((d) => commentText(d.comment).trim().length > 0),
        hasExample: docs.some((d) => (d.tags ?? []).some((t) => t.tagName.text === "example")),
      });
    }
  }
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const s of listPublicApi()) {
    if (!s.documented || !s.hasExample) {
      console.log(`${s.pkg} ${s.name} (${s.kind}) ${s.where}: ${s.documented ? "" : "no TSDoc; "}${s.hasExample ? "" : "no @example"}`);
    }
  }
}
