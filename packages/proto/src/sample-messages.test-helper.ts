import { ScalarType } from "@bufbuild/protobuf";
import type { DescField, DescMessage } from "@bufbuild/protobuf";

/**
 * Builds canonical-JSON samples of a message type with every field set to a non-default
 * value: one sample per case of each oneof, so that every field appears in some sample.
 */
export function sampleJson(type: DescMessage, depth = 0): Record<string, unknown>[] {
  const base: Record<string, unknown> = {};
  const variants: Record<string, unknown>[] = [];
  for (const f of type.fields) {
    if (f.oneof) continue;
    base[f.jsonName] = fieldValue(f, depth);
  }
  for (const oneof of type.oneofs) {
    for (const f of oneof.fields) variants.push({ [f.jsonName]: fieldValue(f, depth) });
  }
  if (variants.length === 0) return [base];
  return variants.map((v) => ({ ...base, ...v }));
}

function fieldValue(f: DescField, depth: number): unknown {
  switch (f.fieldKind) {
    case "scalar":
      return scalar(f.scalar, 1);
    case "enum": {
      const v = f.enum.values[f.enum.values.length - 1]!.name;
      return v;
    }
    case "message":
      return message(f.message, depth);
    case "list":
      if (f.listKind === "scalar") return [scalar(f.scalar, 1), scalar(f.scalar, 2)];
      if (f.listKind === "enum") return [f.enum.values[1]!.name, f.enum.values[f.enum.values.length - 1]!.name];
      return [message(f.message, depth), message(f.message, depth)];
    case "map":
      return { key_a: f.mapKind === "scalar" ? scalar(f.scalar, 1) : "x", key_b: f.mapKind === "scalar" ? scalar(f.scalar, 2) : "y" };
  }
}

function message(type: DescMessage, depth: number): unknown {
  if (type.typeName === "google.protobuf.Timestamp") return "2024-05-06T07:08:09.123Z";
  if (depth > 3) return {};
  return sampleJson(type, depth + 1)[0];
}

function scalar(t: ScalarType, n: number): unknown {
  switch (t) {
    case ScalarType.STRING:
      return `值-${n}-value`;
    case ScalarType.BOOL:
      return true;
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      return n + 0.5;
    case ScalarType.BYTES:
      return Buffer.from([n, 2, 3]).toString("base64");
    default:
      return 40 + n;
  }
}
