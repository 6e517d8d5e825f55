/** Progress of a long job, shown as a bar with a rate on a terminal and as plain lines elsewhere. */
export interface Progress {
  /** Reports the current count; cheap to call often. */
  update(done: number, note?: string): void;
  /** Ends the display (clears the bar). */
  finish(): void;
}

/** Options of {@link createProgress}. */
export interface ProgressOptions {
  /** Where to draw; default `process.stderr`. */
  stream?: NodeJS.WriteStream;
  /** What is counted ("records"). */
  unit: string;
  /** Total, when known, for a percentage. */
  total?: number;
  /**
   * Milliseconds between plain lines when the stream is not a terminal.
   * @defaultValue 5000
   */
  lineIntervalMs?: number;
  /** Draw nothing at all. */
  quiet?: boolean;
}

/**
 * Creates a progress display: a redrawn bar with records/s on a TTY (at most 10 times a
 * second), and one plain line every few seconds otherwise, so that logs stay readable.
 *
 * @example
 * ```ts
 * const p = createProgress({ unit: "records" });
 * p.update(1200, "ipg120103.xml");
 * p.finish();
 * ```
 */
export function createProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  const tty = stream.isTTY === true;
  const started = Date.now();
  let last = 0;
  let drawn = false;
  const interval = tty ? 100 : options.lineIntervalMs ?? 5000;
  const render = (done: number, note?: string): string => {
    const secs = (Date.now() - started) / 1000;
    const rate = secs > 0 ? Math.round(done / secs) : 0;
    const pct = options.total ? ` ${Math.min(100, Math.floor((done / options.total) * 100))}%` : "";
    const bar = tty && options.total ? ` [${"#".repeat(Math.floor((Math.min(done, options.total) / options.total) * 30)).padEnd(30, ".")}]` : "";
    return `${bar}${pct} ${done.toLocaleString("en-US")} ${options.unit}, ${rate.toLocaleString("en-US")} ${options.unit}/s${note ? `, ${note}` : ""}`.trimStart();
  };
  return {
    update(done, note) {
      if (options.quiet) return;
      const now = Date.now();
      if (now - last < interval) return;
      last = now;
      if (tty) {
        stream.write(`\r\x1b[2K${render(done, note)}`);
        drawn = true;
      } else {
        stream.write(`progress: ${render(done, note)}\n`);
      }
    },
    finish() {
      if (tty && drawn) stream.write("\r\x1b[2K");
    },
  };
}
