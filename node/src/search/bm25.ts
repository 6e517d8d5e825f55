import type { TextField } from "./index-document.js";

/** BM25 term-frequency saturation. */
export const BM25_K1 = 1.2;
/** BM25 length normalisation. */
export const BM25_B = 0.75;

/**
 * How much a match in each text field counts: a title match outweighs the same word deep in the
 * full text, which already repeats the title, abstract and claims.
 */
export const FIELD_WEIGHTS: { readonly [F in TextField]: number } = {
  ti: 3,
  ab: 1.5,
  cl: 1,
  tx: 0.5,
  pa: 1.5,
  in: 1.5,
  ag: 1.5,
  addr: 1,
};

/**
 * Returns the field weight times the inverse document frequency of a clause whose words occur in
 * `dfs[i]` of `n` live documents each (Lucene's always-positive form of the BM25 idf). A clause of
 * several words (a phrase, a Chinese word's bigrams) weighs the sum of its words' idfs, as in
 * Lucene: it does not need the phrase's own document frequency, so an index only checks the
 * positions of documents that the rest of a query lets through.
 *
 * Both index implementations compute every score with this function and {@link bm25}, in the same
 * order, so that they agree to the last bit and rank ties identically.
 */
export function bm25Weight(weight: number, n: number, dfs: readonly number[]): number {
  let idf = 0;
  for (const df of dfs) idf += Math.log(1 + (n - df + 0.5) / (df + 0.5));
  return weight * idf;
}

/**
 * Returns the BM25 score of one clause in one document: `weightIdf` from {@link bm25Weight}, the
 * clause's frequency `tf` in the field, the field's length `dl` in the document and the mean
 * length `avgdl` of the field over live documents.
 */
export function bm25(weightIdf: number, tf: number, dl: number, avgdl: number): number {
  const norm = avgdl > 0 ? 1 - BM25_B + (BM25_B * dl) / avgdl : 1;
  return (weightIdf * tf * (BM25_K1 + 1)) / (tf + BM25_K1 * norm);
}
