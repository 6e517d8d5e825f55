// Calls to the hub's JSON gateway (/api/v1/, documented in docs/gateway.md), with the
// signed-in token as `Authorization: Bearer`.
import { token } from "./session.js";

/** An error answered by the gateway: `{ code, message, detail }` and the HTTP status. */
export class GatewayError extends Error {
  constructor(status, body) {
    super(body?.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.code ?? "UNKNOWN";
    this.detail = body?.detail;
  }
}

function headers(extra = {}) {
  const tok = token();
  return tok ? { ...extra, authorization: `Bearer ${tok}` } : extra;
}

/** Builds a gateway URL from a path and parameters (empty values left out). */
export function apiUrl(path, params = {}) {
  const u = new URL(`/api/v1/${path}`, location.origin);
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === "" || v === false) continue;
    u.searchParams.set(k, Array.isArray(v) ? v.join(",") : String(v));
  }
  return u;
}

async function failed(res) {
  let body;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  return new GatewayError(res.status, body);
}

/** GETs a JSON answer. */
export async function getJson(path, params) {
  const res = await fetch(apiUrl(path, params), { headers: headers({ accept: "application/json" }) });
  if (!res.ok) throw await failed(res);
  return res.json();
}

/**
 * GETs a stream of events (one JSON object per line) and calls `onEvent` for each as it
 * arrives. A `{ error }` line (an error after the stream began) is thrown.
 */
export async function streamEvents(path, params, onEvent, signal) {
  const res = await fetch(apiUrl(path, params), { headers: headers({ accept: "application/x-ndjson" }), signal });
  if (!res.ok) throw await failed(res);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += value;
    let i;
    while ((i = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      if (!line.trim()) continue;
      const event = JSON.parse(line);
      if (event.error) throw new GatewayError(200, event.error);
      onEvent(event);
    }
  }
}

/**
 * Downloads a file the gateway streams, then saves it. It is fetched rather than linked so that
 * the token travels in a header (never in a URL) and an error shows as an error, not as a
 * saved file.
 */
export async function download(path, params, filename) {
  const res = await fetch(apiUrl(path, params), { headers: headers() });
  if (!res.ok) throw await failed(res);
  const a = document.createElement("a");
  a.download = filename;
  a.href = URL.createObjectURL(await res.blob());
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
}
