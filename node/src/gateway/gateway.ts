import type { IncomingMessage, ServerResponse } from "node:http";
import { Dataset, GetRecordResponse, PublicService } from "@ipfed/proto";
import type { Member } from "@ipfed/proto";
import type { Logger } from "../logger.js";
import { IpfedError } from "@ipfed/sdk";
import { networkCatalogue } from "./catalogue-view.js";
import { exportRoute } from "./export-route.js";
import { gatewayContext } from "./gateway-context.js";
import type { GatewayContext } from "./gateway-context.js";
import { sendError, sendJson } from "./http-status.js";
import { MemberClients } from "./member-clients.js";
import { grpcEndpointOf, memberJson, networkIndicators, withSelf } from "./network-view.js";
import { grpcCertificateOf } from "../federation/member-record.js";
import { searchDownloadRoute, searchRoute } from "./search-routes.js";

/**
 * The path every gateway route lives under.
 *
 * @example
 * ```ts
 * http.mount(GATEWAY_PREFIX, (req, res, url) => gateway.handle(req, res, url));
 * ```
 */
export const GATEWAY_PREFIX = "/api/v1/";

/**
 * Options of {@link createGateway}.
 *
 * @example
 * ```ts
 * const init: GatewayInit = { grpcAddress: () => "127.0.0.1:7400", self: async () => selfMember, stats: () => ({ queriesServed: 0 }) };
 * ```
 */
export interface GatewayInit {
  /** The node's own gRPC address; read per request, since it is bound after the HTTP side. */
  grpcAddress: () => string | undefined;
  /** This node as a member of the network (a hub does not list itself among its members). */
  self: () => Promise<Member>;
  /**
   * What the node has served, for the network view's indicators.
   * @defaultValue none: `queriesServed` is null
   */
  stats?: () => { queriesServed: number };
  /**
   * Where failures of the gateway itself go (an answer cut mid-stream, an internal error).
   * @defaultValue none
   */
  log?: Pick<Logger, "warn">;
  /**
   * Deadline of each call to another member when listing the network catalogue, in milliseconds.
   * @defaultValue 5000
   */
  memberDeadlineMs?: number;
  /** The node's own TLS certificate (PEM) when its gRPC side serves TLS: the gateway's channel to it is pinned to it. */
  tlsCertificate?: string;
  /** Plaintext to members whose address is not loopback (the node's `allowPlaintext`). */
  allowPlaintext?: boolean;
}

/**
 * The JSON HTTP gateway of a node.
 *
 * @example
 * ```ts
 * const gateway: Gateway = createGateway(init);
 * await node.stop();
 * gateway.close();
 * ```
 */
export interface Gateway {
  /** Handles a request under {@link GATEWAY_PREFIX}. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
  /** Closes the gateway's gRPC clients; idempotent. */
  close(): void;
}

type Route = (ctx: GatewayContext, rest: string) => Promise<void>;

const CORS = {
  "access-control-allow-origin": "*",
  "access-control-allow-headers": "authorization, accept, content-type",
  "access-control-allow-methods": "GET, OPTIONS",
  "access-control-expose-headers": "content-disposition",
};

/**
 * Creates the JSON HTTP gateway: the protocol over plain HTTP for browsers and simple clients,
 * under `/api/v1/`. Each request becomes calls to the node's own gRPC services over loopback
 * with the caller's `Authorization` header forwarded, so the same interceptor checks the token
 * and writes the audit entry as for any gRPC call; bodies use the protocol's canonical JSON
 * mapping; an error is `{ code, message, detail? }` with the HTTP status of its gRPC status.
 * The routes are documented in docs/gateway.md.
 *
 * @example
 * ```ts
 * const gateway = createGateway({ grpcAddress: () => node.grpcAddress, self: () => selfMember() });
 * http.mount("/api/v1/", (req, res, url) => gateway.handle(req, res, url));
 * ```
 */
