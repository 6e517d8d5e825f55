// Small text helpers for the English side of the paired phrases, and number padding.

/**
 * The indefinite article for an English noun phrase: `an` before a vowel sound, `a` otherwise
 * (`an electrode`, `a uniform coating`, `a 5G antenna`, `an LED lamp`).
 */
export function article(phrase: string): "a" | "an" {
  const c = phrase.charCodeAt(0) | 0x20;
  if (c === 0x61 || c === 0x65 || c === 0x69 || c === 0x6f) return "an"; // a e i o
  if (c === 0x75) {
    // "u": "an ultrasonic", "a uniform", "a user", "a utility"
    const next = phrase.slice(0, 3).toLowerCase();
    return next === "uni" || next.startsWith("us") || next.startsWith("ut") ? "a" : "an";
  }
  // Initialisms read letter by letter: "an LED", "an MRI", "an SOC".
  if (/^[FHLMNRSX][A-Z]/.test(phrase)) return "an";
  return "a";
}

/** The phrase with its indefinite article: `a graphene film`, `an electrode`. */
export function withArticle(phrase: string): string {
  return `${article(phrase)} ${phrase}`;
}

/** The first letter in upper case: titles and sentences. */
export function capitalize(text: string): string {
  return text.length === 0 ? text : text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Joins English list items: `a`, `a and b`, `a, b and c`.
 *
 * @example
 * ```ts
 * englishList(["a", "b", "c"]); // "a, b and c"
 * ```
 */
export function englishList(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1] as string}`;
}

/**
 * Joins Chinese list items with the enumeration comma and 和: `甲`, `甲和乙`, `甲、乙和丙`.
 */
export function chineseList(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join("、")}和${items[items.length - 1] as string}`;
}

/** A non-negative integer as a decimal string of at least `width` digits. */
export function pad(value: number, width: number): string {
  const s = String(value);
  return s.length >= width ? s : "0".repeat(width - s.length) + s;
}
