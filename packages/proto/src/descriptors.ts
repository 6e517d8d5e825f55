import { createFileRegistry, fromBinary, getOption, hasOption } from "@bufbuild/protobuf";
import type { DescExtension, DescMessage, FileRegistry } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { descriptorSetBase64 } from "./gen/descriptor-set.js";

let registry: FileRegistry | undefined;

/**
 * Returns a registry of every file, message, enum, service and extension of ipfed.v1 (and
 * its imports), built from the descriptor set embedded at generation time.
 *
 * @example
 * ```ts
 * const record = protoRegistry().getMessage("ipfed.v1.Record");
 * console.log(record?.fields.length);
 * ```
 */
export function protoRegistry(): FileRegistry {
  if (!registry) {
    const set = fromBinary(FileDescriptorSetSchema, Buffer.from(descriptorSetBase64, "base64"));
    registry = createFileRegistry(set);
  }
  return registry;
}

/** The privacy-tier options declared on one field of the protocol. */
export interface FieldTierOption {
  /** Fully qualified message name, `ipfed.v1.Party`. */
  readonly message: string;
  /** Field name as in the .proto file, `natural_person`. */
  readonly field: string;
  /** Field name in JSON and TypeScript, `naturalPerson`. */
  readonly jsonName: string;
  /** Value of `(ipfed.v1.tier)`, a `Tier` number; 0 when absent. */
  readonly tier: number;
  /** Value of `(ipfed.v1.personal_tier)`, a `Tier` number; 0 when absent. */
  readonly personalTier: number;
  /** Fully qualified name of the field's message type, when it is a message field. */
  readonly messageType?: string;
}

let tierOptions: Map<string, FieldTierOption[]> | undefined;

/**
 * Reads the `(ipfed.v1.tier)` and `(ipfed.v1.personal_tier)` options of every field of every
 * ipfed.v1 message from the descriptors, keyed by fully qualified message name.
 *
 * @example
 * ```ts
 * const party = fieldTierOptions().get("ipfed.v1.Party");
 * party?.find((f) => f.field === "address")?.personalTier; // 3 (TIER_RESTRICTED)
 * ```
 */
export function fieldTierOptions(): ReadonlyMap<string, readonly FieldTierOption[]> {
  if (tierOptions) return tierOptions;
  const reg = protoRegistry();
  const tierExt = reg.getExtension("ipfed.v1.tier");
  const personalExt = reg.getExtension("ipfed.v1.personal_tier");
  if (!tierExt || !personalExt) throw new Error("descriptor set lacks the ipfed.v1 tier options");
  const map = new Map<string, FieldTierOption[]>();
  for (const type of reg) {
    if (type.kind !== "message" || !type.typeName.startsWith("ipfed.v1.")) continue;
    map.set(type.typeName, messageFields(type, tierExt, personalExt));
  }
  tierOptions = map;
  return map;
}

function messageFields(type: DescMessage, tierExt: DescExtension, personalExt: DescExtension): FieldTierOption[] {
  return type.fields.map((f) => ({
    message: type.typeName,
    field: f.name,
    jsonName: f.jsonName,
    tier: hasOption(f, tierExt) ? (getOption(f, tierExt) as number) : 0,
    personalTier: hasOption(f, personalExt) ? (getOption(f, personalExt) as number) : 0,
    ...(f.message ? { messageType: f.message.typeName } : {}),
  }));
}
