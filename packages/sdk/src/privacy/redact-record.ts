import type { Record, Tier } from "@ipfed/proto";
import type { FieldShape, PolicyField, PolicyMessage } from "./field-tiers.js";
import { FieldTierPolicy, WITHHELD_FIELDS_FIELD } from "./field-tiers.js";
import { clearanceTier } from "./tier-order.js";

/** A generated message object seen generically: property name to value. */
type Msg = { [key: string]: unknown };

/** A field to remove when present. */
interface ClearStep {
  readonly key: string;
  readonly path: string;
  readonly shape: FieldShape;
  readonly oneof: { readonly key: string; readonly case: string } | undefined;
  /** Index of `path` in the sorted paths of the record plan; set once the plan is complete. */
  slot: number;
}

/** A message field to walk into, because something inside it may be withheld. */
interface DescendStep {
  readonly key: string;
  readonly shape: FieldShape;
  readonly oneof: { readonly key: string; readonly case: string } | undefined;
  readonly plan: MessagePlan;
  /** Also a personal-tier removal: skipped when the enclosing message is a natural person. */
  readonly personal: boolean;
}

/**
 * What to do to one message at one path for one clearance. Fields missing from all three lists
 * are copied by reference: at this clearance nothing in them can be withheld.
 */
interface MessagePlan {
  /** Fields above the clearance: always removed. */
  readonly clear: readonly ClearStep[];
  /** Fields above the clearance only for natural persons. */
  readonly personal: readonly ClearStep[];
  /** Property name of `natural_person`, when `personal` is not empty. */
  readonly naturalPersonKey: string | undefined;
  /** Visible message fields with something withheld inside. */
  readonly descend: readonly DescendStep[];
}

/** The plan of a whole record for one clearance. */
interface RecordPlan {
  readonly root: MessagePlan;
  /** Every path the plan can withhold, sorted: the report is read off in this order. */
  readonly paths: readonly string[];
}

/**
 * The result of {@link redactRecord}.
 *
 * @example
 * ```ts
 * const { record, withheld }: RedactedRecord = redactRecord(fullRecord, Tier.TIER_PUBLIC);
 * console.log(withheld); // e.g. ["claims", "inventors.address"]
 * ```
 */
export interface RedactedRecord {
  /** A copy of the record without the withheld fields; `withheldFields` lists them. */
  readonly record: Record;
  /** The same list as `record.withheldFields` (a separate array). */
  readonly withheld: string[];
}

// Plans by policy, then by clearance (0 = none .. 4 = CONFIDENTIAL); `null` means "nothing to do".
const plans = new WeakMap<FieldTierPolicy, (RecordPlan | null | undefined)[]>();

function step(f: PolicyField, steps: ClearStep[]): ClearStep {
  const s: ClearStep = { key: f.key, path: f.path, shape: f.shape, oneof: f.oneof, slot: -1 };
  steps.push(s);
  return s;
}

/**
 * Compiles the plan of a message for a clearance, or `null` when nothing inside it can be
 * withheld at that clearance (the caller then shares the value unchanged, without a walk).
 */
function compile(message: PolicyMessage, held: Tier, root: boolean, steps: ClearStep[]): MessagePlan | null {
  if (held >= message.maxTier) return null;
  const clear: ClearStep[] = [];
  const personal: ClearStep[] = [];
  const descend: DescendStep[] = [];
  for (const f of message.fields) {
    // The redaction report is the output; it is never itself withheld.
    if (root && f.name === WITHHELD_FIELDS_FIELD) continue;
    if (held < f.tier) {
      clear.push(step(f, steps));
      continue;
    }
    const isPersonal = message.naturalPersonKey !== undefined && held < f.personalTier;
    if (isPersonal) personal.push(step(f, steps));
    const inner = f.message ? compile(f.message, held, false, steps) : null;
    if (inner) descend.push({ key: f.key, shape: f.shape, oneof: f.oneof, plan: inner, personal: isPersonal });
  }
  if (clear.length === 0 && personal.length === 0 && descend.length === 0) return null;
  return {
    clear,
    personal,
    naturalPersonKey: personal.length > 0 ? message.naturalPersonKey : undefined,
    descend,
  };
}

