// Property test over a generated corpus: for every record, tier and policy, no field above the
// caller's tier survives redaction, nothing at or below it is lost, and the report is exact.
// The checks read the descriptors themselves (protoRegistry, fieldTierOptions) and apply
// tier.proto's rules with their own code, independently of field-tiers.ts and redact-record.ts.

import { Record, Tier, fieldTierOptions, protoRegistry } from "@ipfed/proto";
import type { FieldTier } from "@ipfed/proto";
import { describe, expect, it } from "vitest";
import { generateCorpus } from "../../../corpus/src/corpus.js";
import { FieldTierPolicy } from "./field-tiers.js";
import { OVERRIDES, deepFreeze, giRecord, lawRecord, trademarkRecord, usptoRecord } from "./privacy-fixtures.test-helper.js";
import { redactRecord } from "./redact-record.js";
import { tierName } from "./tier-order.js";

type Msg = { [key: string]: unknown };

const registry = protoRegistry();
const options = fieldTierOptions();

// tier.proto: an unset field tier is PUBLIC.
const need = (t: number): number => (t === 0 ? Tier.TIER_PUBLIC : t);

// Present as canonical JSON sees it: proto3 defaults and empty lists and maps are not written;
// a message is written whenever it is set.
function isPresent(value: unknown, kind: string): boolean {
  if (value === undefined || value === null || value === "" || value === 0 || value === false) return false;
  if (Array.isArray(value) || value instanceof Uint8Array) return value.length > 0;
  if (kind === "map") return Object.keys(value as Msg).length > 0;
  return true;
}

interface Ctx {
  readonly held: number;
  readonly overrides: ReadonlyMap<string, number>;
}

/** The tier a field needs at `path`, by the rules of tier.proto plus "overrides only raise". */
function fieldNeed(typeName: string, field: string, path: string, reach: number, natural: boolean, ctx: Ctx): number {
  const option = options.get(typeName)?.find((o) => o.field === field);
  if (!option) throw new Error(`no tier option for ${typeName}.${field}`);
  let own = Math.max(need(option.tier), need(ctx.overrides.get(path) ?? 0));
  if (natural) own = Math.max(own, option.personalTier);
  return Math.max(reach, own);
}

function fieldValue(msg: Msg, f: { localName: string; oneof?: { localName: string } | undefined }): unknown {
  if (f.oneof) {
    const union = msg[f.oneof.localName] as { $case?: string; value?: unknown } | undefined;
    return union?.$case === f.localName ? union.value : undefined;
  }
  return msg[f.localName];
}

function children(value: unknown, kind: string): unknown[] {
  if (kind === "list") return value as unknown[];
  if (kind === "map") return Object.values(value as Msg);
  return [value];
}

/**
 * Walks the redacted message beside the original (whose `natural_person` decides, since an
 * override may withhold the flag itself) and lists every present field above the clearance.
 */
function leaks(original: Msg, redacted: Msg, typeName: string, prefix: string, reach: number, ctx: Ctx, out: string[]): void {
  const desc = registry.getMessage(typeName);
  if (!desc) throw new Error(typeName);
  const natural = desc.fields.some((f) => f.name === "natural_person") && original.naturalPerson === true;
  for (const f of desc.fields) {
    const path = prefix === "" ? f.name : `${prefix}.${f.name}`;
    if (path === "withheld_fields") continue;
    const value = fieldValue(redacted, f);
    if (!isPresent(value, f.fieldKind)) continue;
    const needed = fieldNeed(typeName, f.name, path, reach, natural, ctx);
    if (needed > ctx.held) {
      out.push(path);
      continue;
    }
    const sub = f.message?.typeName;
    if (sub === undefined || !options.has(sub)) continue;
    const originals = children(fieldValue(original, f), f.fieldKind);
    children(value, f.fieldKind).forEach((v, i) => leaks(originals[i] as Msg, v as Msg, sub, path, needed, ctx, out));
  }
}

function emptyOf(f: { fieldKind: string; scalar?: number }): unknown {
  switch (f.fieldKind) {
    case "list":
      return [];
    case "map":
      return {};
    case "message":
      return undefined;
    case "enum":
      return 0;
    default:
      // ScalarType: 8 BOOL, 9 STRING, 12 BYTES; every number type reads 0.
      return f.scalar === 9 ? "" : f.scalar === 8 ? false : f.scalar === 12 ? new Uint8Array(0) : 0;
  }
}

