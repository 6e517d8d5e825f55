/**
 * The Porter2 ("Snowball English") stemmer of Martin Porter, as in Snowball 2.2.
 *
 * Written for the index: a word is expected in lower case, letters `a`-`z` and apostrophes.
 * Anything else passes through the steps harmlessly, but the analyzer does not send it here.
 */

// Words the algorithm treats as exceptions before any step (whole words only).
const EXCEPTIONS: ReadonlyMap<string, string> = new Map([
  ["skis", "ski"],
  ["skies", "sky"],
  ["dying", "die"],
  ["lying", "lie"],
  ["tying", "tie"],
  ["idly", "idl"],
  ["gently", "gentl"],
  ["ugly", "ugli"],
  ["early", "earli"],
  ["only", "onli"],
  ["singly", "singl"],
  ["sky", "sky"],
  ["news", "news"],
  ["howe", "howe"],
  ["atlas", "atlas"],
  ["cosmos", "cosmos"],
  ["bias", "bias"],
  ["andes", "andes"],
]);

// Words left alone once step 1a has run.
const AFTER_1A: ReadonlySet<string> = new Set([
  "inning",
  "outing",
  "canning",
  "herring",
  "earring",
  "proceed",
  "exceed",
  "succeed",
]);

const DOUBLES: ReadonlySet<string> = new Set(["bb", "dd", "ff", "gg", "mm", "nn", "pp", "rr", "tt"]);
const LI_ENDINGS = "cdeghkmnrt";

// Suffix tables, longest first: the algorithm acts on the longest suffix that matches, and when
// that one's condition fails it does nothing (it never falls back to a shorter one).
const STEP2_TABLE: [string, string][] = [
  ["ational", "ate"], ["tional", "tion"], ["biliti", "ble"], ["lessli", "less"],
  ["ization", "ize"], ["fulness", "ful"], ["ousness", "ous"], ["iveness", "ive"],
  ["alism", "al"], ["aliti", "al"], ["iviti", "ive"], ["ousli", "ous"], ["entli", "ent"],
  ["fulli", "ful"], ["ation", "ate"], ["enci", "ence"], ["anci", "ance"], ["abli", "able"],
  ["izer", "ize"], ["ator", "ate"], ["alli", "al"], ["bli", "ble"], ["ogi", "og"], ["li", ""],
];
const STEP2: readonly (readonly [string, string])[] = STEP2_TABLE.sort((a, b) => b[0].length - a[0].length);

const STEP3: readonly (readonly [string, string])[] = [
  ["ational", "ate"], ["tional", "tion"], ["alize", "al"], ["icate", "ic"], ["iciti", "ic"],
  ["ative", ""], ["ical", "ic"], ["ness", ""], ["ful", ""],
];

const STEP4: readonly string[] = [
  "ement", "ance", "ence", "able", "ible", "ment", "ant", "ent", "ism", "ate", "iti", "ous",
  "ive", "ize", "ion", "al", "er", "ic",
];

function isVowel(c: string | undefined): boolean {
  return c === "a" || c === "e" || c === "i" || c === "o" || c === "u" || c === "y";
}

/** Index just past the first non-vowel that follows a vowel, from `start`; -1 if none. */
function afterVowelConsonant(w: string, start: number): number {
  let i = start;
  while (i < w.length && !isVowel(w[i])) i++;
  i++;
  while (i < w.length && isVowel(w[i])) i++;
  return i < w.length ? i + 1 : -1;
}

/** Whether `w` ends in a short syllable. */
function endsShort(w: string): boolean {
  const n = w.length;
  const last = w[n - 1];
  if (n >= 3 && !isVowel(last) && last !== "w" && last !== "x" && last !== "Y") {
    if (isVowel(w[n - 2]) && !isVowel(w[n - 3])) return true;
  }
  return n === 2 && isVowel(w[0]) && !isVowel(last);
}

function hasVowel(w: string, end: number): boolean {
  for (let i = end - 1; i >= 0; i--) if (isVowel(w[i])) return true;
  return false;
}

function endingOf(w: string, table: readonly (readonly [string, string])[]): readonly [string, string] | undefined {
  for (const entry of table) if (w.endsWith(entry[0])) return entry;
  return undefined;
}

/**
 * Stems one English word with Porter2 (Snowball English).
 *
 * @example
 * ```ts
 * stemEnglish("batteries"); // "batteri"
 * stemEnglish("running"); // "run"
 * stemEnglish("electrodes"); // "electrod"
 * ```
 */
