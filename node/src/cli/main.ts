import "@ipfed/sdk/polyfills";
import { Command, CommanderError } from "commander";
import { EXIT } from "./exit-codes.js";
import { report, setDebug } from "./run.js";
import { nodeInitCommand } from "./commands/node-init.js";
import { nodeStartCommand } from "./commands/node-start.js";
import { importCommand } from "./commands/import.js";
import { nodeRotateKeyCommand } from "./commands/node-rotate-key.js";
import { nodeTlsCommand } from "./commands/node-tls.js";
import { nodeBackupCommand, nodeRestoreCommand } from "./commands/node-backup.js";
import { tokenCommand } from "./commands/token.js";
import { trustCommand } from "./commands/trust.js";
import { auditCommand } from "./commands/audit.js";
import { membersCommand } from "./commands/members.js";
import { catalogueCommand } from "./commands/catalogue.js";
import { servicesCommand } from "./commands/services.js";
import { exportCommand, getCommand, harvestCommand, searchCommand } from "./commands/query.js";
import { demoCommand } from "./commands/demo.js";

/** Builds the `ipfed` command tree. */
export function buildProgram(): Command {
  const program = new Command("ipfed")
    .description("ipfed: reference node and tools of the federated intellectual-property network")
    .option("--debug", "print stack traces with errors")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride()
    .hook("preAction", (cmd) => setDebug(Boolean(cmd.optsWithGlobals().debug)));
  const node = new Command("node").description("create and run a node").addCommand(nodeInitCommand()).addCommand(nodeStartCommand()).addCommand(nodeRotateKeyCommand())
    .addCommand(nodeTlsCommand())
    .addCommand(nodeBackupCommand())
    .addCommand(nodeRestoreCommand());
  program.addCommand(node);
  for (const c of [
    importCommand(),
    catalogueCommand(),
    servicesCommand(),
    searchCommand(),
    getCommand(),
    exportCommand(),
    harvestCommand(),
    tokenCommand(),
    trustCommand(),
    auditCommand(),
    membersCommand(),
    demoCommand(),
  ]) {
    program.addCommand(c);
  }
  const all = (c: Command): Command[] => [c, ...c.commands.flatMap(all)];
  for (const cmd of all(program)) cmd.exitOverride();
  return program;
}

async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
      return;
    }
    process.exitCode = report(err);
  }
}

await main(process.argv);
