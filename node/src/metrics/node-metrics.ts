import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { collectDefaultMetrics, Gauge, Registry } from "prom-client";
import type { MemberServerOptions } from "@ipfed/sdk";
import { RpcMetrics } from "./rpc-metrics.js";
import { StateMetrics } from "./state-metrics.js";
import type { StateSources } from "./state-metrics.js";

/** The path the node serves its metrics on, on its HTTP side. */
export const METRICS_PATH = "/metrics";

/** The Prometheus text exposition format, version 0.0.4. */
export const METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** The version of `@ipfed/node`, from its package.json (next to `src/` and `dist/` alike). */
function nodeVersion(): string {
  try {
    return String((JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version?: unknown }).version ?? "unknown");
  } catch {
    return "unknown";
  }
}

/**
 * A node's metrics in its own Prometheus registry (never prom-client's global one, so that
 * several nodes in one process keep apart): the server kit's observer (calls, durations,
 * federation outcomes), figures read from the node's state at each scrape (records, index,
 * store size, audit log, hub members, imports), build information and the process metrics.
 * Served at `/metrics`; see docs/operations.md.
 *
 * @example
 * ```ts
 * const metrics = new NodeMetrics();
 * const server = createMemberServer({ identity, dataSource, options: { observe: metrics.observer } });
 * http.route(METRICS_PATH, metrics.handler);
 * metrics.attach({ dir, config, store, audit });
 * ```
 */
export class NodeMetrics {
  /** The registry every series of this node is in. */
  readonly registry = new Registry();
  readonly #rpc: RpcMetrics;
  readonly #state: StateMetrics;
  readonly #info: Gauge<"member" | "kind" | "region">;

  constructor() {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    new Gauge({ name: "ipfed_build_info", help: "Always 1; the version of the node software.", labelNames: ["version"] as const, registers }).set({ version: nodeVersion() }, 1);
    this.#info = new Gauge({ name: "ipfed_node_info", help: "Always 1 while the node runs; who it is.", labelNames: ["member", "kind", "region"] as const, registers });
    this.#rpc = new RpcMetrics(this.registry);
    this.#state = new StateMetrics(this.registry);
  }

  /** The observer to hand to `createMemberServer`. */
  get observer(): NonNullable<MemberServerOptions["observe"]> {
    return this.#rpc.observer;
  }

  /**
   * Searches this node answered successfully since it started, local and federated alike
   * (the portal's "queries served").
   *
   * @example
   * ```ts
   * console.log(`${node.metrics.queriesServed()} queries served`);
   * ```
   */
  queriesServed(): number {
    return this.#rpc.queriesServed();
  }

  /** Starts reporting the state of a started node. */
  attach(sources: StateSources): void {
    this.#info.reset();
    this.#info.set({ member: sources.config.id, kind: sources.config.kind, region: sources.config.region }, 1);
    this.#state.attach(sources);
  }

  /** Stops reporting the node's state (it is stopping). */
  detach(): void {
    this.#info.reset();
    this.#state.detach();
  }

  /** The exposition text of every series. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  /** The `/metrics` route of the node's HTTP side. */
  readonly handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" });
      res.end(`${req.method ?? "?"} is not allowed on ${METRICS_PATH}; use GET\n`);
      return;
    }
    const body = await this.text();
    res.writeHead(200, { "content-type": METRICS_CONTENT_TYPE, "cache-control": "no-store" });
    res.end(req.method === "HEAD" ? undefined : body);
  };
}
