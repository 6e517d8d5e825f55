import { describe, expect, it } from "vitest";
import { QueryLexer } from "./query-lexer.js";
import type { QueryToken } from "./query-lexer.js";

function lex(input: string): Pick<QueryToken, "type" | "text" | "position" | "end" | "prefix" | "escaped">[] {
  const lexer = new QueryLexer(input);
  const out = [];
  for (;;) {
    const { type, text, position, end, prefix, escaped } = lexer.next();
    out.push({ type, text, position, end, prefix, escaped });
    if (type === "eof") return out;
  }
}

const tok = (type: QueryToken["type"], text: string, position: number, end: number, prefix = false, escaped = false) => ({
  type, text, position, end, prefix, escaped,
});

describe("QueryLexer", () => {
  it("splits fields, colons, words and groups", () => {
    expect(lex("ti:(a OR b*)")).toEqual([
      tok("word", "ti", 1, 3), tok("colon", ":", 3, 4), tok("lparen", "(", 4, 5), tok("word", "a", 5, 6),
      tok("or", "OR", 7, 9), tok("word", "b", 10, 12, true), tok("rparen", ")", 12, 13), tok("eof", "", 13, 13),
    ]);
  });

  it("reads operators, signs and ranges", () => {
    expect(lex("-a +b&&c||d NOT [1 TO *}").map((t) => t.type)).toEqual([
      "minus", "word", "plus", "word", "and", "word", "or", "word", "not", "lbracket", "word", "word", "star", "rbrace", "eof",
    ]);
  });

  it("keeps ids, dates and class symbols whole", () => {
    expect(lex("CN-112345678-A 2010-05-04 H01M10/052").map((t) => t.text)).toEqual([
      "CN-112345678-A", "2010-05-04", "H01M10/052", "",
    ]);
  });

  it("normalises full-width punctuation and letters but keeps positions", () => {
    expect(lex("ｔｉ：（“ａ”）")).toEqual([
      tok("word", "ti", 1, 3), tok("colon", ":", 3, 4), tok("lparen", "(", 4, 5), tok("phrase", "a", 5, 8),
      tok("rparen", ")", 8, 9), tok("eof", "", 9, 9),
    ]);
  });

  it("takes escaped characters verbatim and marks the word as escaped", () => {
    expect(lex("\\AND \\（ a\\*")).toEqual([
      tok("word", "AND", 1, 5, false, true), tok("word", "（", 6, 8, false, true), tok("word", "a*", 9, 12, false, true),
      tok("eof", "", 12, 12),
    ]);
  });

  it("collapses white space in phrases", () => {
    expect(lex('"  a \t b  "')[0]).toEqual(tok("phrase", "a b", 1, 12));
  });

  it("keeps the source text for messages", () => {
    const lexer = new QueryLexer("（ “x y”");
    expect(lexer.next().raw).toBe("（");
    expect(lexer.next().raw).toBe("“x y”");
  });
});
