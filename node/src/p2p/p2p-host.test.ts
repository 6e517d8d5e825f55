import { chmod, stat } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { IpfedError } from "@ipfed/sdk";
import { PEER_KEY_FILE, loadOrCreatePeerKey } from "./peer-key-file.js";
import { createP2pHost } from "./p2p-host.js";
import type { P2pHost } from "./p2p-host.js";
import { tempDir, until } from "./p2p.fixtures.js";

const hosts: P2pHost[] = [];
const cleanups: (() => Promise<void>)[] = [];

async function dir(): Promise<string> {
  const t = await tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

async function host(options: Parameters<typeof createP2pHost>[0]): Promise<P2pHost> {
  const h = await createP2pHost(options);
  hosts.push(h);
  return h;
}

const connected = (a: P2pHost, b: P2pHost): boolean => a.connectedPeers().some((p) => p.equals(b.peerId));

afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.stop()));
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

describe("createP2pHost", () => {
  it("keeps its identity in p2p-key (mode 600): the same peer id after a restart", async () => {
    const d = await dir();
    const first = await host({ dir: d });
    const id = first.peerId.toString();
    expect(id).toMatch(/^12D3KooW/);
    expect(first.multiaddrs.length).toBeGreaterThan(0);
    for (const ma of first.multiaddrs) expect(ma.toString()).toMatch(new RegExp(`^/ip4/127\\.0\\.0\\.1/tcp/\\d+/p2p/${id}$`));
    expect((await stat(join(d, PEER_KEY_FILE))).mode & 0o777).toBe(0o600);

    await first.stop();
    const again = await host({ dir: d });
    expect(again.peerId.toString()).toBe(id);

    const other = await host({ dir: await dir() });
    expect(other.peerId.toString()).not.toBe(id);
  });

  it("creates one key when several starts race on a new directory", async () => {
    const d = await dir();
    const keys = await Promise.all(Array.from({ length: 5 }, () => loadOrCreatePeerKey(join(d, "fresh"))));
    expect(new Set(keys.map((k) => k.publicKey.toString())).size).toBe(1);
  });

  it("stops once, however often it is asked, and has no addresses afterwards", async () => {
    const h = await host({ dir: await dir() });
    await Promise.all([h.stop(), h.stop()]);
    await h.stop();
    expect(h.multiaddrs).toEqual([]);
    expect(h.libp2p.status).toBe("stopped");
    await expect(h.connect(`/ip4/127.0.0.1/tcp/1/p2p/${h.peerId.toString()}`)).rejects.toMatchObject({ code: "FAILED_PRECONDITION" });
  });

  it("refuses a p2p-key that others can read", async () => {
    const d = await dir();
    await (await host({ dir: d })).stop();
    await chmod(join(d, PEER_KEY_FILE), 0o644);
    await expect(createP2pHost({ dir: d })).rejects.toMatchObject({ code: "CONFIG_INVALID" });
  });

  it("connects to the peers of its bootstrap list", async () => {
    const a = await host({ dir: await dir() });
    const b = await host({ dir: await dir(), bootstrap: [a.multiaddrs[0]!.toString()], bootstrapDelayMs: 0 });
    const ms = await until(() => connected(a, b) && connected(b, a), "the bootstrap connection", 5000);
    expect(ms).toBeLessThan(2000);
  });

  it("dials a peer explicitly with connect(), which needs the peer id in the address", async () => {
    const a = await host({ dir: await dir() });
    const b = await host({ dir: await dir() });
    const peer = await b.connect(a.multiaddrs[0]!);
    expect(peer.equals(a.peerId)).toBe(true);
    await until(() => connected(a, b), "a to see b");

    const bare = a.multiaddrs[0]!.decapsulateCode(421).toString();
    await expect(b.connect(bare)).rejects.toMatchObject({ code: "INVALID_ARGUMENT", field: "address" });
    await expect(b.connect("not a multiaddr")).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    await expect(b.connect(b.multiaddrs[0]!)).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
  });

  it("refuses bootstrap addresses without a peer id", async () => {
    const err = await createP2pHost({ dir: await dir(), bootstrap: ["/ip4/127.0.0.1/tcp/4001"] }).catch((e: IpfedError) => e);
    expect(err).toMatchObject({ code: "CONFIG_INVALID", field: "bootstrap" });
  });

  it("reconnects to a bootstrap peer that went down and came back on its address", async () => {
    const aDir = await dir();
    const a = await host({ dir: aDir });
    const address = a.multiaddrs[0]!.toString();
    const b = await host({ dir: await dir(), bootstrap: [address], bootstrapDelayMs: 0, redialIntervalMs: 100 });
    await until(() => connected(b, a), "the first connection");

    await a.stop();
    await until(() => b.connectedPeers().length === 0, "b to notice a is gone");
    const listen = address.replace(/\/p2p\/.*$/, "");
    const back = await host({ dir: aDir, listen: [listen] });
    expect(back.peerId.equals(a.peerId)).toBe(true);
    await until(() => connected(b, back), "b to redial a", 5000);
  });
});
