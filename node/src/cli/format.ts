import { RecordKind, Tier } from "@ipfed/proto";
import type { LocalizedText, Record } from "@ipfed/proto";

/** A tier as a lower-case word (`public`). */
export function tierName(t: Tier): string {
  return t === Tier.TIER_UNSPECIFIED ? "public" : (Tier[t] ?? "unknown").replace("TIER_", "").toLowerCase();
}

/** A record kind as a lower-case word (`patent`). */
export function kindName(k: RecordKind): string {
  return (RecordKind[k] ?? "unknown").replace("RECORD_KIND_", "").toLowerCase();
}

/** The text in the preferred language, else the first one. */
export function pick(texts: readonly LocalizedText[], lang = "en"): string {
  return texts.find((t) => t.lang === lang)?.text ?? texts[0]?.text ?? "";
}

/** Cuts a string to a display width, counting CJK characters as two columns. */
export function fit(s: string, width: number): string {
  let w = 0;
  let out = "";
  for (const ch of s) {
    const cw = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
    if (w + cw > width - (w + cw < width ? 0 : 1)) {
      return out + "…" + " ".repeat(Math.max(0, width - w - 1));
    }
    out += ch;
    w += cw;
  }
  return out + " ".repeat(Math.max(0, width - w));
}

/** A one-line summary of a record for tables. */
export function recordLine(r: Record): string {
  return `${r.id}  ${r.publicationDate}  ${pick(r.titles)}`;
}

/** Texts by language with the Chinese and English ones replaced where given (CLI `--*-zh`/`--*-en` flags). */
export function withTexts(zh: string | undefined, en: string | undefined, old: readonly LocalizedText[]): LocalizedText[] {
  const out = new Map(old.map((t) => [t.lang, t.text]));
  if (zh !== undefined) out.set("zh", zh);
  if (en !== undefined) out.set("en", en);
  return [...out].map(([lang, text]) => ({ lang, text }));
}
