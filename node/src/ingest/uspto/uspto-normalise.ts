// Normalisers for the printed forms in USPTO XML: dates, document numbers, and the
// fixed-width classification symbols of the Red Book format.

/**
 * Turns a USPTO date (`20120327`) into `YYYY-MM-DD`.
 *
 * Cited US patents carry month precision only (`19010500`); those become `1901-05` (and a
 * year-only `19010000` becomes `1901`), because a day `00` is no date and inventing the 1st
 * would be wrong. Anything that is not eight digits is returned trimmed, as printed.
 *
 * @example
 * ```ts
 * usptoDate("20120327"); // "2012-03-27"
 * usptoDate("19010500"); // "1901-05"
 * ```
 */
export function usptoDate(printed: string): string {
  const s = printed.trim();
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (m === null) return s;
  const [, year, month, day] = m;
  if (month === "00") return year ?? "";
  if (day === "00") return `${year}-${month}`;
  return `${year}-${month}-${day}`;
}

/**
 * Normalises a document number: drops spaces and the leading zeros of the numeric part and
 * keeps a letter prefix (`07650331` → `7650331`, `D0512345` → `D512345`, `RE039999` →
 * `RE39999`, `PP015432` → `PP15432`, `H0002140` → `H2140`).
 *
 * @example
 * ```ts
 * normaliseDocNumber("D0656296"); // "D656296"
 * ```
 */
export function normaliseDocNumber(printed: string): string {
  const s = printed.replace(/\s+/g, "").toUpperCase();
  const m = /^([A-Z]*)0*(\d+)$/.exec(s);
  if (m === null) return s;
  return `${m[1] ?? ""}${m[2] ?? ""}`;
}

/**
 * Builds the canonical `CC-NUMBER-KIND` id of a patent document, or "" when a part is missing.
 *
 * @example
 * ```ts
 * canonicalId("US", "7650331", "B1"); // "US-7650331-B1"
 * ```
 */
export function canonicalId(country: string, number: string, kind: string): string {
  if (country === "" || number === "" || kind === "") return "";
  return `${country.toUpperCase()}-${number}-${kind.toUpperCase()}`;
}

/**
 * Normalises the number of a cited document for its canonical id: drops spaces and
 * punctuation (`2003/0056749` → `20030056749`, `0 370 613` → `370613`), a repeated country
 * prefix (`WO 98/51827` → `9851827`) and leading zeros, keeping a letter prefix (`D0455678` →
 * `D455678`). Returns "" when nothing number-like is left.
 *
 * @example
 * ```ts
 * citedNumberKey("EP", "0 370 613"); // "370613"
 * ```
 */
export function citedNumberKey(country: string, printed: string): string {
  let s = printed.toUpperCase().replace(/[\s/\-.,]+/g, "");
  const cc = country.toUpperCase();
  if (cc !== "" && s.startsWith(cc) && /^\d/.test(s.slice(cc.length))) s = s.slice(cc.length);
  const m = /^([A-Z]*)0*(\d[0-9A-Z]*)$/.exec(s);
  if (m === null) return /^[0-9A-Z]+$/.test(s) ? s : "";
  return `${m[1] ?? ""}${m[2] ?? ""}`;
}

function stripZeros(digits: string): string {
  const s = digits.replace(/^0+/, "");
  return s === "" && digits !== "" ? "0" : s;
}

/**
 * Builds an IPC (or CPC) symbol `H01M 10/052` from the parts of a `classification-ipcr` or
 * `classification-cpc` element. Returns "" when section, class or subclass is missing.
 *
 * @example
 * ```ts
 * ipcFromParts("H", "01", "M", "10", "052"); // "H01M 10/052"
 * ```
 */
export function ipcFromParts(
  section: string,
  cls: string,
  subclass: string,
  mainGroup: string,
  subgroup: string,
): string {
  const head = `${section.trim()}${cls.trim()}${subclass.trim()}`.toUpperCase();
  if (!/^[A-HY]\d{2}[A-Z]$/.test(head)) return head;
  const group = stripZeros(mainGroup.trim());
  const sub = subgroup.trim();
  if (group === "") return head;
  return `${head} ${group}/${sub === "" ? "00" : sub}`;
}

