import type { IndexSublevel } from "./index-sublevel.js";
import { FIELD_CODES, MAX_CHAR, postingsPrefix, storedCodes } from "./level-keys.js";
import { LruCache } from "./lru-cache.js";
import { decodePostings } from "./postings-codec.js";
import type { Postings } from "./postings-codec.js";
import { MAX_KEYWORD_PREFIX_TERMS, MAX_TEXT_PREFIX_TERMS, tooManyTermsError } from "./query-plan.js";
import type { PlanNode, QueryPlan } from "./query-plan.js";
import type { Segment } from "./segment.js";
import type { FetchedData } from "./segment-search.js";

/** Decoded postings of one term in one segment (`undefined`: the segment lacks the term). */
interface CachedPostings {
  readonly postings: Postings | undefined;
}

// Rough bytes of a Map entry and small object, so that many tiny entries still count.
const ENTRY_OVERHEAD = 96;

/**
 * The cache of decoded postings and prefix expansions of a `LevelSearchIndex`, one LRU bounded
 * in bytes. Missing terms are cached too, since most queries ask every segment for every term.
 */
export class PostingsCache {
  private readonly lru: LruCache<CachedPostings | readonly string[]>;

  constructor(maxBytes: number) {
    this.lru = new LruCache(maxBytes);
  }

  /** Bytes held. */
  get bytes(): number {
    return this.lru.bytes;
  }

  /** Forgets everything of the segments whose postings keys start with one of `prefixes`. */
  dropSegments(prefixes: readonly string[]): void {
    this.lru.deleteWhere((key) => prefixes.some((p) => key.startsWith(p, 1)));
  }

  /** Forgets everything. */
  clear(): void {
    this.lru.clear();
  }

  /** @internal */
  getPostings(key: string): CachedPostings | undefined {
    return this.lru.get(`p${key}`) as CachedPostings | undefined;
  }

  /** @internal */
  setPostings(key: string, entry: CachedPostings): void {
    const p = entry.postings;
    // Text postings are counted with the position index a phrase may add later (4 bytes a document).
    const bytes = p === undefined ? 0 : p.ords.byteLength + 2 * (p.tfs?.byteLength ?? 0) + p.positionBytes.byteLength + (p.blockStarts?.byteLength ?? 0);
    this.lru.set(`p${key}`, entry, bytes + ENTRY_OVERHEAD + key.length * 2);
  }

  /** @internal */
  getExpansion(key: string): readonly string[] | undefined {
    return this.lru.get(`e${key}`) as readonly string[] | undefined;
  }

  /** @internal */
  setExpansion(key: string, terms: readonly string[]): void {
    let bytes = ENTRY_OVERHEAD + key.length * 2;
    for (const t of terms) bytes += 32 + t.length * 2;
    this.lru.set(`e${key}`, terms, bytes);
  }
}

/** A prefix to expand, in the codes a field is stored under (several for `tx`). */
interface PrefixSpec {
  readonly field: string;
  readonly codes: readonly string[];
  readonly prefix: string;
  readonly max: number;
}

/**
 * Reads everything a query needs from the database, before it is evaluated synchronously: the
 * expansions of its prefixes in every segment (one key scan each, checked against the expansion
 * limit over the whole index), then every postings value not cached, in one `getMany`.
 *
 * @throws IpfedError `QUERY_TOO_COMPLEX` when a prefix expands to too many terms.
 */
export async function fetchQueryData(db: IndexSublevel, cache: PostingsCache, plan: QueryPlan, segments: readonly Segment[]): Promise<FetchedData> {
  const exact = new Set<string>(); // field code + term
  const prefixes = new Map<string, PrefixSpec>(); // field + "\0" + prefix
  const collect = (node: PlanNode): void => {
    switch (node.op) {
      case "text": {
        const codes = storedCodes(node.field);
        for (const s of node.slots) {
          if (s.prefix) prefixes.set(`${node.field}\0${s.term}`, { field: node.field, codes, prefix: s.term, max: MAX_TEXT_PREFIX_TERMS });
          else for (const code of codes) exact.add(code + s.term);
        }
        return;
      }
      case "keyword":
        for (const t of node.terms) exact.add(FIELD_CODES[node.field] + t);
        return;
      case "keyword_prefix":
        prefixes.set(`${node.field}\0${node.prefix}`, { field: node.field, codes: [FIELD_CODES[node.field]], prefix: node.prefix, max: MAX_KEYWORD_PREFIX_TERMS });
        return;
      case "and":
      case "or":
        return node.children.forEach(collect);
      case "not":
        return collect(node.child);
      default:
        return;
    }
  };
  collect(plan.root);

  // Expansions, per code + "\0" + prefix and segment; the limit counts distinct terms of the field.
  const expansions = new Map<string, Map<number, readonly string[]>>();
  await Promise.all(
    [...prefixes.values()].map(async (spec) => {
      const lists = await Promise.all(spec.codes.map((code) => Promise.all(segments.map((s) => expandIn(db, cache, s, code, spec)))));
      const distinct = new Set<string>();
      spec.codes.forEach((code, c) => {
        const perSegment = lists[c] as (readonly string[])[];
        for (const list of perSegment) {
          for (const t of list) distinct.add(t);
          if (distinct.size > spec.max) throw tooManyTermsError(spec.field, spec.prefix, spec.max);
        }
        expansions.set(`${code}\0${spec.prefix}`, new Map(segments.map((s, i) => [s.id, perSegment[i] as readonly string[]])));
      });
    }),
  );

  // Postings: from the cache, or read together.
  const local = new Map<string, CachedPostings>();
  const missing: string[] = [];
  const want = (key: string): void => {
    if (local.has(key)) return;
    const hit = cache.getPostings(key);
    if (hit !== undefined) local.set(key, hit);
    else {
      local.set(key, { postings: undefined });
      missing.push(key);
    }
  };
  for (const s of segments) {
    const base = postingsPrefix(s.id);
    for (const t of exact) want(base + t);
    for (const [key, bySegment] of expansions) {
      const code = key.slice(0, key.indexOf("\0"));
      for (const t of bySegment.get(s.id) ?? []) want(base + code + t);
    }
  }
  if (missing.length > 0) {
    const values = await db.getMany(missing);
    missing.forEach((key, i) => {
      const v = values[i];
      const entry: CachedPostings = { postings: v === undefined ? undefined : decodePostings(v) };
      local.set(key, entry);
      cache.setPostings(key, entry);
    });
  }

  const entry = (segment: Segment, code: string, term: string): CachedPostings | undefined => local.get(postingsPrefix(segment.id) + code + term);
  return {
    terms(segment, code, term, prefix) {
      return prefix ? (expansions.get(`${code}\0${term}`)?.get(segment.id) ?? []) : [term];
    },
    postings(segment, code, term) {
      return entry(segment, code, term)?.postings;
    },
  };
}

/** The terms of a field code starting with a prefix in one segment (at most `max + 1`). */
async function expandIn(db: IndexSublevel, cache: PostingsCache, segment: Segment, code: string, spec: PrefixSpec): Promise<readonly string[]> {
  const base = postingsPrefix(segment.id) + code;
  const key = base + spec.prefix;
  const cached = cache.getExpansion(key);
  if (cached !== undefined) return cached;
  const keys = await db.keys({ gte: key, lt: key + MAX_CHAR, limit: spec.max + 1 }).all();
  const terms = keys.map((k) => k.slice(base.length));
  cache.setExpansion(key, terms);
  return terms;
}
