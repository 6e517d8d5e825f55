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
        // The signal handlers are in place before the node starts: a SIGTERM that arrives the
        // moment "node ready" is logged (or while starting) still stops the node cleanly.
        let stopping: NodeJS.Signals | undefined;
        let stopNow: ((signal: NodeJS.Signals) => void) | undefined;
        const onSignal = (signal: NodeJS.Signals): void => {
          if (stopping) return;
          stopping = signal;
          stopNow?.(signal);
        };
        process.once("SIGINT", onSignal);
        process.once("SIGTERM", onSignal);
        await node.start();
        await new Promise<void>((done) => {
          stopNow = (signal) => {
            logger.info({ signal }, "stopping");
            node.stop().then(done, (err: unknown) => {
              logger.error({ err }, "error while stopping");
              done();
            });
          };
          if (stopping) stopNow(stopping);
        });
        logger.flush();
      }),
    );
}
