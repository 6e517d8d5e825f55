// A TypeDoc plugin for `pnpm run docs` (loaded by typedoc.json):
// - names each entry point's module after its package (`@ipfed/sdk`, not `packages/sdk/src`);
// - treats the members of a documented constant's object literal (the tables ERROR_CODES,
//   QUERY_FIELDS, DEFAULT_RETRY...) as documented by the constant as a whole, so that the
//   "every symbol is documented" validation asks for TSDoc on symbols, not on table rows.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Comment, Converter, ReflectionKind, ReflectionType } from "typedoc";

/** @param {string} file */
function packageNameOf(file) {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      return JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).name;
    } catch {
      // no package.json here: look further up
    }
  }
  return undefined;
}

/**
 * @param {import("typedoc").DeclarationReflection} reflection
 * @param {string} owner
 */
function markTableRows(reflection, owner) {
  if (!(reflection.type instanceof ReflectionType)) return;
  for (const row of reflection.type.declaration.children ?? []) {
    if (!row.hasComment()) {
      row.comment = new Comment([{ kind: "text", text: `An entry of \`${owner}\`.` }]);
    }
    markTableRows(row, owner);
  }
}

/** @param {import("typedoc").Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_END, (context) => {
    const project = context.project;
    for (const module of project.getChildrenByKind(ReflectionKind.Module)) {
      const file = module.sources?.[0]?.fullFileName;
      const name = file ? packageNameOf(file) : undefined;
      if (name) module.name = name;
    }
    for (const variable of project.getReflectionsByKind(ReflectionKind.Variable)) {
      if (variable.hasComment()) markTableRows(/** @type {any} */ (variable), variable.name);
    }
  });
}
