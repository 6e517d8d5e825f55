import { IpfedError } from "../errors/ipfed-error.js";

/**
 * A signal that aborts when any of its sources does, and forgets them on `dispose`.
 *
 * @example
 * ```ts
 * const { signal, dispose } = linkSignals(a, b);
 * ```
 */
export interface LinkedSignal {
  readonly signal: AbortSignal;
  /** Removes the listeners on the sources; call it when the call is over. */
  dispose(): void;
}

/**
 * Links abort signals: the result aborts, with the same reason, as soon as any source does.
 * Unlike `AbortSignal.any`, the listeners on a long-lived source (the client's signal) are
 * removed when the call ends, so that many calls do not pile listeners on it.
 *
 * @example
 * ```ts
 * const linked = linkSignals(clientSignal, callSignal);
 * try { await work(linked.signal); } finally { linked.dispose(); }
 * ```
 */
export function linkSignals(...sources: (AbortSignal | undefined)[]): LinkedSignal {
  const controller = new AbortController();
  const unlink: (() => void)[] = [];
  for (const source of sources) {
    if (!source) continue;
    if (source.aborted) {
      controller.abort(source.reason);
      break;
    }
    const onAbort = (): void => controller.abort(source.reason);
    source.addEventListener("abort", onAbort, { once: true });
    unlink.push(() => source.removeEventListener("abort", onAbort));
  }
  return {
    signal: controller.signal,
    dispose: () => {
      for (const u of unlink.splice(0)) u();
    },
  };
}

/**
 * The error of a call stopped by its signal: CANCELLED, or DEADLINE_EXCEEDED when the reason
 * is a timeout (`AbortSignal.timeout(ms)`). The reason is kept as `cause`.
 *
 * @example
 * ```ts
 * if (signal.aborted) throw abortError(signal);
 * ```
 */
export function abortError(signal: AbortSignal): IpfedError {
  const reason: unknown = signal.reason;
  if (reason instanceof IpfedError && (reason.code === "CANCELLED" || reason.code === "DEADLINE_EXCEEDED")) {
    return new IpfedError(reason.code, reason.message, { cause: reason });
  }
  const name = reason instanceof Error ? reason.name : "";
  if (name === "TimeoutError") return new IpfedError("DEADLINE_EXCEEDED", "the call's signal timed out", { cause: reason });
  const detail = reason instanceof Error && name !== "AbortError" ? `: ${reason.message}` : typeof reason === "string" ? `: ${reason}` : "";
  return new IpfedError("CANCELLED", `the call was cancelled${detail}`, { cause: reason });
}

/**
 * Waits `ms` milliseconds, or rejects with {@link abortError} as soon as the signal aborts.
 *
 * @example
 * ```ts
 * await sleep(200, signal);
 * ```
 */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortError(signal));
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortError(signal));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Settles with `promise`, or rejects with {@link abortError} when the signal aborts first. The
 * promise itself runs on (a token provider cannot be stopped), but the call stops waiting.
 *
 * @example
 * ```ts
 * const token = await raceAbort(provider(), signal);
 * ```
 */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortError(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortError(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(err);
      },
    );
  });
}