function compileRecord(policy: FieldTierPolicy, held: Tier): RecordPlan | null {
  const steps: ClearStep[] = [];
  const root = compile(policy.root, held, true, steps);
  if (!root) return null;
  // Slots in sorted path order let the walk mark what it removed in a byte array, and the
  // report come out deduplicated and sorted without a Set or a sort per record.
  const paths = [...new Set(steps.map((s) => s.path))].sort();
  const slots = new Map(paths.map((p, i) => [p, i]));
  for (const s of steps) s.slot = slots.get(s.path) as number;
  return { root, paths };
}

function planFor(policy: FieldTierPolicy, held: Tier): RecordPlan | null {
  let byTier = plans.get(policy);
  if (!byTier) {
    byTier = [];
    plans.set(policy, byTier);
  }
  let plan = byTier[held];
  if (plan === undefined) {
    plan = compileRecord(policy, held);
    byTier[held] = plan;
  }
  return plan;
}

// Presence as canonical JSON sees it: a field at its proto3 default is not written.
function isPresent(value: unknown, shape: FieldShape): boolean {
  if (value === undefined || value === null) return false;
  switch (shape) {
    case "list":
      return (value as unknown[]).length > 0;
    case "map":
      for (const _ in value as object) return true;
      return false;
    case "message":
      return true;
    case "scalar":
      if (value === "" || value === 0 || value === false || value === 0n) return false;
      return !(value instanceof Uint8Array && value.length === 0);
  }
}

// The proto3 default of a field, as the generated `create()` makes it, so the field drops out
// of canonical JSON and of the binary encoding.
function emptyValue(shape: FieldShape, current: unknown): unknown {
  switch (shape) {
    case "list":
      return [];
    case "map":
      return {};
    case "message":
      return undefined;
    case "scalar":
      switch (typeof current) {
        case "string":
          return "";
        case "number":
          return 0;
        case "boolean":
          return false;
        case "bigint":
          return 0n;
        default:
          return current instanceof Uint8Array ? new Uint8Array(0) : undefined;
      }
  }
}

/** Removes the fields of `steps` present in `msg` into `copy` (made on first need). */
function clearFields(msg: Msg, copy: Msg | undefined, steps: readonly ClearStep[], withheld: Uint8Array): Msg | undefined {
  for (const s of steps) {
    if (s.oneof) {
      const union = msg[s.oneof.key] as { $case?: string } | undefined;
      if (union?.$case !== s.oneof.case) continue;
      copy ??= { ...msg };
      copy[s.oneof.key] = undefined;
    } else {
      const value = msg[s.key];
      if (!isPresent(value, s.shape)) continue;
      copy ??= { ...msg };
      copy[s.key] = emptyValue(s.shape, value);
    }
    withheld[s.slot] = 1;
  }
  return copy;
}

/**
 * Redacts one message; returns `msg` itself when nothing in it changed, so unchanged parts of a
 * record are shared rather than copied.
 */
function redactMessage(msg: Msg, plan: MessagePlan, withheld: Uint8Array): Msg {
  let copy = plan.clear.length > 0 ? clearFields(msg, undefined, plan.clear, withheld) : undefined;
  // Read from the input, not the copy: an override may withhold `natural_person` itself, and
  // the person's address must go all the same.
  const natural = plan.naturalPersonKey !== undefined && msg[plan.naturalPersonKey] === true;
  if (natural) copy = clearFields(msg, copy, plan.personal, withheld);
  for (const d of plan.descend) {
    if (natural && d.personal) continue;
    if (d.oneof) {
      const union = msg[d.oneof.key] as { $case?: string; value?: unknown } | undefined;
      if (union?.$case !== d.oneof.case || typeof union.value !== "object" || union.value === null) continue;
      const value = union.value as Msg;
      const next = redactMessage(value, d.plan, withheld);
      if (next === value) continue;
      copy ??= { ...msg };
      copy[d.oneof.key] = { $case: d.oneof.case, value: next };
      continue;
    }
    const value = msg[d.key];
    if (typeof value !== "object" || value === null) continue;
    let next: unknown = value;
    switch (d.shape) {
      case "list":
        next = redactList(value as unknown[], d.plan, withheld);
        break;
      case "map":
        next = redactMap(value as Msg, d.plan, withheld);
        break;
      case "message":
        next = redactMessage(value as Msg, d.plan, withheld);
        break;
      case "scalar":
        break;
    }
    if (next === value) continue;
    copy ??= { ...msg };
    copy[d.key] = next;
  }
  return copy ?? msg;
}

