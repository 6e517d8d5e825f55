/**
 * Writes a JSON value with object keys sorted at every level and no whitespace, so that equal
 * values give equal text whatever order their keys were set in. Signatures over configurations
 * and registrations are made and checked on this text.
 *
 * Properties whose value is `undefined` are left out, as `JSON.stringify` does; `undefined`,
 * functions, symbols, bigints and non-finite numbers anywhere else are refused rather than
 * silently turned into `null`.
 *
 * @throws TypeError for a value JSON cannot represent.
 * @example
 * ```ts
 * canonicalJson({ b: 1, a: [true, { d: null, c: "x" }] }); // '{"a":[true,{"c":"x","d":null}],"b":1}'
 * ```
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === "boolean" || typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError("canonical JSON has no representation for a non-finite number");
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(",")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      // Code-unit order (not locale order), so that every implementation sorts the same way.
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  throw new TypeError(`canonical JSON has no representation for a ${typeof value}`);
}
