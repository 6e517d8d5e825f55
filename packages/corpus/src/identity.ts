// The identity of a record (its plan, canonical id and numbers) computed without generating the
// record: used for the record itself, for citations of earlier records, and for random access.

import type { CorpusContext } from "./options.js";
import type { RecordPlan } from "./layout.js";
import { countryOf, docNumberOf, encodedYear, isPatentCategory, kindCodeOf } from "./layout.js";
import type { PatentTimeline } from "./timeline.js";
import { patentTimeline, publicationYearOf } from "./timeline.js";

/** What a record is and how it is numbered. */
export interface RecordIdentity {
  /** Its place in the layout. */
  readonly plan: RecordPlan;
  /** Canonical id, `CC-NUMBER-KIND`. */
  readonly id: string;
  /** Office, ST.3 code. */
  readonly country: string;
  /** Document number without country or kind. */
  readonly docNumber: string;
  /** Kind code. */
  readonly kindCode: string;
  /** Dates and family, for patents. */
  readonly timeline: PatentTimeline | undefined;
}

/** The plan of record `index`: the permuted index located in the layout. */
export function planAt(ctx: CorpusContext, index: number): RecordPlan {
  return ctx.layout.locate(index, ctx.permutation.apply(index));
}

/** The identity of record `index`. */
export function identityAt(ctx: CorpusContext, index: number): RecordIdentity {
  const plan = planAt(ctx, index);
  const country = countryOf(plan.category);
  const kindCode = kindCodeOf(plan);
  if (isPatentCategory(plan.category)) {
    const timeline = patentTimeline(ctx, plan);
    const docNumber = docNumberOf(plan, publicationYearOf(timeline));
    return { plan, id: `${country}-${docNumber}-${kindCode}`, country, docNumber, kindCode, timeline };
  }
  const docNumber = docNumberOf(plan, plan.category === "trademark" ? 0 : encodedYear(plan));
  return { plan, id: `${country}-${docNumber}-${kindCode}`, country, docNumber, kindCode, timeline: undefined };
}
