import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { sendJson } from "./http-status.js";

/**
 * Where the portal's files are: `node/portal/`, beside `src/` (and `dist/`).
 *
 * @example
 * ```ts
 * http.mount("/", portalFiles(PORTAL_DIR));
 * ```
 */
export const PORTAL_DIR = fileURLToPath(new URL("../../portal/", import.meta.url));

const TYPES: { readonly [ext: string]: string } = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
};

/**
 * Serves the portal: the static files of `dir` (plain HTML, CSS and ES modules, no build
 * step), `/` being `index.html`. Paths are confined to `dir`; anything else is a JSON 404.
 *
 * @example
 * ```ts
 * http.mount("/", portalFiles());
 * ```
 */
export function portalFiles(dir = PORTAL_DIR): (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> {
  const root = normalize(dir.endsWith(sep) ? dir : dir + sep);
  return async (req, res, url) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      sendJson(res, 405, { code: "UNIMPLEMENTED", message: `${req.method} ${url.pathname}: the portal answers GET only` }, { allow: "GET" });
      return;
    }
    let rel: string;
    try {
      rel = decodeURIComponent(url.pathname);
    } catch {
      rel = "";
    }
    if (rel === "/" || rel === "") rel = "/index.html";
    const file = normalize(join(root, rel));
    const info = file.startsWith(root) ? await stat(file).catch(() => undefined) : undefined;
    if (!info?.isFile()) {
      sendJson(res, 404, { code: "NOT_FOUND", message: `no route ${url.pathname}` });
      return;
    }
    res.writeHead(200, {
      "content-type": TYPES[extname(file)] ?? "application/octet-stream",
      "content-length": String(info.size),
      "cache-control": "no-cache",
      "x-content-type-options": "nosniff",
    });
    if (req.method === "HEAD") {
      res.end();
      return;
    }
    createReadStream(file).pipe(res);
  };
}
