import { describe, expect, it } from "vitest";
import { IpfedError } from "../errors/ipfed-error.js";
import type { QueryNode } from "./query-ast.js";
import { formatQuery } from "./query-format.js";
import { parseQuery } from "./query-parser.js";

// mulberry32: small, seeded, and the same on every machine, so a failure can be replayed.
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FRAGMENTS = [
  "a", "b", "graphene", "石墨烯电池", "ti:", "ab:", "pa:", "ipc:", "cpc:", "nice:", "cc:", "kind:", "pd:", "ad:",
  "id:", "ds:", "foo:", "title:", "H01M10/052", "H01M", "H01M10/*", "2010", "2010-05", "2010-13", "9", "45",
  "99", "CN", "patent", "gi", "AND", "OR", "NOT", "TO", "&&", "||", "-", "+", "(", ")", "[", "]", "{", "}",
  '"', "*", "\\", ":", " ", " ", " ", "（", "）", "“", "”", "：", "　", "𠀀", "x*", "\\*", "\\(", "&", "|",
];
const CHARS = 'ab石墨 :()[]{}"*\\-+&|TOANDRNti（）“”：　\t𠀀019';

function fragmentQuery(random: () => number): string {
  const n = Math.floor(random() * 12);
  let s = "";
  for (let i = 0; i < n; i++) s += FRAGMENTS[Math.floor(random() * FRAGMENTS.length)];
  return s;
}

function charQuery(random: () => number): string {
  const chars = Array.from(CHARS);
  const n = Math.floor(random() * 20);
  let s = "";
  for (let i = 0; i < n; i++) s += chars[Math.floor(random() * chars.length)];
  return s;
}

const VALUES = ["graphene", "石墨烯", "Li\\:ion", "\\AND", "x\\*", "bat*", "ＡＢ", "-", "\\-y", "𠀀"];
const FIELDED = [
  "ti:电池", "ab:cell*", "pa:\"Contemporary Amperex\"", "ipc:H01M10/*", "cpc:Y02E", "nice:09", "cc:cn",
  "kind:gi", "pd:2010-05", "ad:[2010 TO *]", "pd:{2010-02 TO 2012}", "nice:[1 TO 45]", "id:CN-1-A", "fam:42",
];

/** Mostly well-formed queries, so that round trips get exercised on real shapes. */
function grammarQuery(random: () => number, depth = 0): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const clause = (): string => {
    const r = random();
    if (r < 0.3) return pick(VALUES);
    if (r < 0.55) return pick(FIELDED);
    if (r < 0.65) return `"${pick(VALUES)} ${pick(VALUES)}"`;
    if (r < 0.75 && depth < 3) return `${pick(["", "ti:", "（", "NOT ", "-"])}(${grammarQuery(random, depth + 1)})`.replace("（(", "（");
    if (r < 0.85) return `${pick(["NOT ", "-", "+"])}${pick(VALUES)}`;
    return pick(["*", "2010", "TO"]);
  };
  const n = 1 + Math.floor(random() * 4);
  let s = clause();
  for (let i = 1; i < n; i++) s += pick([" ", " AND ", " OR ", " && ", " || ", "　"]) + clause();
  return s;
}

function shape(node: QueryNode): unknown {
  return JSON.parse(JSON.stringify(node, (key, value: unknown) => (key === "position" ? undefined : value)));
}

const QUERY_CODES = new Set(["QUERY_SYNTAX", "QUERY_FIELD_UNKNOWN", "QUERY_TOO_COMPLEX"]);

describe("parseQuery on random input", () => {
  it("returns an AST or throws a query IpfedError, and every AST round-trips", () => {
    const random = prng(20240611);
    let parsed = 0;
    let failed = 0;
    const started = Date.now();
    for (let i = 0; i < 2000; i++) {
      const input = i % 3 === 0 ? grammarQuery(random) : i % 3 === 1 ? fragmentQuery(random) : charQuery(random);
      let node: QueryNode;
      try {
        node = parseQuery(input, { maxClauses: 16, maxDepth: 6 });
      } catch (err) {
        if (!(err instanceof IpfedError)) throw new Error(`non-IpfedError for ${JSON.stringify(input)}: ${String(err)}`);
        expect(QUERY_CODES.has(err.code), `${err.code} for ${JSON.stringify(input)}`).toBe(true);
        expect(err.position, JSON.stringify(input)).toBeGreaterThanOrEqual(1);
        expect(err.position, JSON.stringify(input)).toBeLessThanOrEqual(Array.from(input).length + 1);
        expect(err.field).toBe("query");
        failed++;
        continue;
      }
      parsed++;
      const text = formatQuery(node);
      let again: QueryNode;
      try {
        again = parseQuery(text, { maxClauses: 16, maxDepth: 6 });
      } catch (err) {
        throw new Error(`${JSON.stringify(input)} formatted as ${JSON.stringify(text)} does not parse: ${String(err)}`);
      }
      expect(shape(again), `${JSON.stringify(input)} -> ${JSON.stringify(text)}`).toEqual(shape(node));
      expect(formatQuery(again)).toBe(text);
    }
    // Both outcomes must be well represented, or the generator is not testing much.
    expect(parsed).toBeGreaterThan(600);
    expect(failed).toBeGreaterThan(600);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("stays linear on long inputs", () => {
    const random = prng(7);
    const long = Array.from({ length: 200 }, () => fragmentQuery(random)).join(" ");
    const started = Date.now();
    for (let i = 0; i < 20; i++) {
      try {
        parseQuery(long);
      } catch (err) {
        expect(err).toBeInstanceOf(IpfedError);
      }
    }
    const words = Array.from({ length: 1000 }, (_, i) => `w${i}`).join(" OR ");
    expect(formatQuery(parseQuery(words))).toBe(words);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
