import type { ClientReadableStream } from "@grpc/grpc-js";

/** Messages held before the stream is paused, so a slow reader holds the member back. */
const HIGH_WATER = 8;

/**
 * Reads a grpc-js server stream as an async iterator: every message in order, then the end,
 * or the stream's error (as grpc-js reports it) after the messages that came before it.
 * Leaving the loop early cancels the call. An error listener is always attached, so a late
 * status never becomes an uncaught `error` event.
 *
 * @example
 * ```ts
 * for await (const batch of readStream(client.export(req, metadata, { deadline }))) handle(batch);
 * ```
 */
export async function* readStream<T>(call: ClientReadableStream<T>): AsyncGenerator<T, void, undefined> {
  const queue: T[] = [];
  let ended = false;
  let failed = false;
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  call.on("data", (message: T) => {
    queue.push(message);
    if (queue.length >= HIGH_WATER) call.pause();
    notify();
  });
  call.on("error", (error: unknown) => {
    failure ??= { error };
    // grpc-js ends the readable side before it reports the status: drain what is buffered, so
    // that "end" follows and the messages sent before the failure are not lost.
    call.resume();
    // Buffered messages flow on the next tick; by the next turn of the loop they are queued.
    setImmediate(() => {
      failed = true;
      notify();
    });
  });
  call.on("end", () => {
    ended = true;
    notify();
  });
  try {
    for (;;) {
      const next = queue.shift();
      if (next !== undefined) {
        if (queue.length < HIGH_WATER / 2 && call.isPaused()) call.resume();
        yield next;
        continue;
      }
      if (ended || failed) {
        if (failure) throw failure.error;
        return;
      }
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    if (!ended && !failure) call.cancel();
  }
}
