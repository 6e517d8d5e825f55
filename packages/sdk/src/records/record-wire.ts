import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";
import type { Tier } from "@ipfed/proto";

/** What a server needs to know of an encoded record before passing it on as it is. */
export interface RecordHead {
  /** `Record.id` (field 1). */
  id: string;
  /** `Record.access_tier` (field 34); 0 when unset. */
  accessTier: Tier;
  /** Whether `Record.withheld_fields` (field 37) lists anything. */
  withheld: boolean;
}

/**
 * Reads the id, access tier and whether fields are withheld from an encoded `Record`,
 * skipping every other field without decoding it.
 */
export function recordHead(bytes: Uint8Array): RecordHead {
  const reader = new BinaryReader(bytes);
  const head: RecordHead = { id: "", accessTier: 0, withheld: false };
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    const field = tag >>> 3;
    const wire = (tag & 7) as WireType;
    if (field === 1 && wire === WireType.LengthDelimited) head.id = reader.string();
    else if (field === 34 && wire === WireType.Varint) head.accessTier = reader.int32() as Tier;
    else {
      if (field === 37) head.withheld = true;
      reader.skip(wire, field);
    }
  }
  return head;
}
