import { readFileSync } from "node:fs";

function statusField(pid: number, field: string): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) * 1024;
  } catch {
    // Not Linux, or the process is gone.
    return 0;
  }
}

/**
 * Resident memory of a process now, bytes (Linux `/proc`; 0 where it cannot be read).
 *
 * @example
 * ```ts
 * residentBytes(child.pid!);
 * ```
 */
export function residentBytes(pid: number): number {
  return statusField(pid, "VmRSS");
}

/**
 * Resident memory of a process that is its own (Linux `RssAnon`: heap, stacks, buffers),
 * without the pages of files it maps (LevelDB reads its tables through mmap; the kernel drops
 * those pages when memory is short). Bytes; 0 where it cannot be read.
 *
 * @example
 * ```ts
 * residentAnonBytes(child.pid!);
 * ```
 */
export function residentAnonBytes(pid: number): number {
  return statusField(pid, "RssAnon");
}

/**
 * The highest resident memory a process has had, bytes (Linux `VmHWM`; 0 where it cannot be read).
 *
 * @example
 * ```ts
 * peakResidentBytes(child.pid!);
 * ```
 */
export function peakResidentBytes(pid: number): number {
  return statusField(pid, "VmHWM");
}

/**
 * Samples a process's resident memory every `everyMs` until `stop()`, which returns the
 * highest sample in bytes.
 *
 * @example
 * ```ts
 * const sampler = sampleResident(pid, 100);
 * // ... work ...
 * const peak = sampler.stop();
 * ```
 */
export function sampleResident(pid: number, everyMs: number): { stop(): number } {
  let peak = residentBytes(pid);
  const timer = setInterval(() => {
    peak = Math.max(peak, residentBytes(pid));
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, residentBytes(pid));
    },
  };
}
