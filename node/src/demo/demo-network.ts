import { existsSync, readdirSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { MemberState, Record, SearchRequest, Tier } from "@ipfed/proto";
import type { SearchEvent } from "@ipfed/proto";
import { IpfedError, issueToken } from "@ipfed/sdk";
import { loadConfig, parseAddress } from "../config/node-config.js";
import { runAdminRequest } from "../federation/admin/hub-admin.js";
import { NodeTrust } from "../trust/node-trust.js";
import { connect, stream } from "../cli/remote.js";
import { DEMO_MEMBERS } from "./demo-plan.js";
import { createDemoNodes, importDemoData, openDemoData, REPO_ROOT, retargetHub } from "./demo-setup.js";
import { writeManifest } from "./demo-manifest.js";
import type { DemoManifest, DemoSample } from "./demo-manifest.js";
import { demoCommands, displayPath } from "./demo-commands.js";
import type { DemoCommand } from "./demo-commands.js";
import { startMemberProcess } from "./member-process.js";
import type { MemberProcess } from "./member-process.js";
import { assertPortFree } from "./port-check.js";

/** Options of {@link DemoNetwork}. */
export interface DemoNetworkInit {
  /**
   * Directory that keeps the data for a second run; a temporary directory, removed at stop,
   * when absent.
   */
  readonly dir?: string;
  /**
   * The hub's gRPC address.
   * @defaultValue `"127.0.0.1:7400"`
   */
  readonly hubGrpc?: string;
  /**
   * The hub's HTTP address (the portal).
   * @defaultValue `"127.0.0.1:7480"`
   */
  readonly hubHttp?: string;
  /** Generated records before overlaps. */
  readonly size: number;
  /**
   * Folder of USPTO grant XML files, or `false` for none; when absent,
   * `../shared/data/uspto-grants` beside the repository is used if it exists.
   */
  readonly uspto?: string | false;
  /** Progress, one line at a time. */
  readonly say?: (line: string) => void;
}

/** A member of the running demo, as printed and in the `--json` line. */
export interface DemoMemberInfo {
  readonly id: string;
  readonly kind: string;
  readonly region: string;
  readonly grpc: string;
  readonly http: string;
  readonly pid: number;
  /** Records in its index. */
  readonly records: number;
  /** Its datasets and their records. */
  readonly datasets: readonly { readonly id: string; readonly records: number }[];
  /** Its TLS certificate (PEM file) when its gRPC side serves TLS: what a client pins (`ipfed search --tls FILE`). */
  readonly tlsCert?: string;
}

/** The certificate file of each demo node that serves TLS (a demo made before TLS has none). */
async function demoCertificates(root: string): Promise<{ [id: string]: string }> {
  const out: { [id: string]: string } = {};
  for (const m of DEMO_MEMBERS) {
    const config = await loadConfig(join(root, m.id));
    if (config.tls) out[m.id] = resolve(root, m.id, config.tls.cert);
  }
  return out;
}

/** What the demo prints when it is ready. */
export interface DemoReady {
  readonly portal: string;
  /** A registered-user token issued by the hub (scope "search read export", 12 h). */
  readonly token: string;
  readonly hub: { readonly grpc: string; readonly http: string };
  readonly members: readonly DemoMemberInfo[];
  readonly dir: string;
  /** True when the data is kept after the demo stops (`--dir`). */
  readonly kept: boolean;
  /** True when the data of an earlier run was reused. */
  readonly reused: boolean;
  /** The USPTO grants imported, or null. */
  readonly uspto: DemoManifest["uspto"];
  readonly sample: DemoSample;
  readonly commands: readonly DemoCommand[];
  /** Seconds from the start to ready. */
  readonly seconds: number;
}

const TOKEN_TTL_SECONDS = 12 * 3600;
const WAIT_MS = 90_000;

/**
 * The demo network: a hub, two regional nodes, a university TISC and a library outlet, each
 * a real `ipfed node start` process on loopback with its LevelDB store under one directory.
 * `start()` creates (or reuses) the data, starts every node, waits until the hub lists every
 * member up and a federated search reaches all of them, and returns what to print. `stop()`
 * stops every node and removes a temporary directory; it is idempotent and may be called
 * while `start()` runs.
 *
 * @example
 * ```ts
 * const demo = new DemoNetwork({ size: 2000, say: console.log });
 * const ready = await demo.start();
 * console.log(ready.portal, ready.token);
 * await demo.stop();
 * ```
 */
export class DemoNetwork {
  readonly #init: DemoNetworkInit;
  readonly #hubGrpc: string;
  readonly #hubHttp: string;
  readonly #say: (line: string) => void;
  readonly #children = new Map<string, MemberProcess>();
  #root: string | undefined;
  #stopping: Promise<void> | undefined;
  #exitListener: ((id: string, code: number | string) => void) | undefined;

  constructor(init: DemoNetworkInit) {
    this.#init = init;
    this.#hubGrpc = parseAddress(init.hubGrpc ?? "127.0.0.1:7400", "--hub-grpc");
    this.#hubHttp = parseAddress(init.hubHttp ?? "127.0.0.1:7480", "--hub-http");
    this.#say = init.say ?? (() => undefined);
  }

  /** The demo's data directory, once known. */
  get dir(): string | undefined {
    return this.#root;
  }

  /** Process ids of the running nodes, by member id. */
  pids(): { [id: string]: number } {
    return Object.fromEntries([...this.#children].map(([id, c]) => [id, c.pid]));
  }

  /** Calls `listener` when a node exits while the demo is not stopping. */
  onUnexpectedExit(listener: (id: string, code: number | string) => void): void {
    this.#exitListener = listener;
  }

  /** Creates or reuses the data, starts every node, and waits until the network answers. */
  async start(): Promise<DemoReady> {
    const t0 = Date.now();
    if (this.#hubGrpc === this.#hubHttp) throw new IpfedError("INVALID_ARGUMENT", `--hub-grpc and --hub-http are both ${this.#hubGrpc}; give two addresses`, { field: "--hub-http" });
    await assertPortFree(this.#hubGrpc, "--hub-grpc");
    await assertPortFree(this.#hubHttp, "--hub-http");
    const uspto = this.#usptoFiles();
    const kept = this.#init.dir !== undefined;
    const root = (this.#root = kept ? resolve(this.#init.dir!) : await mkdtemp(join(tmpdir(), "ipfed-demo-")));
    let manifest = kept ? await openDemoData(root) : undefined;
    const reused = manifest !== undefined;
    const hub = DEMO_MEMBERS.find((m) => m.kind === "hub")!;
    const startHub = (): Promise<void> => {
      this.#say(`Starting ${hub.id} on gRPC ${this.#hubGrpc}, HTTP ${this.#hubHttp}`);
      return this.#spawn(hub.id, join(root, hub.id), this.#hubGrpc, this.#hubHttp, {});
    };
    if (manifest) {
      this.#say(`Reusing the demo network in ${root} (created ${manifest.created}, ${manifest.size} generated records): nothing to import`);
      await retargetHub(root, this.#hubGrpc, this.#hubHttp);
      await startHub();
    } else {
      this.#say(`Creating a demo network in ${root}${kept ? " (kept after Ctrl-C; a second run with the same --dir reuses it)" : " (removed when the demo stops)"}`);
      this.#say(uspto ? `USPTO grants: ${uspto.files.length} file(s) from ${displayPath(uspto.dir)}` : this.#init.uspto === false ? "USPTO grants: none (--no-uspto)" : "USPTO grants: none (no --uspto, and no ../shared/data/uspto-grants beside the repository)");
      const setup = { root, size: this.#init.size, hubGrpc: this.#hubGrpc, hubHttp: this.#hubHttp, ...(uspto ? { uspto } : {}), say: this.#say, stopped: () => this.#stopping !== undefined };
      const created = await createDemoNodes(setup);
      // The hub starts while the members' data is imported: the imports do not touch its store.
      const [started, imported] = await Promise.allSettled([startHub(), importDemoData(setup, created)]);
      if (started.status === "rejected") throw started.reason;
      if (imported.status === "rejected") throw imported.reason;
      manifest = imported.value;
    }
    this.#checkStopping();
    const others = manifest.members.filter((m) => m.id !== hub.id);
    const listed = async () => {
      const { result } = await runAdminRequest(join(root, hub.id), { action: "list" });
      return "members" in result ? result.members : [];
    };
    // An enrolment token is used once: a member admitted by an earlier, interrupted run starts without it.
    const admitted = new Set((await listed()).filter((x) => x.state === "admitted").map((x) => x.id));
    this.#say(`Starting ${others.map((m) => m.id).join(", ")}`);
    await Promise.all(
      others.map((m) =>
        this.#spawn(m.id, join(root, m.id), "127.0.0.1:0", "127.0.0.1:0", m.enrolment && !admitted.has(m.id) ? { IPFED_ENROLMENT_TOKEN: m.enrolment } : {}),
      ),
    );
    this.#say("Waiting for every member to be admitted and up at the hub");
    await this.#waitUntil("every member admitted and up at the hub", async () => {
      const list = await listed();
      return others.every((m) => list.some((x) => x.id === m.id && x.state === "admitted" && x.health === "up"));
    });
    if (manifest.members.some((m) => m.enrolment)) {
      for (const m of manifest.members) delete m.enrolment;
      await writeManifest(root, manifest);
    }
    const token = await this.#issueToken(join(root, hub.id));
    this.#say("Waiting for a federated search at the hub to reach every member");
    await this.#waitUntil("a federated search that reaches every member", async () => {
      const states = (await this.#search("ti:demo", token)).states;
      return others.every((m) => states.get(m.id) === "MEMBER_STATE_OK");
    });
    if (!manifest.sample) {
      manifest.sample = await this.#chooseSample(root, token);
      await writeManifest(root, manifest);
    }
    const grpc = Object.fromEntries([...this.#children].map(([id, c]) => [id, c.grpc]));
    const tls = await demoCertificates(root);
    const members = manifest.members.map((m): DemoMemberInfo => {
      const c = this.#children.get(m.id)!;
      return {
        id: m.id,
        kind: m.kind,
        region: m.region,
        grpc: c.grpc,
        http: c.http,
        pid: c.pid,
        records: c.records,
        datasets: m.datasets.map((d) => ({ id: d.id, records: d.records })),
        ...(tls[m.id] ? { tlsCert: tls[m.id] } : {}),
      };
    });
    for (const c of this.#children.values()) {
      void c.exited.then((code) => {
        if (!this.#stopping) this.#exitListener?.(c.id, code);
      });
    }
    return {
      portal: `http://${this.#hubHttp}/`,
      token,
      hub: { grpc: this.#hubGrpc, http: this.#hubHttp },
      members,
      dir: root,
      kept,
      reused,
      uspto: manifest.uspto,
      sample: manifest.sample,
      commands: demoCommands({ root, hubGrpc: this.#hubGrpc, token, sample: manifest.sample, manifest, grpc, tls }),
      seconds: (Date.now() - t0) / 1000,
    };
  }

  /** Stops every node (SIGINT, then SIGKILL after a grace) and removes a temporary directory. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      const children = [...this.#children.values()];
      const hub = children.filter((c) => c.id === "hub");
      await Promise.all(children.filter((c) => c.id !== "hub").map((c) => c.stop()));
      await Promise.all(hub.map((c) => c.stop()));
      if (this.#root && this.#init.dir === undefined) await rm(this.#root, { recursive: true, force: true });
    })();
    return this.#stopping;
  }

  #checkStopping(): void {
    if (this.#stopping) throw new IpfedError("CANCELLED", "the demo was stopped while starting");
  }

  async #spawn(id: string, dir: string, listen: string, http: string, env: NodeJS.ProcessEnv): Promise<void> {
    this.#checkStopping();
    const child = await startMemberProcess({ id, dir, listen, http, env });
    this.#children.set(id, child);
    if (this.#stopping) await child.stop();
    this.#checkStopping();
  }

  #usptoFiles(): { dir: string; files: string[] } | undefined {
    const given = this.#init.uspto;
    if (given === false) return undefined;
    const dir = given !== undefined ? resolve(given) : join(REPO_ROOT, "../shared/data/uspto-grants");
    if (!existsSync(dir)) {
      if (given === undefined) return undefined;
      throw new IpfedError("INVALID_ARGUMENT", `--uspto ${given}: no such directory`, { field: "--uspto" });
    }
    const files = readdirSync(dir)
      .filter((f) => /\.xml(\.gz)?$/i.test(f))
      .sort()
      .map((f) => join(dir, f));
    if (files.length === 0) {
      if (given === undefined) return undefined;
      throw new IpfedError("INVALID_ARGUMENT", `--uspto ${given}: no USPTO grant files (*.xml, *.xml.gz) in it`, { field: "--uspto" });
    }
    return { dir, files };
  }

  async #issueToken(hubDir: string): Promise<string> {
    const trust = await NodeTrust.load(hubDir);
    return issueToken(trust.signingKey(), {
      issuer: trust.config.id,
      subject: "demo-user",
      audience: trust.config.networkId,
      tier: Tier.TIER_REGISTERED,
      scopes: ["search", "read", "export"],
      ttlSeconds: TOKEN_TTL_SECONDS,
      maxTier: trust.selfMaxTier(),
    });
  }

  /** A federated search at the hub: total, hits with holders, and the state of every member. */
  async #search(query: string, token: string): Promise<{ total: number; hits: { id: string; holders: string[] }[]; states: Map<string, string> }> {
    const remote = connect(this.#hubGrpc, 10_000, token, (await demoCertificates(this.#root!))["hub"] ?? false);
    const hits: { id: string; holders: string[] }[] = [];
    const states = new Map<string, string>();
    let total = 0;
    try {
      const req = SearchRequest.fromPartial({ query, federate: true, pageSize: 50 });
      for await (const ev of stream<SearchEvent>(remote.search.search(req, remote.metadata(), remote.options()))) {
        const e = ev.event;
        if (e?.$case === "hit") hits.push({ id: e.value.record?.id ?? "", holders: [...e.value.holders].sort() });
        else if (e?.$case === "memberStatus") states.set(e.value.memberId, MemberState[e.value.state] ?? String(e.value.state));
        else if (e?.$case === "done") total = e.value.total;
      }
    } finally {
      remote.close();
    }
    return { total, hits, states };
  }

  /**
   * Picks what the printed commands show: a record held by both the Sichuan centre and the
   * TISC, and a title phrase of it whose federated search is short enough to read.
   */
  async #chooseSample(root: string, token: string): Promise<DemoSample> {
    const ids = async (member: string): Promise<Record[]> => {
      const m = DEMO_MEMBERS.find((x) => x.id === member)!;
      const text = await readFile(join(root, member, "imports", `${m.datasets[0]!.id}.jsonl`), "utf8");
      return text.split("\n").filter(Boolean).map((l) => Record.fromJSON(JSON.parse(l)));
    };
    const tisc = new Set((await ids("scu-tisc")).map((r) => r.id));
    const shared = (await ids("sc-regional")).filter((r) => tisc.has(r.id));
    let fallback: DemoSample | undefined;
    for (const r of shared.slice(0, 20)) {
      const title = (r.titles.find((t) => t.lang === "zh")?.text ?? "").replace(/^一种/, "");
      if (!title) continue;
      const query = `ti:"${title}"`;
      const res = await this.#search(query, token);
      const hit = res.hits.find((h) => h.id === r.id);
      if (!hit) continue;
      const sample = { query, recordId: r.id, holders: hit.holders };
      fallback ??= sample;
      if (hit.holders.length >= 2 && res.total <= 20) return sample;
    }
    if (fallback) return fallback;
    throw new IpfedError("INTERNAL", "no record held by two members was found by a federated search");
  }

  async #waitUntil(what: string, check: () => Promise<boolean>): Promise<void> {
    const end = Date.now() + WAIT_MS;
    let last: unknown;
    while (Date.now() < end) {
      this.#checkStopping();
      for (const c of this.#children.values()) {
        if (c.hasExited()) throw new IpfedError("UNAVAILABLE", `${c.id} exited while the demo was starting; its log: ${c.logFile}`);
      }
      try {
        if (await check()) return;
      } catch (err) {
        last = err;
      }
      await new Promise((r) => setTimeout(r, 300));
    }
    throw new IpfedError("DEADLINE_EXCEEDED", `timed out after ${WAIT_MS / 1000} s waiting for ${what}${last instanceof Error ? ` (last error: ${last.message})` : ""}`);
  }
}