export function createGateway(init: GatewayInit): Gateway {
  const clients = new MemberClients({ allowPlaintext: init.allowPlaintext ?? false });
  const memberDeadlineMs = init.memberDeadlineMs ?? 5000;

  const members = async (ctx: GatewayContext): Promise<Member[]> => withSelf(await ctx.client.federation.members({}, ctx.call()), await init.self());

  const routes: { [path: string]: Route } = {
    members: async (ctx) => {
      sendJson(ctx.res, 200, { members: (await members(ctx)).map(memberJson) });
    },
    network: async (ctx) => {
      const list = await members(ctx);
      const self = await init.self();
      sendJson(ctx.res, 200, {
        self: self.id,
        members: list.map(memberJson),
        indicators: networkIndicators(list, init.stats ? init.stats().queriesServed : null),
      });
    },
    datasets: async (ctx) => {
      sendJson(ctx.res, 200, { datasets: (await ctx.client.catalogue.list({}, ctx.call())).map((d) => Dataset.toJSON(d)) });
    },
    services: async (ctx) => {
      sendJson(ctx.res, 200, { services: (await ctx.client.catalogue.services(ctx.call())).map((s) => PublicService.toJSON(s)) });
    },
    catalogue: async (ctx) => {
      const self = await init.self();
      const list = await members(ctx);
      const sources = list.map((member) => {
        if (member.id === self.id) return { member, client: ctx.client, options: ctx.call() };
        const address = grpcEndpointOf(member);
        // Other members are asked as the public: a caller's token is never forwarded.
        return { member, client: address ? clients.at(address, grpcCertificateOf(member)) : undefined, options: { signal: ctx.signal, deadlineMs: memberDeadlineMs } };
      });
      sendJson(ctx.res, 200, await networkCatalogue(sources));
    },
    search: (ctx, rest) => (rest === "download" ? searchDownloadRoute(ctx) : searchRoute(ctx)),
    records: async (ctx, rest) => {
      const id = decodeURIComponent(rest);
      if (!id) throw new IpfedError("INVALID_ARGUMENT", "a record id is required: /api/v1/records/{id}", { field: "id" });
      const r = await ctx.client.getRecord(id, { datasetId: ctx.params.string("dataset"), federate: ctx.params.bool("federate") }, ctx.call());
      sendJson(ctx.res, 200, GetRecordResponse.toJSON(r));
    },
    export: async (ctx) => exportRoute(ctx, (await init.self()).id),
  };
  // Paths with a sub-path: `/search/download`, `/records/{id}`.
  const nested = new Set(["search", "records"]);

  return {
    async handle(req, res, url) {
      for (const [k, v] of Object.entries(CORS)) res.setHeader(k, v);
      try {
        if (req.method === "OPTIONS") {
          res.writeHead(204).end();
          return;
        }
        const path = url.pathname.slice(GATEWAY_PREFIX.length);
        const slash = path.indexOf("/");
        const name = slash < 0 ? path : path.slice(0, slash);
        const rest = slash < 0 ? "" : path.slice(slash + 1);
        const route = routes[name];
        if (!route || (rest !== "" && !nested.has(name)) || (name === "search" && rest !== "" && rest !== "download")) {
          throw new IpfedError("NOT_FOUND", `no route ${url.pathname} (see docs/gateway.md)`);
        }
        if (req.method !== "GET" && req.method !== "HEAD") {
          sendJson(res, 405, { code: "UNIMPLEMENTED", message: `${req.method} ${url.pathname}: the gateway answers GET only` }, { allow: "GET, OPTIONS" });
          return;
        }
        const address = init.grpcAddress();
        if (!address) throw new IpfedError("UNAVAILABLE", "the node is starting; its gRPC side is not listening yet", { retryAfterMs: 1000 });
        await route(gatewayContext(req, res, url, clients.at(address, init.tlsCertificate)), rest);
      } catch (err) {
        if (res.headersSent || !(err instanceof IpfedError) || err.code === "INTERNAL") {
          init.log?.warn({ err, path: url.pathname, sent: res.headersSent }, "gateway request failed");
        }
        sendError(res, err);
      }
    },
    close() {
      clients.close();
    },
  };
}
