import { SaxesParser } from "saxes";
import { NAMED_ENTITIES } from "./xml-entities.js";

/** An element of a parsed XML document: its name, attributes and content in order. */
export interface XmlElement {
  /** Element name as written (no namespace processing). */
  readonly name: string;
  /** Attributes by name, entity references decoded. */
  readonly attributes: Readonly<Record<string, string>>;
  /** Child elements and text, in document order; adjacent text is merged. */
  readonly children: XmlNode[];
}

/** A node of the tree: an element, or text with entity references decoded. */
export type XmlNode = XmlElement | string;

/** A well-formedness error, with the parser's own reason and where it found it. */
export class XmlSyntaxError extends Error {
  override readonly name = "XmlSyntaxError";
  /** Line in the parsed text, from 1. */
  readonly line: number;
  /** Column in that line of the last character read, from 1 (0 when none was read on it yet). */
  readonly column: number;
  /** The parser's reason, without the position (`unexpected end.`). */
  readonly reason: string;

  constructor(reason: string, line: number, column: number) {
    super(`${line}:${column}: ${reason}`);
    this.reason = reason;
    this.line = line;
    this.column = column;
  }
}

// saxes puts the position at the front of its messages: `12:7: unexpected end.`
const POSITIONED = /^(\d+):(\d+): ([\s\S]*)$/;

function toSyntaxError(err: Error, parser: SaxesParser): XmlSyntaxError {
  const m = POSITIONED.exec(err.message);
  if (m !== null) return new XmlSyntaxError(m[3] ?? err.message, Number(m[1]), Number(m[2]));
  return new XmlSyntaxError(err.message, parser.line, parser.column);
}

/**
 * Parses one XML document into a tree of elements and text, using saxes.
 *
 * Named entities resolve from {@link NAMED_ENTITIES} since the external DTD is never read;
 * an entity that is not there stays in the text as written (`&foo;`) rather than failing the
 * document, because with an unread external DTD it is not a well-formedness error. Comments,
 * processing instructions and the DOCTYPE are dropped.
 *
 * @throws XmlSyntaxError when the document is not well-formed.
 *
 * @example
 * ```ts
 * const root = parseXmlTree('<?xml version="1.0"?><a x="1">b&amp;c</a>');
 * root.children; // ["b&c"]
 * ```
 */
export function parseXmlTree(text: string): XmlElement {
  const parser = new SaxesParser();
  parser.ENTITIES = NAMED_ENTITIES as Record<string, string>;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;

  parser.on("error", (err) => {
    if (err.message.endsWith("undefined entity.")) return;
    throw toSyntaxError(err, parser);
  });
  parser.on("opentag", (tag) => {
    const element: XmlElement = { name: tag.name, attributes: tag.attributes, children: [] };
    const parent = stack[stack.length - 1];
    if (parent === undefined) root = element;
    else parent.children.push(element);
    stack.push(element);
  });
  parser.on("closetag", () => {
    stack.pop();
  });
  const onText = (value: string): void => {
    const parent = stack[stack.length - 1];
    if (parent === undefined) return;
    const last = parent.children.length - 1;
    const previous = parent.children[last];
    if (typeof previous === "string") parent.children[last] = previous + value;
    else parent.children.push(value);
  };
  parser.on("text", onText);
  parser.on("cdata", onText);

  try {
    parser.write(text).close();
  } catch (err) {
    if (err instanceof XmlSyntaxError) throw err;
    throw toSyntaxError(err instanceof Error ? err : new Error(String(err)), parser);
  }
  if (root === undefined) throw new XmlSyntaxError("document has no root element.", parser.line, parser.column);
  return root;
}

/** Returns the first child element called `name`, if any. */
export function childElement(element: XmlElement | undefined, name: string): XmlElement | undefined {
  if (element === undefined) return undefined;
  for (const c of element.children) if (typeof c !== "string" && c.name === name) return c;
  return undefined;
}

/** Returns every child element called `name` (every child element when `name` is omitted). */
export function childElements(element: XmlElement | undefined, name?: string): XmlElement[] {
  if (element === undefined) return [];
  const out: XmlElement[] = [];
  for (const c of element.children) {
    if (typeof c !== "string" && (name === undefined || c.name === name)) out.push(c);
  }
  return out;
}

/** Follows a `/`-separated path of child names, taking the first match at each step. */
export function elementAt(element: XmlElement | undefined, path: string): XmlElement | undefined {
  let current = element;
  for (const name of path.split("/")) current = childElement(current, name);
  return current;
}

/** Returns every element called `name` below `element`, in document order. */
export function descendants(element: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const visit = (el: XmlElement): void => {
    for (const c of el.children) {
      if (typeof c === "string") continue;
      if (c.name === name) out.push(c);
      visit(c);
    }
  };
  visit(element);
  return out;
}

/** Returns all text below an element exactly as written, entities decoded; "" for none. */
export function rawText(element: XmlElement | undefined): string {
  if (element === undefined) return "";
  let out = "";
  for (const c of element.children) out += typeof c === "string" ? c : rawText(c);
  return out;
}
