#!/usr/bin/env node
// The `ipfed` command. In the workspace it runs the TypeScript sources through tsx, with the
// `@ipfed/source` export condition so that workspace packages resolve to their sources too;
// a published package (no src/) runs the compiled dist/.
import { existsSync } from "node:fs";
import { register } from "node:module";

const source = new URL("../src/cli/main.ts", import.meta.url);
if (existsSync(source)) {
  register("./source-conditions.js", import.meta.url);
  const { register: registerTsx } = await import("tsx/esm/api");
  registerTsx();
  await import(source.href);
} else {
  await import(new URL("../dist/cli/main.js", import.meta.url).href);
}
