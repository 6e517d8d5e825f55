import { readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Metadata } from "@grpc/grpc-js";
import type { ServiceError } from "@grpc/grpc-js";
import { CatalogueServiceClient, ChangeType, Dataset, EndpointKind, ExchangeServiceClient, HarvestRequest, ListDatasetsRequest, Tier } from "@ipfed/proto";
import type { HarvestResponse, ListDatasetsResponse, NetworkConfig } from "@ipfed/proto";
import { channelFor, fromGrpcError, issueToken } from "@ipfed/sdk";
import type { TlsIdentity } from "@ipfed/sdk";
import { grpcCertificateOf } from "./member-record.js";
import type { Logger } from "../logger.js";
import type { NodeStore } from "../store/node-store.js";
import type { NodeTrust } from "../trust/node-trust.js";

/** Name of the file where the hub keeps its harvest cursors (one per mirrored dataset). */
export const MIRRORS_FILE = "mirrors.json";

/** The local id of a mirrored dataset: `<member>--<dataset>`. */
export function mirrorDatasetId(memberId: string, datasetId: string): string {
  return `${memberId}--${datasetId}`;
}

/** What {@link HubMirror} needs. */
export interface HubMirrorInit {
  readonly dir: string;
  readonly hubId: string;
  readonly store: NodeStore;
  readonly trust: NodeTrust;
  /** The current network configuration (members and their addresses). */
  readonly config: () => NetworkConfig | undefined;
  readonly log: Logger;
  /** The hub's TLS identity, presented to members (mutual TLS); none: plaintext to members without TLS only. */
  readonly tls?: TlsIdentity | undefined;
  /** Plaintext to members whose address is not loopback. */
  readonly allowPlaintext?: boolean;
  /**
   * Milliseconds between sync rounds.
   * @defaultValue 2000
   */
  readonly intervalMs?: number;
}

/**
 * Keeps copies, at the hub, of the datasets members allow to be mirrored
 * (`Dataset.mirror_allowed`), exactly in sync through `Harvest`: upserts and deletions are
 * applied in order, and the cursor is saved only after the changes it covers are written,
 * so a crash repeats work (harmlessly: writes are idempotent) but never skips any. The hub
 * harvests as a PUBLIC caller, so a mirror holds only what the public may see.
 */
export class HubMirror {
  readonly #init: HubMirrorInit;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #cursors: { [local: string]: string } = {};

  constructor(init: HubMirrorInit) {
    this.#init = init;
  }

  /** Loads saved cursors and starts syncing. */
  async start(): Promise<void> {
    try {
      this.#cursors = JSON.parse(await readFile(join(this.#init.dir, MIRRORS_FILE), "utf8")) as { [local: string]: string };
    } catch {
      this.#cursors = {};
    }
    this.#timer = setInterval(() => void this.syncOnce(), this.#init.intervalMs ?? 2000);
    this.#timer.unref();
  }

  /** Stops syncing and waits for a round in progress. */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  /** Runs one sync round over every member (at most one round at a time). */
  syncOnce(): Promise<void> {
    this.#running ??= this.#round().finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #round(): Promise<void> {
    const cfg = this.#init.config();
    if (!cfg) return;
    for (const m of cfg.members) {
      if (m.id === this.#init.hubId) continue;
      const address = m.endpoints.find((e) => e.kind === EndpointKind.ENDPOINT_KIND_GRPC)?.address;
      if (!address) continue;
      try {
        await this.#syncMember(m.id, address, grpcCertificateOf(m));
      } catch (err) {
        const e = err as ServiceError;
        this.#init.log.debug({ member: m.id, err: e.details ?? e.message }, "mirror: member not reachable");
      }
    }
  }

  async #token(member: string): Promise<string> {
    return issueToken(this.#init.trust.signingKey(), {
      issuer: this.#init.hubId,
      subject: `mirror@${this.#init.hubId}`,
      audience: member,
      tier: Tier.TIER_PUBLIC,
      scopes: ["read", "export"],
      ttlSeconds: 120,
    });
  }

  async #syncMember(member: string, address: string, certificate: Buffer | undefined): Promise<void> {
    const md = new Metadata();
    md.set("authorization", `Bearer ${await this.#token(member)}`);
    const own = this.#init.tls;
    const channel = channelFor(address, { tls: certificate ? { ca: certificate, ...(own ? { cert: own.cert, key: own.key } : {}) } : false, allowPlaintext: this.#init.allowPlaintext });
    const cat = new CatalogueServiceClient(address, channel.credentials, channel.options);
    const ex = new ExchangeServiceClient(address, channel.credentials, { "grpc.max_receive_message_length": 64 * 1024 * 1024, ...channel.options });
    const deadline = () => ({ deadline: new Date(Date.now() + 15_000) });
    try {
      const list = await new Promise<ListDatasetsResponse>((resolve, reject) =>
        cat.listDatasets(ListDatasetsRequest.fromPartial({ pageSize: 1000 }), md, deadline(), (err, res) => (err ? reject(err) : resolve(res))),
      );
      for (const d of list.datasets.filter((x) => x.mirrorAllowed)) {
        const local = mirrorDatasetId(member, d.id);
        const { store, index } = this.#init.store;
        if (!(await store.getDataset(local))) {
          await store.putDataset(
            Dataset.fromPartial({
              ...d,
              id: local,
              publisher: member,
              keywords: [...d.keywords, `mirror:${member}/${d.id}`],
              mirrorAllowed: false,
              recordCount: 0,
            }),
          );
        }
        for (;;) {
          const res = await new Promise<HarvestResponse>((resolve, reject) =>
            ex.harvest(HarvestRequest.fromPartial({ datasetId: d.id, cursor: this.#cursors[local] ?? "", limit: 1000 }), md, deadline(), (err, r) =>
              err ? reject(err) : resolve(r),
            ),
          );
          if (res.changes.length) {
            await store.write(
              local,
              res.changes.map((c) =>
                c.type === ChangeType.CHANGE_TYPE_DELETE || !c.record
                  ? { type: "delete" as const, id: c.recordId }
                  : { type: "put" as const, record: { ...c.record, withheldFields: [], provenance: { memberId: member, version: 0, source: `mirror:${member}/${d.id}` } } },
              ),
              index,
            );
            this.#init.log.info({ member, dataset: d.id, changes: res.changes.length }, "mirror: applied changes");
          }
          // The cursor moves only after its changes are stored.
          this.#cursors[local] = res.nextCursor;
          await this.#save();
          if (!res.hasMore) break;
        }
      }
    } catch (err) {
      throw fromGrpcError(err as ServiceError);
    } finally {
      cat.close();
      ex.close();
    }
  }

  async #save(): Promise<void> {
    const file = join(this.#init.dir, MIRRORS_FILE);
    await writeFile(`${file}.tmp`, JSON.stringify(this.#cursors, null, 2) + "\n");
    await rename(`${file}.tmp`, file);
  }
}