export function stemEnglish(word: string): string {
  const exception = EXCEPTIONS.get(word);
  if (exception !== undefined) return exception;
  if (word.length < 3) return word;

  // Prelude: a leading apostrophe goes; a `y` that acts as a consonant becomes `Y`.
  let w = word.startsWith("'") ? word.slice(1) : word;
  if (w.includes("y")) {
    let marked = w[0] === "y" ? "Y" : (w[0] ?? "");
    for (let i = 1; i < w.length; i++) marked += w[i] === "y" && isVowel(marked[i - 1]) ? "Y" : w[i];
    w = marked;
  }

  const generic = /^(gener|commun|arsen)/.exec(w);
  const r1Start = generic !== null ? (generic[1] as string).length : afterVowelConsonant(w, 0);
  const p1 = r1Start < 0 ? w.length : r1Start;
  const r2Start = r1Start < 0 ? -1 : afterVowelConsonant(w, p1);
  const p2 = r2Start < 0 ? w.length : r2Start;

  w = step1a(w);
  if (!AFTER_1A.has(w)) w = steps1bTo5(w, p1, p2);
  return w.replace(/Y/g, "y");
}

function step1a(word: string): string {
  let w = word;
  for (const possessive of ["'s'", "'s", "'"]) {
    if (w.endsWith(possessive)) {
      w = w.slice(0, -possessive.length);
      break;
    }
  }
  if (w.endsWith("sses")) return w.slice(0, -2);
  if (w.endsWith("ied") || w.endsWith("ies")) return w.slice(0, -3) + (w.length > 4 ? "i" : "ie");
  if (w.endsWith("ss") || w.endsWith("us")) return w;
  // A final s goes if a vowel comes before the letter just before it: gaps -> gap, gas stays.
  if (w.endsWith("s") && w.length >= 2 && hasVowel(w, w.length - 2)) return w.slice(0, -1);
  return w;
}

function steps1bTo5(word: string, p1: number, p2: number): string {
  let w = step1b(word, p1);
  // Step 1c: y -> i after a consonant that is not the first letter.
  const last = w[w.length - 1];
  if ((last === "y" || last === "Y") && w.length > 2 && !isVowel(w[w.length - 2])) w = `${w.slice(0, -1)}i`;

  const s2 = endingOf(w, STEP2);
  if (s2 !== undefined && w.length - s2[0].length >= p1) {
    const stem = w.slice(0, -s2[0].length);
    const before = stem[stem.length - 1] ?? "";
    if (s2[0] === "ogi") {
      if (before === "l") w = `${stem}og`;
    } else if (s2[0] === "li") {
      if (before !== "" && LI_ENDINGS.includes(before)) w = stem;
    } else {
      w = stem + s2[1];
    }
  }

  const s3 = endingOf(w, STEP3);
  if (s3 !== undefined && w.length - s3[0].length >= p1) {
    if (s3[0] !== "ative" || w.length - 5 >= p2) w = w.slice(0, -s3[0].length) + s3[1];
  }

  const s4 = STEP4.find((suffix) => w.endsWith(suffix));
  if (s4 !== undefined && w.length - s4.length >= p2) {
    const before = w[w.length - s4.length - 1];
    if (s4 !== "ion" || before === "s" || before === "t") w = w.slice(0, -s4.length);
  }

  // Step 5: a final e or double l.
  const n = w.length;
  if (w.endsWith("e")) {
    if (n - 1 >= p2 || (n - 1 >= p1 && !endsShort(w.slice(0, -1)))) w = w.slice(0, -1);
  } else if (w.endsWith("ll") && n - 1 >= p2) {
    w = w.slice(0, -1);
  }
  return w;
}

function step1b(w: string, p1: number): string {
  for (const suffix of ["eedly", "eed"]) {
    if (w.endsWith(suffix)) return w.length - suffix.length >= p1 ? `${w.slice(0, -suffix.length)}ee` : w;
  }
  for (const suffix of ["ingly", "edly", "ing", "ed"]) {
    if (!w.endsWith(suffix)) continue;
    const stem = w.slice(0, -suffix.length);
    if (!hasVowel(stem, stem.length)) return w;
    if (stem.endsWith("at") || stem.endsWith("bl") || stem.endsWith("iz")) return `${stem}e`;
    if (DOUBLES.has(stem.slice(-2))) return stem.slice(0, -1);
    // A short word (R1 empty, ending in a short syllable) gets its e back: hop(ing) -> hope.
    if (stem.length === p1 && endsShort(stem)) return `${stem}e`;
    return stem;
  }
  return w;
}
