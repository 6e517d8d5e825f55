import type { QueryNode } from "@ipfed/sdk";
import type { StoredRecord } from "../store/record-store.js";
import { bm25, bm25Weight } from "./bm25.js";
import { TEXT_FIELDS, toIndexDocument } from "./index-document.js";
import type { IndexDocument, KeywordField, TextField } from "./index-document.js";
import { mergePositions, phraseFrequency } from "./phrase.js";
import { compilePlan, MAX_KEYWORD_PREFIX_TERMS, MAX_TEXT_PREFIX_TERMS, tooManyTermsError } from "./query-plan.js";
import type { PlanNode, PlanSlot } from "./query-plan.js";
import { DEFAULT_FACET_SIZE, facetBuckets, TopHits } from "./result-page.js";
import type { FacetCounts, FacetName, IndexSearchOptions, IndexSearchResult, IndexUpdate, SearchIndex } from "./search-index.js";

/** Matching documents with their scores. */
type Scored = Map<number, number>;

/**
 * The in-memory search index: plain maps from terms to documents, evaluated clause by clause.
 * It is the reference the LevelDB index is checked against, so it favours being obviously right
 * over being fast; it keeps nothing across restarts.
 */
export class MemorySearchIndex implements SearchIndex {
  private readonly docs = new Map<number, IndexDocument>();
  // field → term → docno → positions
  private readonly text = new Map<TextField, Map<string, Map<number, readonly number[]>>>(TEXT_FIELDS.map((f) => [f, new Map()]));
  // field → value → docnos
  private readonly keywords = new Map<KeywordField, Map<string, Set<number>>>();
  private readonly totalLength = new Map<TextField, number>(TEXT_FIELDS.map((f) => [f, 0]));

  async open(): Promise<void> {}

  async close(): Promise<void> {}

  /** Analyses the added records now; `apply()` makes the change visible. Returns no ops. */
  async prepare(adds: readonly StoredRecord[], removes: readonly number[]): Promise<IndexUpdate> {
    const removed = new Set(removes);
    for (const { docno } of adds) {
      if (this.docs.has(docno) && !removed.has(docno)) throw new Error(`docno ${docno} is already indexed`);
    }
    const docs = adds.map(({ record, docno }) => ({ docno, doc: toIndexDocument(record) }));
    return {
      ops: [],
      apply: () => {
        for (const docno of removes) this.remove(docno);
        for (const { docno, doc } of docs) this.add(docno, doc);
      },
    };
  }

  docCount(): number {
    return this.docs.size;
  }

  async search(query: QueryNode, options: IndexSearchOptions): Promise<IndexSearchResult> {
    const plan = compilePlan(query, options.fields);
    let matches = this.evaluate(plan.root);
    const datasets = options.datasets !== undefined && options.datasets.length > 0 ? new Set(options.datasets) : undefined;
    if (datasets !== undefined) {
      matches = new Map([...matches].filter(([docno]) => datasets.has(this.doc(docno).facets.dataset)));
    }
    const maxTier = options.maxTier;
    if (maxTier !== undefined) matches = new Map([...matches].filter(([docno]) => this.doc(docno).accessTier <= maxTier));
    const top = new TopHits(options.limit, options.after);
    for (const [docno, score] of matches) top.offer(docno, score);
    const size = options.facetSize ?? DEFAULT_FACET_SIZE;
    const facets = (options.facets ?? []).map((name) => this.facet(name, matches, size));
    return { total: matches.size, hits: top.hits(), facets };
  }

  private add(docno: number, doc: IndexDocument): void {
    this.docs.set(docno, doc);
    for (const field of TEXT_FIELDS) {
      const { terms, positions } = doc.text[field];
      this.totalLength.set(field, (this.totalLength.get(field) as number) + terms.length);
      const byTerm = new Map<string, number[]>();
      terms.forEach((term, i) => {
        const list = byTerm.get(term) ?? [];
        list.push(positions[i] as number);
        byTerm.set(term, list);
      });
      const index = this.text.get(field) as Map<string, Map<number, readonly number[]>>;
      for (const [term, list] of byTerm) {
        const postings = index.get(term) ?? new Map<number, readonly number[]>();
        postings.set(docno, list);
        index.set(term, postings);
      }
    }
    for (const [field, values] of Object.entries(doc.keywords) as [KeywordField, readonly string[]][]) {
      let index = this.keywords.get(field);
      if (index === undefined) this.keywords.set(field, (index = new Map()));
      for (const value of values) {
        const set = index.get(value) ?? new Set<number>();
        set.add(docno);
        index.set(value, set);
      }
    }
  }

  private remove(docno: number): void {
    const doc = this.docs.get(docno);
    if (doc === undefined) return;
    this.docs.delete(docno);
    for (const field of TEXT_FIELDS) {
      const { terms } = doc.text[field];
      this.totalLength.set(field, (this.totalLength.get(field) as number) - terms.length);
      const index = this.text.get(field) as Map<string, Map<number, readonly number[]>>;
      for (const term of new Set(terms)) {
        const postings = index.get(term);
        postings?.delete(docno);
        if (postings?.size === 0) index.delete(term);
      }
    }
    for (const [field, values] of Object.entries(doc.keywords) as [KeywordField, readonly string[]][]) {
      const index = this.keywords.get(field);
      for (const value of values) {
        const set = index?.get(value);
        set?.delete(docno);
        if (set?.size === 0) index?.delete(value);
      }
    }
  }

