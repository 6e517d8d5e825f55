import { Dataset, PublicService } from "@ipfed/proto";
import type { Member } from "@ipfed/proto";
import { IpfedError } from "@ipfed/sdk";
import type { IpfedClient, CallOptions } from "@ipfed/sdk";
import { status } from "@grpc/grpc-js";

/**
 * How one member answered the catalogue round.
 *
 * @example
 * ```ts
 * const s: CatalogueMemberState = { memberId: "cd-library", state: "OK", datasets: 1, services: 1 };
 * ```
 */
export interface CatalogueMemberState {
  memberId: string;
  /** `OK`, `TIMEOUT`, `UNAVAILABLE`, `DENIED` or `ERROR` (the states of a federated search). */
  state: "OK" | "TIMEOUT" | "UNAVAILABLE" | "DENIED" | "ERROR";
  /** Datasets and services listed. */
  datasets: number;
  services: number;
  /** Stable error code and message, for anything but OK. */
  code?: string;
  message?: string;
}

/**
 * The network catalogue: every dataset and public service, and how each member answered.
 *
 * @example
 * ```ts
 * const { datasets, services, members }: NetworkCatalogue = await networkCatalogue(sources);
 * ```
 */
export interface NetworkCatalogue {
  datasets: unknown[];
  services: unknown[];
  members: CatalogueMemberState[];
}

/**
 * Where to read one member's catalogue, and with which call options.
 *
 * @example
 * ```ts
 * const source: CatalogueSource = { member, client: clients.at("127.0.0.1:7401"), options: { deadlineMs: 5000 } };
 * ```
 */
export interface CatalogueSource {
  readonly member: Member;
  readonly client: IpfedClient | undefined;
  readonly options: CallOptions;
}

function stateOf(err: IpfedError): CatalogueMemberState["state"] {
  switch (err.status) {
    case status.DEADLINE_EXCEEDED:
      return "TIMEOUT";
    case status.UNAVAILABLE:
      return "UNAVAILABLE";
    case status.UNAUTHENTICATED:
    case status.PERMISSION_DENIED:
      return "DENIED";
    default:
      return "ERROR";
  }
}

/**
 * Lists the datasets and public services of every member, asked in parallel; a member that
 * does not answer is reported in `members` and left out, never failing the whole list.
 * Datasets and services are in the canonical JSON mapping, each with `memberId`.
 *
 * @example
 * ```ts
 * const cat = await networkCatalogue(sources);
 * cat.members.filter((m) => m.state !== "OK");
 * ```
 */
export async function networkCatalogue(sources: readonly CatalogueSource[]): Promise<NetworkCatalogue> {
  const parts = await Promise.all(
    sources.map(async ({ member, client, options }) => {
      if (!client) {
        return { datasets: [], services: [], state: { memberId: member.id, state: "UNAVAILABLE", datasets: 0, services: 0, message: "no gRPC endpoint listed" } as CatalogueMemberState };
      }
      try {
        const [datasets, services] = await Promise.all([client.catalogue.list({}, options), client.catalogue.services(options)]);
        return {
          datasets: datasets.map((d) => ({ ...(Dataset.toJSON(d) as object), memberId: member.id })),
          services: services.map((s) => ({ ...(PublicService.toJSON(s) as object), memberId: member.id })),
          state: { memberId: member.id, state: "OK", datasets: datasets.length, services: services.length } as CatalogueMemberState,
        };
      } catch (reason) {
        const err = IpfedError.from(reason);
        return { datasets: [], services: [], state: { memberId: member.id, state: stateOf(err), datasets: 0, services: 0, code: err.code, message: err.message } as CatalogueMemberState };
      }
    }),
  );
  return { datasets: parts.flatMap((p) => p.datasets), services: parts.flatMap((p) => p.services), members: parts.map((p) => p.state) };
}
