// Prints the `ipfed` command tree as JSON (`{ "node": { "init": {}, ... }, "search": {} }`),
// built by the CLI's own `buildProgram`, for the test that checks the commands named in docs.
// Run: node --conditions @ipfed/source --import tsx test/docs/cli-tree.ts
import type { buildProgram as BuildProgram } from "../../node/src/cli/main.js";

type Command = ReturnType<typeof BuildProgram>;

// Importing main.ts also runs the CLI once, on these arguments: `--help` only prints the help,
// which is swallowed here so that stdout carries the JSON alone.
process.argv = [process.execPath, "ipfed", "--help"];
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (() => true) as typeof process.stdout.write;
const { buildProgram } = await import("../../node/src/cli/main.js");
process.stdout.write = write;
process.exitCode = 0;

type Tree = { [name: string]: Tree };
const tree = (cmd: Command): Tree =>
  Object.fromEntries(cmd.commands.filter((c) => c.name() !== "help").map((c) => [c.name(), tree(c)]));
process.stdout.write(JSON.stringify(tree(buildProgram())) + "\n");