  private doc(docno: number): IndexDocument {
    return this.docs.get(docno) as IndexDocument;
  }

  private evaluate(node: PlanNode): Scored {
    switch (node.op) {
      case "none":
        return new Map();
      case "all":
        return this.all();
      case "text":
        return this.textClause(node.field, node.slots, node.weight);
      case "keyword":
        return this.keywordClause(node.field, node.terms);
      case "keyword_prefix":
        return this.keywordClause(node.field, this.expand(this.keywords.get(node.field), node.field, node.prefix, MAX_KEYWORD_PREFIX_TERMS));
      case "range": {
        const out: Scored = new Map();
        for (const [docno, doc] of this.docs) {
          const v = doc[node.field];
          if (v !== 0 && v >= node.from && v <= node.to) out.set(docno, 0);
        }
        return out;
      }
      case "not": {
        const excluded = this.evaluate(node.child);
        const out: Scored = new Map();
        for (const docno of this.docs.keys()) if (!excluded.has(docno)) out.set(docno, 0);
        return out;
      }
      case "and": {
        const results = node.children.map((c) => this.evaluate(c));
        const out: Scored = new Map();
        for (const docno of results[0]?.keys() ?? []) {
          if (!results.every((r) => r.has(docno))) continue;
          // Summed in clause order from 0, as the LevelDB index does, so scores agree exactly.
          let score = 0;
          for (const r of results) score += r.get(docno) as number;
          out.set(docno, score);
        }
        return out;
      }
      case "or": {
        const out: Scored = new Map();
        for (const child of node.children) {
          for (const [docno, score] of this.evaluate(child)) out.set(docno, (out.get(docno) ?? 0) + score);
        }
        return out;
      }
    }
  }

  private all(): Scored {
    return new Map([...this.docs.keys()].map((docno) => [docno, 0]));
  }

  private keywordClause(field: KeywordField, terms: readonly string[]): Scored {
    const out: Scored = new Map();
    const index = this.keywords.get(field);
    for (const term of terms) for (const docno of index?.get(term) ?? []) out.set(docno, 0);
    return out;
  }

  /** Documents where the slots occur at consecutive positions, scored with BM25 on the phrase frequency. */
  private textClause(field: TextField, slots: readonly PlanSlot[], weight: number): Scored {
    const index = this.text.get(field) as Map<string, Map<number, readonly number[]>>;
    // Per slot: docno → positions of any of its terms.
    const perSlot = slots.map((slot) => {
      const terms = slot.prefix ? this.expand(index, field, slot.term, MAX_TEXT_PREFIX_TERMS) : [slot.term];
      const byDoc = new Map<number, (readonly number[])[]>();
      for (const term of terms) {
        for (const [docno, positions] of index.get(term) ?? []) byDoc.set(docno, [...(byDoc.get(docno) ?? []), positions]);
      }
      return new Map([...byDoc].map(([docno, lists]) => [docno, mergePositions(lists)]));
    });
    const tfs = new Map<number, number>();
    const first = perSlot[0] as Map<number, number[]>;
    for (const [docno, positions] of first) {
      const lists = perSlot.map((s) => s.get(docno));
      if (lists.some((l) => l === undefined)) continue;
      const ready = lists as number[][];
      const tf = ready.length === 1 ? positions.length : phraseFrequency(ready, ready.map(() => 0), ready.map((l) => l.length));
      if (tf > 0) tfs.set(docno, tf);
    }
    const n = this.docs.size;
    const weightIdf = bm25Weight(weight, n, perSlot.map((s) => s.size));
    const avgdl = (this.totalLength.get(field) as number) / n;
    const out: Scored = new Map();
    for (const [docno, tf] of tfs) out.set(docno, bm25(weightIdf, tf, this.doc(docno).text[field].terms.length, avgdl));
    return out;
  }

  private expand(index: ReadonlyMap<string, unknown> | undefined, field: string, prefix: string, max: number): string[] {
    const terms: string[] = [];
    for (const term of index?.keys() ?? []) {
      if (!term.startsWith(prefix)) continue;
      if (terms.length === max) throw tooManyTermsError(field, prefix, max);
      terms.push(term);
    }
    return terms;
  }

  private facet(name: FacetName, matches: Scored, size: number): FacetCounts {
    const counts = new Map<string, number>();
    for (const docno of matches.keys()) {
      for (const value of facetValues(this.doc(docno), name)) {
        if (value !== "") counts.set(value, (counts.get(value) ?? 0) + 1);
      }
    }
    return facetBuckets(name, counts, size);
  }
}

function facetValues(doc: IndexDocument, name: FacetName): readonly string[] {
  const f = doc.facets;
  switch (name) {
    case "kind":
      return [f.kind];
    case "country":
      return [f.country];
    case "year":
      return [f.year];
    case "ipc_section":
      return f.ipcSections;
    case "ipc_class":
      return f.ipcClasses;
    case "nice":
      return f.nice;
    case "applicant":
      return [f.applicant];
    case "dataset":
      return [f.dataset];
  }
}
