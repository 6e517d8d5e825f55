import { expectedError, querySyntaxError, quoteForMessage } from "./query-errors.js";
import { isQueryDelimiter, isQuerySpace, normalizeQueryChar, QUERY_KEYWORDS } from "./query-chars.js";

/** The kinds of token of the query language. */
export type QueryTokenType =
  | "word"
  | "phrase"
  | "lparen"
  | "rparen"
  | "lbracket"
  | "rbracket"
  | "lbrace"
  | "rbrace"
  | "colon"
  | "star"
  | "and"
  | "or"
  | "not"
  | "plus"
  | "minus"
  | "eof";

/** One token of a query, with where it is. */
export interface QueryToken {
  readonly type: QueryTokenType;
  /** For words and phrases the value, escapes removed; for the rest the normalised source. */
  readonly text: string;
  /** The source as typed, for error messages. */
  readonly raw: string;
  /** 1-based position, in code points, of the first character. */
  readonly position: number;
  /** Position just after the last character, so adjacency (`ti:`) can be checked. */
  readonly end: number;
  /** A word ended with an unescaped `*`. */
  readonly prefix: boolean;
  /** A word held an escape, so it is never a keyword or a field name. */
  readonly escaped: boolean;
}

const BACKSLASH = 0x5c;
const STAR = 0x2a;
const QUOTE = 0x22;
const AMP = 0x26;
const PIPE = 0x7c;

const SINGLE: ReadonlyMap<number, QueryTokenType> = new Map([
  [0x28, "lparen"],
  [0x29, "rparen"],
  [0x5b, "lbracket"],
  [0x5d, "rbracket"],
  [0x7b, "lbrace"],
  [0x7d, "rbrace"],
  [0x3a, "colon"],
  [0x2d, "minus"],
  [0x2b, "plus"],
]);

/**
 * Splits a query into tokens, one at a time, so the first error by position is the one reported.
 *
 * Works on code units but counts positions in code points, so an emoji or a rare CJK character
 * outside the BMP counts as one character, as a person would count it.
 *
 * @example
 * ```ts
 * const lexer = new QueryLexer("ti:graphene");
 * lexer.next().type; // "word" ("ti")
 * lexer.next().type; // "colon"
 * ```
 */
export class QueryLexer {
  private i = 0;
  private pos = 1;

  constructor(private readonly input: string) {}

  /** Returns the next token; at the end, an `eof` token, again and again. */
  next(): QueryToken {
    this.skipSpace();
    const startI = this.i;
    const start = this.pos;
    const cp = this.at(this.i);
    if (cp < 0) return this.token("eof", "", startI, start);
    const single = SINGLE.get(cp);
    if (single !== undefined) {
      this.advance();
      return this.token(single, String.fromCharCode(cp), startI, start);
    }
    if (cp === QUOTE) return this.phrase();
    if ((cp === AMP || cp === PIPE) && this.at(this.i + 1) === cp) {
      this.advance();
      this.advance();
      return this.token(cp === AMP ? "and" : "or", cp === AMP ? "&&" : "||", startI, start);
    }
    if (cp === STAR) {
      this.advance();
      if (!this.atBoundary()) throw wildcardError(start);
      return this.token("star", "*", startI, start);
    }
    return this.word();
  }

  private word(): QueryToken {
    const startI = this.i;
    const start = this.pos;
    let text = "";
    let escaped = false;
    let prefix = false;
    while (!this.atBoundary()) {
      const cp = this.at(this.i);
      if (cp === BACKSLASH) {
        this.advance();
        const raw = this.rawAt(this.i);
        if (raw < 0) throw expectedError("a character after '\\'", this.pos, "end of query");
        // Escaped characters are taken as typed, not normalised: `\（` is a literal `（`.
        text += String.fromCodePoint(raw);
        escaped = true;
        this.advance();
        continue;
      }
      if (cp === STAR) {
        const starAt = this.pos;
        this.advance();
        if (!this.atBoundary()) throw wildcardError(starAt);
        prefix = true;
        break;
      }
      text += String.fromCodePoint(cp);
      this.advance();
    }
    if (!escaped && !prefix && QUERY_KEYWORDS.has(text)) {
      return this.token(text === "AND" ? "and" : text === "OR" ? "or" : "not", text, startI, start);
    }
    return { ...this.token("word", text, startI, start), prefix, escaped };
  }

  private phrase(): QueryToken {
    const startI = this.i;
    const start = this.pos;
    this.advance();
    let text = "";
    let space = false;
    const unterminated = (): Error =>
      expectedError("'\"'", this.pos, "end of query", `the phrase opened at position ${start} is not closed`);
    for (;;) {
      let cp = this.at(this.i);
      if (cp < 0) throw unterminated();
      if (cp === QUOTE) break;
      if (cp === BACKSLASH) {
        this.advance();
        cp = this.rawAt(this.i);
        if (cp < 0) throw unterminated();
      } else if (isQuerySpace(cp)) {
        // The words are what matter: runs of white space become one space, ends are trimmed.
        space = true;
        this.advance();
        continue;
      }
      if (space && text !== "") text += " ";
      space = false;
      text += String.fromCodePoint(cp);
      this.advance();
    }
    this.advance();
    const raw = this.input.slice(startI, this.i);
    if (text === "") throw expectedError("words between the quotes", start, quoteForMessage(raw));
    if (this.at(this.i) === STAR) {
      throw querySyntaxError(`'*' at position ${this.pos} cannot follow a phrase; put it on a word`, this.pos);
    }
    return { ...this.token("phrase", text, startI, start), raw };
  }

  private skipSpace(): void {
    for (;;) {
      const cp = this.at(this.i);
      if (cp < 0 || !isQuerySpace(cp)) return;
      this.advance();
    }
  }

  /** True where a bare word ends: white space, a delimiter, `&&`, `||` or the end. */
  private atBoundary(): boolean {
    const cp = this.at(this.i);
    if (cp < 0 || isQueryDelimiter(cp)) return true;
    return (cp === AMP || cp === PIPE) && this.at(this.i + 1) === cp;
  }

  private advance(): void {
    this.i += this.rawAt(this.i) > 0xffff ? 2 : 1;
    this.pos += 1;
  }

  private rawAt(i: number): number {
    return i < this.input.length ? (this.input.codePointAt(i) ?? -1) : -1;
  }

  private at(i: number): number {
    const cp = this.rawAt(i);
    return cp < 0 ? cp : normalizeQueryChar(cp);
  }

  private token(type: QueryTokenType, text: string, startI: number, start: number): QueryToken {
    const raw = type === "eof" ? "" : this.input.slice(startI, this.i);
    return { type, text, raw, position: start, end: this.pos, prefix: false, escaped: false };
  }
}

function wildcardError(position: number): Error {
  return querySyntaxError(
    `'*' at position ${position} must end a term; wildcards inside or before a word are not supported`,
    position,
  );
}
