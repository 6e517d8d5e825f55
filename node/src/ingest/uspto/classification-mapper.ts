import { NationalClass } from "@ipfed/proto";
import { lineAt, plainLine } from "./plain-text.js";
import { ipcFromParts, normaliseIpc, normaliseLocarno, normaliseUspc } from "./uspto-normalise.js";
import { childElement, childElements, rawText } from "./xml-tree.js";
import type { XmlElement } from "./xml-tree.js";

function unique(values: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const v of values) if (v !== "") out.add(v);
  return [...out];
}

/**
 * Reads the IPC symbols of a `us-bibliographic-data-grant`, main one first, from
 * `classification-ipc` (v4.0, printed fixed-width) and `classifications-ipcr` (v4.1 on).
 *
 * @example
 * ```ts
 * ipcSymbols(biblio); // ["H01M 10/02", "H01M 4/04"]
 * ```
 */
export function ipcSymbols(biblio: XmlElement): string[] {
  const printed = childElement(biblio, "classification-ipc");
  // Fixed-width columns, as for the national classes: the raw text keeps the padding.
  const fromPrinted = [
    ...childElements(printed, "main-classification"),
    ...childElements(printed, "further-classification"),
  ].map((e) => normaliseIpc(rawText(e)));
  // The first IPC is the main one; ipcr marks it with symbol-position F, not by place.
  const ipcr = childElements(childElement(biblio, "classifications-ipcr"), "classification-ipcr");
  const first = ipcr.filter((e) => lineAt(e, "symbol-position") === "F");
  const later = ipcr.filter((e) => lineAt(e, "symbol-position") !== "F");
  return unique([...fromPrinted, ...[...first, ...later].map(symbolFromParts)]);
}

function symbolFromParts(e: XmlElement): string {
  return ipcFromParts(
    lineAt(e, "section"),
    lineAt(e, "class"),
    lineAt(e, "subclass"),
    lineAt(e, "main-group"),
    lineAt(e, "subgroup"),
  );
}

/**
 * Reads the CPC symbols of a `us-bibliographic-data-grant` (`classifications-cpc`, in grants
 * from 2013 on), main ones first.
 *
 * @example
 * ```ts
 * cpcSymbols(biblio); // ["H01M 10/0525", "Y02E 60/10"]
 * ```
 */
export function cpcSymbols(biblio: XmlElement): string[] {
  const cpc = childElement(biblio, "classifications-cpc");
  return unique(
    [
      ...childElements(childElement(cpc, "main-cpc"), "classification-cpc"),
      ...childElements(childElement(cpc, "further-cpc"), "classification-cpc"),
    ].map(symbolFromParts),
  );
}

/**
 * Reads the Locarno classes of a design grant (`classification-locarno`) as `12-16`.
 *
 * @example
 * ```ts
 * locarnoClasses(biblio); // ["14-03"]
 * ```
 */
export function locarnoClasses(biblio: XmlElement): string[] {
  const locarno = childElement(biblio, "classification-locarno");
  return unique(
    [
      ...childElements(locarno, "main-classification"),
      ...childElements(locarno, "further-classification"),
    ].map((e) => normaliseLocarno(plainLine(e))),
  );
}

/**
 * Reads the grant's own national (USPC) classes from `classification-national`, main first,
 * normalised to `class/subclass`. The field-of-search classes are not the document's.
 *
 * @example
 * ```ts
 * nationalClasses(biblio); // [{ country: "US", symbol: "429/189" }, ...]
 * ```
 */
export function nationalClasses(biblio: XmlElement): NationalClass[] {
  const out: NationalClass[] = [];
  const seen = new Set<string>();
  for (const national of childElements(biblio, "classification-national")) {
    const country = lineAt(national, "country") || "US";
    const symbols = [
      ...childElements(national, "main-classification"),
      ...childElements(national, "further-classification"),
    ];
    for (const e of symbols) {
      // Fixed-width columns: the leading padding is meaningful, so the raw text is normalised.
      const symbol = normaliseUspc(rawText(e).replace(/^[\r\n]+/, ""));
      if (symbol === "" || seen.has(`${country} ${symbol}`)) continue;
      seen.add(`${country} ${symbol}`);
      out.push(NationalClass.fromPartial({ country, symbol }));
    }
  }
  return out;
}
