import type { ScopeName } from "./caller.js";

/**
 * The scope each ipfed.v1 RPC requires. RPCs mapped to `null` need no scope: they bootstrap
 * trust (keys, the signed network configuration, a registration signed by the member's own
 * key) and are open to anonymous callers whatever the member's anonymous policy.
 *
 * @example
 * ```ts
 * RPC_SCOPES["/ipfed.v1.SearchService/Search"]; // "search"
 * RPC_SCOPES["/ipfed.v1.FederationService/GetKeys"]; // null: open to anyone
 * ```
 */
export const RPC_SCOPES: { readonly [path: string]: ScopeName | null } = {
  "/ipfed.v1.CatalogueService/ListDatasets": "read",
  "/ipfed.v1.CatalogueService/GetDataset": "read",
  "/ipfed.v1.CatalogueService/ListServices": "read",
  "/ipfed.v1.CatalogueService/WatchCatalogue": "read",
  "/ipfed.v1.SearchService/Search": "search",
  "/ipfed.v1.SearchService/GetRecord": "read",
  "/ipfed.v1.ExchangeService/Export": "export",
  "/ipfed.v1.ExchangeService/Harvest": "export",
  "/ipfed.v1.ExchangeService/Publish": "publish",
  "/ipfed.v1.FederationService/Register": null,
  "/ipfed.v1.FederationService/Heartbeat": "admin",
  "/ipfed.v1.FederationService/ListMembers": null,
  "/ipfed.v1.FederationService/GetNetworkConfig": null,
  "/ipfed.v1.FederationService/GetKeys": null,
};

/**
 * True for the RPCs the token check and the audit log cover (every ipfed.v1 RPC).
 *
 * @example
 * ```ts
 * isIpfedRpc("/ipfed.v1.SearchService/Search"); // true
 * isIpfedRpc("/grpc.health.v1.Health/Check"); // false
 * ```
 */
export function isIpfedRpc(path: string): boolean {
  return path.startsWith("/ipfed.v1.");
}