function redactList(list: readonly unknown[], plan: MessagePlan, withheld: Uint8Array): readonly unknown[] {
  let out: unknown[] | undefined;
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (typeof item !== "object" || item === null) continue;
    const next = redactMessage(item as Msg, plan, withheld);
    if (next === item) continue;
    out ??= list.slice();
    out[i] = next;
  }
  return out ?? list;
}

function redactMap(map: Msg, plan: MessagePlan, withheld: Uint8Array): Msg {
  let out: Msg | undefined;
  for (const key of Object.keys(map)) {
    const item = map[key];
    if (typeof item !== "object" || item === null) continue;
    const next = redactMessage(item as Msg, plan, withheld);
    if (next === item) continue;
    out ??= { ...map };
    out[key] = next;
  }
  return out ?? map;
}

/**
 * Whether a caller of `callerTier` receives every field of every record under `policy`:
 * {@link redactRecord} then removes nothing (it only reports withheld fields a record
 * already carries), so a record in its stored encoding can be passed on as it is.
 */
export function redactsNothing(callerTier: Tier, policy: FieldTierPolicy = FieldTierPolicy.schema()): boolean {
  return planFor(policy, clearanceTier(callerTier)) === null;
}

/**
 * Removes from a record every field the caller's tier may not see, and lists what it removed.
 *
 * Walks the record generically through the policy, which the descriptors built: nested
 * messages, repeated messages, the `detail` oneof and maps. A withheld field is set to its
 * proto3 default (empty list, `""`, `0`, `false`, `undefined` for a message or oneof, `{}` for
 * a map), so it is absent from the canonical JSON and the binary encoding, not merely empty.
 * The `(ipfed.v1.personal_tier)` of a field applies only when the enclosing message is a
 * natural person (a Party with `naturalPerson: true`): an inventor's home address is
 * RESTRICTED, a company's seat stays public.
 *
 * `withheld` (and `record.withheldFields`) lists the paths of the fields that were present and
 * removed, in proto names, deduplicated and sorted (`claims`, `examination_notes`, `extra`,
 * `inventors.address`, `inventors.city`), merged with any paths the input already listed (a
 * record redacted upstream, by the member that served it to a federating node). Fields that
 * were empty anyway are not listed. So the list tells the caller that a record has, say,
 * examination notes, never what they say: that is what `withheld_fields` is for (a user learns
 * that a higher tier would show more), and it is the only trace a withheld field leaves.
 *
 * The input is never changed. The result is a new object; parts of the record that nothing
 * was withheld from are shared with the input rather than copied, so treat both as immutable.
 * Whether the caller may see the record at all is a separate check: see `canSeeRecord`.
 *
 * Cost: plans are compiled once per policy and clearance, and only fields that can be withheld
 * at that clearance are visited (at CONFIDENTIAL none; at PUBLIC the tiered top-level fields and
 * the parties' personal fields).
 *
 * @example
 * ```ts
 * const policy = FieldTierPolicy.forDataset(dataset);
 * const { record, withheld } = redactRecord(stored, Tier.TIER_PUBLIC, policy);
 * withheld; // e.g. ["claims", "descriptions", "extra", "inventors.address", "inventors.city"]
 * record.claims; // []
 * ```
 */
export function redactRecord(record: Record, callerTier: Tier, policy: FieldTierPolicy = FieldTierPolicy.schema()): RedactedRecord {
  const plan = planFor(policy, clearanceTier(callerTier));
  const input = record as unknown as Msg;
  let redacted = input;
  let withheld: string[] = [];
  if (plan) {
    const marks = new Uint8Array(plan.paths.length);
    redacted = redactMessage(input, plan.root, marks);
    for (let i = 0; i < marks.length; i++) if (marks[i] === 1) withheld.push(plan.paths[i] as string);
  }
  const upstream = record.withheldFields;
  if (upstream !== undefined && upstream.length > 0) withheld = [...new Set([...upstream, ...withheld])].sort();
  // The walk already copied the top level when it withheld anything; copy it otherwise, so
  // that setting the report never writes to the input.
  const out = redacted === input ? { ...input } : redacted;
  out.withheldFields = withheld;
  return { record: out as unknown as Record, withheld: [...withheld] };
}
