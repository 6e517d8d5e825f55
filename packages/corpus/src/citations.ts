// Citations of a patent: earlier patents of the same corpus (by index, published before the
// citing application was filed) and non-patent literature. Cited records are identified with
// `identityAt`, which costs a permutation and a timeline, not a whole record.

import { CitationSource } from "@ipfed/proto";
import type { Citation } from "@ipfed/proto";
import { isoDate } from "./dates.js";
import { identityAt } from "./identity.js";
import { chineseName, foreignPersonName } from "./names.js";
import type { CorpusContext } from "./options.js";
import type { Rng } from "./prng.js";
import { WeightedTable } from "./prng.js";
import type { Invention } from "./patent-text.js";

/** Share of published patents that cite anything. */
export const CITING_SHARE = 0.45;

const COUNTS = new WeightedTable([1, 2, 3, 4, 5], [30, 28, 20, 13, 9]);

function emptyCitation(): Citation {
  return { id: "", country: "", number: "", kindCode: "", date: "", text: "", source: 0, category: "" };
}

/** A non-patent citation in the style of the citing office. */
function literature(rng: Rng, invention: Invention, chinese: boolean, beforeYear: number): Citation {
  const year = rng.range(Math.max(1995, beforeYear - 12), Math.max(1996, beforeYear - 1));
  const [journalZh, journalEn] = invention.domain.data.journals;
  const volume = rng.range(5, 60);
  const issue = rng.range(1, 12);
  const first = rng.range(1, 900);
  const pages = `${first}-${first + rng.range(4, 14)}`;
  const citation = emptyCitation();
  citation.source = CitationSource.CITATION_SOURCE_EXAMINER;
  citation.category = rng.chance(0.3) ? "Y" : "A";
  if (chinese && rng.chance(0.6)) {
    citation.text = `${chineseName(rng)}等. ${invention.subject[0].replace(/方法$/, "")}的研究进展[J]. ${journalZh}, ${year}, ${volume}(${issue}): ${pages}.`;
  } else {
    const author = foreignPersonName(rng, "US").split(",")[0] as string;
    citation.text = `${author} et al. Recent advances in ${invention.subject[1].replace(/ method$/, "")}. ${journalEn}, ${year}, ${volume}(${issue}): ${pages}.`;
  }
  return citation;
}

/**
 * The citations of the patent at `index`, filed on `applicationDay`: none for about half the
 * patents, otherwise one to five, most of them earlier records of the corpus.
 */
export function citationsOf(
  ctx: CorpusContext,
  rng: Rng,
  index: number,
  applicationDay: number,
  invention: Invention,
  chinese: boolean,
): Citation[] {
  if (!rng.chance(CITING_SHARE)) return [];
  const count = rng.weighted(COUNTS);
  const out: Citation[] = [];
  const seen = new Set<string>();
  const beforeYear = Math.floor(applicationDay / 365.2425) + 1970;
  for (let n = 0; n < count; n++) {
    if (index > 0 && rng.chance(0.75)) {
      for (let attempt = 0; attempt < 3; attempt++) {
        // Mostly recent neighbours, sometimes anything earlier.
        const span = rng.chance(0.7) ? Math.min(index, 5000) : index;
        const cited = identityAt(ctx, index - 1 - rng.int(span));
        const t = cited.timeline;
        if (t === undefined || t.publicationDay < 0 || t.publicationDay >= applicationDay || seen.has(cited.id)) continue;
        seen.add(cited.id);
        const citation = emptyCitation();
        citation.id = cited.id;
        citation.country = cited.country;
        citation.number = cited.docNumber;
        citation.kindCode = cited.kindCode;
        citation.date = isoDate(t.publicationDay);
        const byExaminer = rng.chance(0.7);
        citation.source = byExaminer ? CitationSource.CITATION_SOURCE_EXAMINER : CitationSource.CITATION_SOURCE_APPLICANT;
        citation.category = byExaminer ? (rng.chance(0.25) ? "X" : rng.chance(0.35) ? "Y" : "A") : "";
        out.push(citation);
        break;
      }
    } else {
      out.push(literature(rng, invention, chinese, beforeYear));
    }
  }
  return out;
}