/** A plain, slow redaction to compare with: copy every message, reset what is above the clearance. */
function reference(msg: Msg, typeName: string, prefix: string, reach: number, ctx: Ctx, withheld: Set<string>): Msg {
  const desc = registry.getMessage(typeName);
  if (!desc) throw new Error(typeName);
  const natural = desc.fields.some((f) => f.name === "natural_person") && msg.naturalPerson === true;
  const out: Msg = { ...msg };
  for (const f of desc.fields) {
    const path = prefix === "" ? f.name : `${prefix}.${f.name}`;
    if (path === "withheld_fields") continue;
    const value = fieldValue(msg, f);
    if (!isPresent(value, f.fieldKind)) continue;
    const needed = fieldNeed(typeName, f.name, path, reach, natural, ctx);
    if (needed > ctx.held) {
      withheld.add(path);
      if (f.oneof) out[f.oneof.localName] = undefined;
      else out[f.localName] = emptyOf(f as { fieldKind: string; scalar?: number });
      continue;
    }
    const sub = f.message?.typeName;
    if (sub === undefined || !options.has(sub)) continue;
    const walk = (v: unknown): unknown => reference(v as Msg, sub, path, needed, ctx, withheld);
    let next: unknown;
    if (f.fieldKind === "list") next = (value as unknown[]).map(walk);
    else if (f.fieldKind === "map") next = Object.fromEntries(Object.entries(value as Msg).map(([k, v]) => [k, walk(v)]));
    else next = walk(value);
    if (f.oneof) out[f.oneof.localName] = { $case: f.localName, value: next };
    else out[f.localName] = next;
  }
  return out;
}

const EXTRA_OVERRIDES: readonly FieldTier[] = [
  ...OVERRIDES,
  { field: "inventors", tier: Tier.TIER_REGISTERED },
  { field: "citations.text", tier: Tier.TIER_CONFIDENTIAL },
  { field: "legal_events.description", tier: Tier.TIER_RESTRICTED },
  { field: "geographical_indication.protected_area", tier: Tier.TIER_RESTRICTED },
  { field: "ic_layout.structure", tier: Tier.TIER_REGISTERED },
  { field: "provenance", tier: Tier.TIER_REGISTERED },
  { field: "nice", tier: Tier.TIER_REGISTERED },
  { field: "agents.natural_person", tier: Tier.TIER_RESTRICTED },
];

const POLICIES: readonly { readonly name: string; readonly overrides: readonly FieldTier[] }[] = [
  { name: "schema", overrides: [] },
  { name: "overrides", overrides: EXTRA_OVERRIDES },
];

const CLEARANCES = [Tier.TIER_UNSPECIFIED, Tier.TIER_PUBLIC, Tier.TIER_REGISTERED, Tier.TIER_RESTRICTED, Tier.TIER_CONFIDENTIAL];

const corpus = [
  ...generateCorpus({ size: 1000, seed: 20_240_601, trademarkShare: 0.25 }),
  usptoRecord(),
  trademarkRecord(),
  giRecord(),
  lawRecord(),
].map(deepFreeze);

describe("redaction over 1,000 generated records", () => {
  it("the corpus exercises what redaction must handle", () => {
    const people = corpus.filter((r) => [...r.applicants, ...r.inventors].some((p) => p.naturalPerson && p.city !== ""));
    const companiesWithSeat = corpus.filter((r) => r.applicants.some((p) => !p.naturalPerson && p.address !== ""));
    expect(people.length).toBeGreaterThan(100);
    expect(companiesWithSeat.length).toBeGreaterThan(100);
    expect(corpus.filter((r) => r.claims.length > 0).length).toBeGreaterThan(500);
    expect(corpus.filter((r) => r.examinationNotes.length > 0).length).toBeGreaterThan(0);
    expect(corpus.filter((r) => r.detail?.$case === "trademark").length).toBeGreaterThan(100);
    expect(corpus.filter((r) => r.detail?.$case === "geographicalIndication").length).toBeGreaterThan(0);
  });

  for (const { name, overrides } of POLICIES) {
    const policy = FieldTierPolicy.withOverrides(overrides);
    const overrideMap = new Map<string, number>();
    for (const o of overrides) overrideMap.set(o.field, Math.max(overrideMap.get(o.field) ?? 0, o.tier));

    for (const held of CLEARANCES) {
      it(`${name}, ${tierName(held)}: nothing above it survives, nothing else is lost, the report is exact`, () => {
        const ctx: Ctx = { held, overrides: overrideMap };
        let withheldSomething = 0;
        for (const original of corpus) {
          const { record, withheld } = redactRecord(original, held, policy);
          const found: string[] = [];
          leaks(original as unknown as Msg, record as unknown as Msg, "ipfed.v1.Record", "", Tier.TIER_PUBLIC, ctx, found);
          expect(found, original.id).toEqual([]);

          const expectedWithheld = new Set<string>();
          const expected = reference(original as unknown as Msg, "ipfed.v1.Record", "", Tier.TIER_PUBLIC, ctx, expectedWithheld);
          expected.withheldFields = [...expectedWithheld].sort();
          expect(record, original.id).toEqual(expected);
          expect(withheld).toEqual(expected.withheldFields);

          // What a caller receives: the canonical JSON, with no key for anything withheld.
          const back = Record.fromJSON(Record.toJSON(record));
          const again: string[] = [];
          leaks(original as unknown as Msg, back as unknown as Msg, "ipfed.v1.Record", "", Tier.TIER_PUBLIC, ctx, again);
          expect(again, original.id).toEqual([]);
          if (withheld.length > 0) withheldSomething++;
        }
        if (held < Tier.TIER_CONFIDENTIAL) expect(withheldSomething).toBeGreaterThan(0);
        else expect(withheldSomething).toBe(0);
      });
    }
  }
});
