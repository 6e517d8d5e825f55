import { resolve } from "node:path";
import { Command } from "commander";
import { IpfedNode } from "../../ipfed-node.js";
import { parseAddress } from "../../config/node-config.js";
import { createLogger } from "../../logger.js";
import { action } from "../run.js";

interface StartOptions {
  dir: string;
  listen?: string;
  http?: string;
  logLevel?: string;
}

/** `ipfed node start`: serves a node until SIGINT or SIGTERM. */
export function nodeStartCommand(): Command {
  return new Command("start")
    .description("serve the node in --dir (gRPC with health and reflection, HTTP) until Ctrl-C / SIGTERM")
    .requiredOption("--dir <dir>", "data directory of the node")
    .option("--listen <host:port>", "override the configured gRPC address")
    .option("--http <host:port>", "override the configured HTTP address")
    .option("--log-level <level>", "trace, debug, info, warn, error, silent (default: info, or IPFED_LOG_LEVEL)")
    .addHelpText("after", "\nExample:\n  $ ipfed node start --dir ./data/sc\n")
    .action(
      action(async (opts: StartOptions) => {
        const logger = createLogger(opts.logLevel ? { level: opts.logLevel as "info" } : {});
        const node = new IpfedNode({
          dir: resolve(opts.dir),
          logger,
          ...(opts.listen ? { listen: parseAddress(opts.listen, "--listen") } : {}),
          ...(opts.http ? { http: parseAddress(opts.http, "--http") } : {}),
        });
        await node.start();
        await new Promise<void>((done) => {
          let stopping = false;
          const stop = (signal: NodeJS.Signals): void => {
            if (stopping) return;
            stopping = true;
            logger.info({ signal }, "stopping");
            node.stop().then(done, (err: unknown) => {
              logger.error({ err }, "error while stopping");
              done();
            });
          };
          process.once("SIGINT", stop);
          process.once("SIGTERM", stop);
        });
        logger.flush();
      }),
    );
}