/**
 * Normalises an IPC symbol as printed in the older `classification-ipc` element to the
 * `H01M 10/052` shape. The Red Book prints it fixed-width: four characters of subclass, the
 * main group right-aligned in three, then the subgroup (`A45F  504` → `A45F 5/04`,
 * `H01L 21302` → `H01L 21/302`); a symbol already written with a slash is only tidied.
 *
 * @example
 * ```ts
 * normaliseIpc("C07C24900"); // "C07C 249/00"
 * normaliseIpc("B62D 1/16"); // "B62D 1/16"
 * ```
 */
export function normaliseIpc(printed: string): string {
  const s = printed.replace(/\s+$/, "").replace(/^\s+/, "").toUpperCase();
  const slashed = /^([A-HY]\d{2}[A-Z])\s*(\d{1,4})\s*\/\s*(\d{1,6})$/.exec(s);
  if (slashed !== null) return `${slashed[1]} ${stripZeros(slashed[2] ?? "")}/${slashed[3]}`;
  const fixed = /^([A-HY]\d{2}[A-Z])([ \d]{3})(\d{2,6})$/.exec(s);
  if (fixed !== null) {
    const group = stripZeros((fixed[2] ?? "").trim());
    if (group !== "") return `${fixed[1]} ${group}/${fixed[3]}`;
  }
  return s.replace(/\s+/g, " ");
}

function uspcClass(raw: string): string {
  const s = raw.replace(/\s+/g, "").toUpperCase();
  const m = /^([A-Z]*)0*(\d+)$/.exec(s);
  return m === null ? s : `${m[1] ?? ""}${m[2] ?? ""}`;
}

function uspcSubclass(raw: string): string {
  const compact = raw.replace(/\s+/g, "").toUpperCase();
  if (compact.startsWith("DIG")) return `DIG${stripZeros(compact.slice(3))}`;
  // Cross-reference art collections of class 257 and the like: `E33068` → `E33.068`.
  const e = /^E(\d{2})(\d+)$/.exec(compact);
  if (e !== null) return `E${e[1]}.${e[2]}`;
  // Three columns of main subclass, right-aligned, then decimals and letters.
  const main = raw.slice(0, 3).trim();
  const tail = raw.slice(3).replace(/\s+/g, "").toUpperCase();
  const t = /^(\d*)([A-Z]*)$/.exec(tail);
  if (!/^\d{1,3}$/.test(main) || t === null) return compact;
  const decimals = t[1] ?? "";
  return `${stripZeros(main)}${decimals === "" ? "" : `.${decimals}`}${t[2] ?? ""}`;
}

/**
 * Normalises a US (USPC) classification as printed in `classification-national` to the
 * `class/subclass` shape. The Red Book prints it fixed-width: class right-aligned in three
 * characters, main subclass right-aligned in three, then the subclass decimals and letters
 * without the dot (`429231.95` style is never printed): `  2 52` → `2/52`, `1983462` →
 * `198/346.2`, `D 2969` → `D2/969`, `257E33068` → `257/E33.068`, `156DIG 14` → `156/DIG14`.
 *
 * @example
 * ```ts
 * normaliseUspc("42823195"); // "428/231.95"
 * ```
 */
export function normaliseUspc(printed: string): string {
  const s = printed.replace(/\s+$/, "");
  if (s.trim() === "") return "";
  if (s.includes("/")) return s.replace(/\s+/g, "").toUpperCase();
  if (s.length <= 3) return uspcClass(s);
  const sub = uspcSubclass(s.slice(3));
  const cls = uspcClass(s.slice(0, 3));
  return sub === "" ? cls : `${cls}/${sub}`;
}

/**
 * Normalises a Locarno class as printed (`1216`) to `12-16`.
 *
 * @example
 * ```ts
 * normaliseLocarno("0901"); // "09-01"
 * ```
 */
export function normaliseLocarno(printed: string): string {
  const s = printed.replace(/\s+/g, "");
  const m = /^(\d{2})-?(\d{2})$/.exec(s);
  return m === null ? s : `${m[1]}-${m[2]}`;
}

/**
 * Reads a sequence attribute (`001`) as a number, or `fallback` when it is missing or bad.
 *
 * @example
 * ```ts
 * sequenceNumber("003", 1); // 3
 * ```
 */
export function sequenceNumber(printed: string | undefined, fallback: number): number {
  if (printed === undefined || !/^\s*\d+\s*$/.test(printed)) return fallback;
  return Number.parseInt(printed, 10);
}
