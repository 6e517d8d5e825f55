// Names of the independent random streams. Every random draw of the corpus comes from a stream
// named by (seed words, stream number, record index or other key); draws in one stream never
// shift another, so adding a field to one part of a record leaves the others unchanged.

import { Rng } from "./prng.js";
import type { CorpusContext } from "./options.js";

/** Stream numbers. Changing one changes the corpus: they are part of the determinism guarantee. */
export const STREAM = {
  /** Dates and family membership of a patent (also read when another record cites it). */
  timeline: 1,
  /** What a patent is about: domain, texts, classification, applicants, inventors. */
  content: 2,
  /** Everything else about a record: agents, citations, legal events, notes. */
  record: 3,
  /** The shared facts of a patent family: domain, kind of invention, priority. */
  family: 4,
  /** What the inventions of a family are about (replaces `content` for its members). */
  familyContent: 5,
  /** Sample queries. */
  queries: 6,
} as const;

/** The generator of one stream for one key (a record index, a family key, a query number). */
export function streamRng(ctx: Pick<CorpusContext, "seedLo" | "seedHi">, stream: number, key: number): Rng {
  return Rng.of(ctx.seedLo, ctx.seedHi, stream, key);
}
