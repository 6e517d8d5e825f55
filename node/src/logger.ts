import { pino } from "pino";
import type { Logger, LevelWithSilent } from "pino";

/**
 * Options of {@link createLogger}.
 *
 * @example
 * ```ts
 * const log = createLogger({ level: "debug", pretty: false, base: { member: "sc-regional" } });
 * ```
 */
export interface LoggerOptions {
  /**
   * Lowest level written.
   * @defaultValue `"info"`, or `IPFED_LOG_LEVEL` when set
   */
  level?: LevelWithSilent;
  /**
   * Human-readable lines instead of JSON.
   * @defaultValue true when stdout is a TTY
   */
  pretty?: boolean;
  /** Bindings added to every line (`{ member: "sc-regional" }`). */
  base?: Record<string, unknown>;
}

/**
 * Creates the node's logger: JSON lines (one object per line, for log shippers), or
 * pino-pretty output on a terminal.
 *
 * @example
 * ```ts
 * const log = createLogger({ base: { member: config.id } });
 * log.info({ address }, "serving gRPC");
 * ```
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? (process.env.IPFED_LOG_LEVEL as LevelWithSilent | undefined) ?? "info";
  const pretty = options.pretty ?? process.stdout.isTTY === true;
  const opts = { level, base: { pid: process.pid, ...(options.base ?? {}) } };
  if (!pretty) return pino(opts);
  return pino(opts, pino.transport({ target: "pino-pretty", options: { colorize: true, translateTime: "SYS:HH:MM:ss.l" } }));
}

/**
 * The node's logger: pino's `Logger`, as {@link createLogger} returns it.
 *
 * @example
 * ```ts
 * const log: Logger = createLogger();
 * log.child({ dataset: "uspto" }).warn("rejects in import");
 * ```
 */
export type { Logger };
