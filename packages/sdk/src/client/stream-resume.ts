/**
 * How a server stream picks up where it broke off: the position to start from, and the
 * position after each message. A stream with one is reopened from the last position when it
 * fails with UNAVAILABLE, however far it got, as long as retries are left; a stream without
 * one is retried only before its first message.
 *
 * @example
 * ```ts
 * const resume: StreamResume<string, ExportResponse> = resumeByCursor("");
 * ```
 */
export interface StreamResume<P, M> {
  /** Where the first attempt starts. */
  readonly start: P;
  /** The position after `message`, given the one before it. */
  after(message: M, before: P): P;
}

/**
 * Resumes a stream whose messages carry the cursor to resume after them (Export): a message
 * with an empty cursor leaves the position where it was.
 *
 * @example
 * ```ts
 * const resume = resumeByCursor<ExportResponse>(request.cursor);
 * resume.after({ cursor: "abc" } as ExportResponse, ""); // "abc"
 * ```
 */
export function resumeByCursor<M extends { readonly cursor: string }>(start: string): StreamResume<string, M> {
  return { start, after: (message, before) => message.cursor || before };
}
