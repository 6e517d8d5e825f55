import type { CatalogueSummary } from "@ipfed/proto";

/** Where a catalogue summary was seen, and when. */
export interface CatalogueSighting {
  /**
   * When the member reported it, milliseconds since the epoch: a gossip notice's `iat`, or the
   * heartbeat's time (`lastSeen`) for summaries the hub's registry holds.
   */
  readonly at: number;
  /**
   * The member's catalogue version when it reported it (a gossip notice's `version`); breaks
   * ties between reports of the same second.
   * @defaultValue unknown: loses a tie to any report that has one
   */
  readonly version?: number;
}

interface Entry extends CatalogueSighting {
  readonly summary: CatalogueSummary;
}

/**
 * The latest catalogue summary of each member, as heard from gossip (every node) or from
 * heartbeats (the hub's registry): what the federation directory plans from. The report made
 * last wins; reports of the same second are ordered by the member's catalogue version, so a
 * notice overtaken in transit by a newer one never replaces it.
 *
 * @example
 * ```ts
 * const book = new CatalogueBook();
 * book.note("scu-tisc", summary, { at: iat * 1000, version: 12 });
 * book.get("scu-tisc"); // summary
 * ```
 */
export class CatalogueBook {
  readonly #entries = new Map<string, Entry>();

  /** Records a report; returns true when it is now the member's latest. */
  note(memberId: string, summary: CatalogueSummary, seen: CatalogueSighting): boolean {
    if (!Number.isFinite(seen.at)) return false;
    const cur = this.#entries.get(memberId);
    if (cur !== undefined) {
      if (seen.at < cur.at) return false;
      if (seen.at === cur.at && (seen.version ?? -1) < (cur.version ?? -1)) return false;
    }
    this.#entries.set(memberId, { summary, ...seen });
    return true;
  }

  /** The member's latest summary, if any was heard. */
  get(memberId: string): CatalogueSummary | undefined {
    return this.#entries.get(memberId)?.summary;
  }

  /** The member's latest report with when it was made, if any. */
  sighting(memberId: string): (CatalogueSighting & { readonly summary: CatalogueSummary }) | undefined {
    return this.#entries.get(memberId);
  }

  /** Forgets members no longer in the network. */
  retain(memberIds: ReadonlySet<string>): void {
    for (const id of [...this.#entries.keys()]) if (!memberIds.has(id)) this.#entries.delete(id);
  }
}
