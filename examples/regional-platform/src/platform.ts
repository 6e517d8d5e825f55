// The back end of a regional IP platform. It has its own users and its own login; behind
// `/search` and `/record` it queries the ipfed network on each user's behalf.
//
// The platform is a member of the network with an Ed25519 key of its own. The member it
// queries trusts the platform's key up to REGISTERED (`ipfed trust add`), so the platform mints
// a short-lived network token for each logged-in user — subject = the user's id here, tier =
// what the platform vouches for — and never holds a token that could do more. A visitor who is
// not logged in is queried for anonymously: the network treats that as a PUBLIC caller.

import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { Tier } from "@ipfed/proto";
import type { Record as IpRecord } from "@ipfed/proto";
import { createClient, grpcStatusOf, issueToken, IpfedError, tierToName } from "@ipfed/sdk";
import type { IpfedClient, MemberKey } from "@ipfed/sdk";

/**
 * A user account of the platform (its own user table, nothing to do with the network).
 *
 * @example
 * ```ts
 * const user: PlatformUser = { id: "ent-0042", password: "demo", name: "成都锂能科技有限公司", tier: Tier.TIER_REGISTERED };
 * ```
 */
export interface PlatformUser {
  /** The platform's user id; it becomes the `sub` of the user's network tokens. */
  readonly id: string;
  readonly password: string;
  readonly name: string;
  /** The clearance the platform vouches for: REGISTERED for a verified enterprise account. */
  readonly tier: Tier;
}

/**
 * What the platform needs to know about itself and the network.
 *
 * @example
 * ```ts
 * const options: PlatformOptions = { issuer: "sc-ip-platform", key, endpoint: "127.0.0.1:7400", networkId: "ipfed", federate: true, users };
 * ```
 */
export interface PlatformOptions {
  /** The platform's member id: the `iss` of the tokens it mints. */
  readonly issuer: string;
  /** The platform's signing key (its public half is what the network trusts). */
  readonly key: MemberKey;
  /** The gRPC address of the member the platform queries. */
  readonly endpoint: string;
  /** The network id: the `aud` of the tokens, so that any member of the network accepts them. */
  readonly networkId: string;
  /** Ask the whole network (the endpoint federates) rather than that member alone. */
  readonly federate: boolean;
  readonly users: readonly PlatformUser[];
}

/** Minted tokens live five minutes; the client asks for a new one 30 s before expiry. */
const TOKEN_TTL_SECONDS = 300;

/**
 * Starts the platform's HTTP back end on a free loopback port.
 *
 * - `POST /login` `{ "user": "…", "password": "…" }` → `{ "session": "…" }` (also a cookie)
 * - `GET /search?q=<query>` → the hits the caller may see, as JSON
 * - `GET /record?id=<canonical id>` → one record, redacted to the caller's tier
 *
 * @example
 * ```ts
 * const platform = await startPlatform({ issuer: "sc-ip-platform", key, endpoint: "127.0.0.1:7400", networkId: "ipfed", federate: false, users });
 * const res = await fetch(`${platform.url}/search?q=${encodeURIComponent("ti:电池")}`);
 * await platform.close();
 * ```
 */
export async function startPlatform(options: PlatformOptions): Promise<{ url: string; close(): Promise<void> }> {
  const sessions = new Map<string, PlatformUser>();
  // One network client per logged-in user: its tokenProvider mints that user's tokens, and
  // the client reuses a token until it nears expiry. Visitors share one anonymous client.
  const clients = new Map<string, IpfedClient>();
  const anonymous = createClient({ endpoint: options.endpoint });

  const clientFor = (user: PlatformUser | undefined): IpfedClient => {
    if (!user) return anonymous;
    let client = clients.get(user.id);
    if (!client) {
      client = createClient({
        endpoint: options.endpoint,
        tokenProvider: () =>
          issueToken(options.key, {
            issuer: options.issuer,
            subject: user.id,
            audience: options.networkId,
            tier: user.tier,
            scopes: ["search", "read"],
            ttlSeconds: TOKEN_TTL_SECONDS,
            // The most the network lets this platform grant: a mistake fails here, not at every member.
            maxTier: Tier.TIER_REGISTERED,
          }),
      });
      clients.set(user.id, client);
    }
    return client;
  };

  const routes: { [route: string]: (req: IncomingMessage, url: URL, user: PlatformUser | undefined) => Promise<unknown> } = {
    "POST /login": async (req) => {
      const body = parseJson(await readBody(req)) as { user?: string; password?: string };
      const user = options.users.find((u) => u.id === body.user && u.password === body.password);
      if (!user) throw new HttpError(401, "unknown user or wrong password");
      const session = randomBytes(16).toString("hex");
      sessions.set(session, user);
      return { session };
    },
    "GET /search": async (_req, url, user) => {
      const query = required(url, "q");
      const { hits, done } = await clientFor(user).searchAll({ query, federate: options.federate, pageSize: 10 });
      return {
        user: user?.id ?? null,
        tier: tierToName(user?.tier ?? Tier.TIER_PUBLIC),
        total: done.total,
        hits: hits.map((h) => ({ id: h.record!.id, title: titleOf(h.record!), holders: h.holders })),
      };
    },
    "GET /record": async (_req, url, user) => {
      const { record, holders } = await clientFor(user).getRecord(required(url, "id"), { federate: options.federate });
      return {
        user: user?.id ?? null,
        id: record!.id,
        title: titleOf(record!),
        holders,
        claims: record!.claims.map((c) => `${c.number}. ${c.text}`),
        withheldFields: record!.withheldFields,
      };
    },
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://platform");
    const route = routes[`${req.method} ${url.pathname}`];
    const user = sessions.get(cookie(req, "session") ?? "");
    if (!route) return send(res, 404, { error: "not found" });
    route(req, url, user).then(
      (body) => send(res, 200, body, req.method === "POST" ? (body as { session?: string }).session : undefined),
      (err: unknown) => {
        // Network errors arrive as IpfedError with a stable code; the browser gets the code and the message.
        if (err instanceof HttpError) return send(res, err.status, { error: err.message });
        const e = IpfedError.from(err);
        send(res, HTTP_STATUS[grpcStatusOf(e.code)] ?? 502, { error: e.code, message: e.message });
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const c of [anonymous, ...clients.values()]) c.close();
      await closeServer(server);
    },
  };
}

/** gRPC status → HTTP status, for the errors a caller can act on; anything else is a 502. */
const HTTP_STATUS: { [grpcStatus: number]: number } = { 3: 400, 5: 404, 7: 403, 16: 401 };

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, "the request body is not JSON");
  }
}

function required(url: URL, name: string): string {
  const value = url.searchParams.get(name);
  if (!value) throw new HttpError(400, `query parameter ${name} is required`);
  return value;
}

function titleOf(record: IpRecord): string {
  return record.titles.find((t) => t.lang === "zh")?.text ?? record.titles[0]?.text ?? "";
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [k, v] = part.trim().split("=");
    if (k === name) return v;
  }
  return undefined;
}

function send(res: ServerResponse, status: number, body: unknown, session?: string): void {
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    ...(session ? { "set-cookie": `session=${session}; HttpOnly; SameSite=Strict; Path=/` } : {}),
  });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = "";
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > 4096) throw new HttpError(413, "request body too large");
  }
  return body;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
