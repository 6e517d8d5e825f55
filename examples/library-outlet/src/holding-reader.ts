import type Database from "better-sqlite3";
import type { Record } from "@ipfed/proto";
import { canonicalId, holdingToRecord } from "./holding-mapping.js";
import type { HoldingRow, PersonRow } from "./holding-mapping.js";

/** A holdings row with its SQLite rowid. */
export type HoldingWithRowid = HoldingRow & { rowid: number };

/**
 * The people named on a holding, in role and list order.
 *
 * @example
 * ```ts
 * readPeople(db, "PT-2022-0001").map((p) => p.name); // ["深圳市华能新材料科技有限公司", "李明"]
 * ```
 */
export function readPeople(db: Database.Database, callNo: string): PersonRow[] {
  return db.prepare("SELECT * FROM people WHERE holding = ? ORDER BY role, seq").all(callNo) as PersonRow[];
}

/**
 * A holdings row by rowid, or undefined when it is gone.
 *
 * @example
 * ```ts
 * readHolding(db, 7)?.pub_no; // "CN114122334A"
 * ```
 */
export function readHolding(db: Database.Database, rowid: number): HoldingWithRowid | undefined {
  return db.prepare("SELECT rowid, * FROM holdings WHERE rowid = ?").get(rowid) as HoldingWithRowid | undefined;
}

/**
 * The canonical id of a printed publication number, or undefined when it cannot be read (such
 * a holding is not served).
 *
 * @example
 * ```ts
 * idOf("CN114122334A"); // "CN-114122334-A"
 * idOf("draft"); // undefined
 * ```
 */
export function idOf(pubNo: string): string | undefined {
  try {
    return canonicalId(pubNo);
  } catch {
    return undefined;
  }
}

/**
 * The protocol record of a holding (by rowid), whole; undefined when the holding is gone or its
 * publication number cannot be read.
 *
 * @example
 * ```ts
 * readRecord(db, 7, "gd-sz-library")?.id; // "CN-114122334-A"
 * ```
 */
export function readRecord(db: Database.Database, rowid: number, memberId: string): Record | undefined {
  const row = readHolding(db, rowid);
  if (!row || !idOf(row.pub_no)) return undefined;
  return holdingToRecord(row, readPeople(db, row.call_no), memberId);
}
