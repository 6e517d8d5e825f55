// @ipfed/corpus: a seeded, deterministic, streaming generator of synthetic Chinese-style
// intellectual-property records (patents, utility models, trademarks, geographical indications,
// IC layouts) as ipfed.v1 Records, and sample queries over the same vocabulary.

export { generateCorpus, corpusRecordAt, corpusIdAt } from "./corpus.js";
export { sampleQueries } from "./queries.js";
export type { SampleQueryOptions } from "./queries.js";
export { DEFAULT_SEED, DEFAULT_DATASET_ID, DEFAULT_MEMBER_ID, DEFAULT_TRADEMARK_SHARE } from "./options.js";
export type { CorpusOptions, CorpusRecordOptions } from "./options.js";
export { CORPUS_CAPACITY } from "./layout.js";
export { DOMAIN_DATA } from "./vocabulary.js";
export type { DomainData, Term } from "./vocabulary.js";
