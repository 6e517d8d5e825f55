import { createServer } from "node:http";
import type { IncomingMessage, RequestListener, Server, ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { IpfedError, assertPlaintextAllowed } from "@ipfed/sdk";

/** A route handler of the node's HTTP side. */
export type HttpHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => void | Promise<void>;

/** The node's HTTP side: health now; metrics, the JSON gateway and the portal mount here. */
export interface HttpSide {
  /** Adds a handler for an exact path. */
  route(path: string, handler: HttpHandler): void;
  /**
   * Adds a handler for every path under `prefix` (`/api/v1/`, or `/` for a catch-all) that has
   * no exact route; the longest matching prefix wins.
   */
  mount(prefix: string, handler: HttpHandler): void;
  /** Binds `host:port`; returns the bound address. */
  listen(address: string): Promise<string>;
  /** Stops; idempotent. */
  close(): Promise<void>;
}

/**
 * Creates the HTTP side of a node with `/healthz` (the process is up) and `/readyz` (the
 * node serves: `ready()` is true).
 *
 * @example
 * ```ts
 * const http = createHttpSide({ ready: () => node.ready });
 * await http.listen("127.0.0.1:7480");
 * ```
 */
export function createHttpSide(opts: {
  ready: () => boolean;
  memberId: string;
  /** Serve HTTPS with this certificate and key (PEM). */
  tls?: { readonly cert: string; readonly key: string } | undefined;
  /** Serve plaintext on a non-loopback address. */
  allowPlaintext?: boolean;
}): HttpSide {
  const routes = new Map<string, HttpHandler>();
  const mounts: { prefix: string; handler: HttpHandler }[] = [];
  routes.set("/healthz", (_req, res) => json(res, 200, { status: "ok", member: opts.memberId }));
  routes.set("/readyz", (_req, res) =>
    opts.ready() ? json(res, 200, { status: "ready", member: opts.memberId }) : json(res, 503, { status: "starting", member: opts.memberId }),
  );
  let server: Server | undefined;
  return {
    route(path, handler) {
      routes.set(path, handler);
    },
    mount(prefix, handler) {
      mounts.push({ prefix, handler });
      mounts.sort((a, b) => b.prefix.length - a.prefix.length);
    },
    listen(address) {
      const i = address.lastIndexOf(":");
      const host = address.slice(0, i).replace(/^\[|\]$/g, "");
      const port = Number(address.slice(i + 1));
      if (!opts.tls) {
        try {
          assertPlaintextAllowed(address, opts.allowPlaintext, "plaintext HTTP on");
        } catch (err) {
          return Promise.reject(err);
        }
      }
      const listener: RequestListener = (req, res) => {
        const url = new URL(req.url ?? "/", `${opts.tls ? "https" : "http"}://${req.headers.host ?? "localhost"}`);
        const handler = routes.get(url.pathname) ?? mounts.find((m) => url.pathname.startsWith(m.prefix))?.handler;
        if (!handler) {
          json(res, 404, { code: "NOT_FOUND", message: `no route ${url.pathname}` });
          return;
        }
        Promise.resolve(handler(req, res, url)).catch((err: unknown) => {
          const e = IpfedError.from(err);
          if (!res.headersSent) json(res, e.status === 3 ? 400 : 500, e.toJSON());
          else res.destroy();
        });
      };
      server = opts.tls ? createHttpsServer({ cert: opts.tls.cert, key: opts.tls.key }, listener) : createServer(listener);
      const s = server;
      return new Promise((resolve, reject) => {
        s.once("error", (err) => reject(new IpfedError("UNAVAILABLE", `cannot listen on ${address} (HTTP): ${err.message}`, { cause: err })));
        s.listen(port, host, () => {
          const a = s.address() as AddressInfo;
          resolve(`${a.family === "IPv6" ? `[${a.address}]` : a.address}:${a.port}`);
        });
      });
    },
    close() {
      const s = server;
      server = undefined;
      if (!s) return Promise.resolve();
      return new Promise((resolve) => {
        s.close(() => resolve());
        s.closeAllConnections();
      });
    },
  };
}

function json(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}
