import { elementAt } from "./xml-tree.js";
import type { XmlElement, XmlNode } from "./xml-tree.js";

// Elements that are part of the running text: H<sub>2</sub>O must read "H2O", and
// "<b>10</b>" inside a sentence must not grow spaces.
const INLINE = new Set([
  "b", "i", "u", "o", "s", "sub", "sup", "sub2", "sup2", "smallcaps", "figref", "claim-ref",
  "crossref", "patcit", "nplcit", "bio-deposit", "del", "ins", "span",
]);

// Elements whose content is a line of its own in the plain text.
const LINE = new Set([
  "p", "heading", "claim-text", "li", "row", "br", "tr", "table", "tables", "dt", "dd",
  "caption", "title",
]);

// Whitespace (including the typographic spaces U+2002/U+2003 the USPTO uses between columns)
// collapses to one space. The MathML invisible operators (function application, invisible
// times, separator, plus) print as nothing and would only break word matching.
const WHITESPACE = /\s+/g;
const INVISIBLE = /[\u2061-\u2064]/g;
const LINE_BREAK = "\n";

function collect(element: XmlElement, out: string[]): void {
  for (const c of element.children) {
    if (typeof c === "string") {
      out.push(c.replace(INVISIBLE, "").replace(WHITESPACE, " "));
    } else if (INLINE.has(c.name)) {
      collect(c, out);
    } else if (c.name === "math") {
      out.push(" ");
      collectMath(c, out);
      out.push(" ");
    } else {
      const separator = LINE.has(c.name) ? LINE_BREAK : " ";
      out.push(separator);
      collect(c, out);
      out.push(separator);
    }
  }
}

// A fraction's operand in linear form, bracketed unless it is one number or name.
function mathOperand(node: XmlNode | undefined): string {
  if (node === undefined || typeof node === "string") return "";
  const parts: string[] = [];
  collectMath(node, parts);
  const text = parts.join("").trim();
  return /^[\p{L}\p{N}.]*$/u.test(text) || /^\(.*\)$/.test(text) && balanced(text.slice(1, -1)) ? text : `(${text})`;
}

// Whether the brackets of a text pair up, so "(a)+(b)" is not taken for one bracketed group.
function balanced(text: string): boolean {
  let depth = 0;
  for (const ch of text) {
    if (ch === "(") depth++;
    else if (ch === ")" && --depth < 0) return false;
  }
  return depth === 0;
}

// MathML lays its tokens out side by side and ignores the whitespace between its elements
// (the USPTO indents it), so tokens are joined directly: x<msup> 2 reads "x2" like a <sup>.
// Fractions and roots get the slash and radical they are drawn with; table cells and explicit spaces stay apart.
function collectMath(element: XmlElement, out: string[]): void {
  for (const c of element.children) {
    if (typeof c === "string") {
      const text = c.replace(INVISIBLE, "").trim();
      if (text !== "") out.push(text.replace(WHITESPACE, " "));
    } else if (c.name === "mspace") {
      out.push(" ");
    } else if (c.name === "mfrac") {
      const [numerator, denominator] = c.children.filter((n) => typeof n !== "string");
      out.push(`${mathOperand(numerator)}/${mathOperand(denominator)}`);
    } else if (c.name === "msqrt") {
      out.push("√(");
      collectMath(c, out);
      out.push(")");
    } else if (c.name === "mtr" || c.name === "mtd" || c.name === "mlabeledtr") {
      out.push(" ");
      collectMath(c, out);
      out.push(" ");
    } else {
      collectMath(c, out);
    }
  }
}

/**
 * Turns an element's content into plain text: one line per paragraph, heading, claim
 * clause, list item or table row, whitespace collapsed, inline markup (bold, sub/superscript)
 * flattened into the words around it, MathML written out linearly, empty lines dropped.
 *
 * @example
 * ```ts
 * plainText(abstractElement); // "A device for ...\nThe device further ..."
 * ```
 */
export function plainText(element: XmlElement | undefined): string {
  if (element === undefined) return "";
  const out: string[] = [];
  collect(element, out);
  const lines: string[] = [];
  for (const line of out.join("").split(LINE_BREAK)) {
    const text = line.replace(/ {2,}/g, " ").trim();
    if (text !== "") lines.push(text);
  }
  return lines.join(LINE_BREAK);
}

/** Turns an element's content into one line of plain text (for titles, names and numbers). */
export function plainLine(element: XmlElement | undefined): string {
  return plainText(element).replace(/\n/g, " ");
}

/**
 * Returns the one-line plain text of the element at a `/`-separated child path, "" when
 * there is none.
 *
 * @example
 * ```ts
 * lineAt(biblio, "publication-reference/document-id/doc-number"); // "08088512"
 * ```
 */
export function lineAt(element: XmlElement | undefined, path: string): string {
  return plainLine(elementAt(element, path));
}
