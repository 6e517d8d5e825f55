import { createHash } from "node:crypto";
import { Record } from "@ipfed/proto";

/**
 * Returns a digest of a record's content, leaving out what the store itself sets
 * (provenance, withheld fields), so that re-importing the same data is recognised as
 * unchanged.
 */
export function contentHash(record: Record): string {
  const bare = Record.encode({ ...record, provenance: undefined, withheldFields: [] }).finish();
  return createHash("sha256").update(bare).digest("base64url").slice(0, 22);
}
