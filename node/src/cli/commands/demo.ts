import { Command } from "commander";
import { IpfedError } from "@ipfed/sdk";
import { DemoNetwork } from "../../demo/demo-network.js";
import type { DemoReady } from "../../demo/demo-network.js";
import { DEFAULT_DEMO_SIZE, DEMO_MEMBERS } from "../../demo/demo-plan.js";
import { displayPath } from "../../demo/demo-commands.js";
import { EXIT } from "../exit-codes.js";
import { action } from "../run.js";

interface DemoOptions {
  dir?: string;
  hubGrpc: string;
  hubHttp: string;
  size: string;
  uspto?: string | false;
  json?: boolean;
}

const HELP = `
Starts, on loopback, a hub (gRPC 127.0.0.1:7400, HTTP 127.0.0.1:7480), two regional nodes
(sc-regional, gd-regional), a university TISC (scu-tisc, under sc-regional) and a library outlet
(cd-library), each a real \`ipfed node start\` process with its LevelDB store. Imports a generated
bilingual corpus split across the members with overlaps, and the USPTO grants of --uspto (or of
../shared/data/uspto-grants beside the repository) into gd-regional; enrols everyone at the hub;
then prints the portal URL, a registered-user token and commands to paste. Ctrl-C stops every
node and removes the data, unless --dir was given. See docs/demo.md.

Examples:
  $ pnpm demo
  $ pnpm demo --dir ./data/demo
  $ ipfed demo --json --hub-grpc 127.0.0.1:17400 --hub-http 127.0.0.1:17480 --size 400
`;

/** `ipfed demo`: the demo network in one command, until Ctrl-C. */
export function demoCommand(): Command {
  return new Command("demo")
    .description("start a demo network on loopback (a hub, two regional nodes, a TISC, a library) until Ctrl-C")
    .option("--dir <dir>", "keep the data in this directory; a second run reuses it (default: a temporary directory, removed at exit)")
    .option("--hub-grpc <host:port>", "the hub's gRPC address", "127.0.0.1:7400")
    .option("--hub-http <host:port>", "the hub's HTTP address (health, portal)", "127.0.0.1:7480")
    .option("--size <n>", "generated records, before overlaps", String(DEFAULT_DEMO_SIZE))
    .option("--uspto <dir>", "folder of USPTO grant XML files (default: ../shared/data/uspto-grants beside the repository, when present)")
    .option("--no-uspto", "import no USPTO grants")
    .option("--json", "print one JSON line on stdout when ready; progress goes to stderr")
    .addHelpText("after", HELP)
    .action(
      action(async (opts: DemoOptions) => {
        const size = Number(opts.size);
        if (!Number.isInteger(size) || size < 20 || size > 1_000_000) {
          throw new IpfedError("INVALID_ARGUMENT", `--size must be a whole number from 20 to 1000000 (found "${opts.size}")`, { field: "--size" });
        }
        const out = opts.json ? process.stderr : process.stdout;
        const say = (line: string): void => void out.write(line + "\n");
        const demo = new DemoNetwork({
          hubGrpc: opts.hubGrpc,
          hubHttp: opts.hubHttp,
          size,
          say,
          ...(opts.dir !== undefined ? { dir: opts.dir } : {}),
          ...(opts.uspto !== undefined ? { uspto: opts.uspto } : {}),
        });
        let signalled = false;
        let failed = false;
        const stopped = new Promise<void>((done) => {
          const onSignal = (signal: NodeJS.Signals): void => {
            if (signalled || failed) return;
            signalled = true;
            say(`\n${signal}: stopping every node`);
            void demo.stop().then(done, done);
          };
          // SIGHUP too: a closed terminal stops the network as Ctrl-C does.
          for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, onSignal);
          demo.onUnexpectedExit((id, code) => {
            if (signalled || failed) return;
            failed = true;
            process.stderr.write(`error UNAVAILABLE: ${id} exited unexpectedly (${code}); stopping the other nodes\n`);
            void demo.stop().then(done, done);
          });
        });
        try {
          const ready = await demo.start();
          if (opts.json) process.stdout.write(JSON.stringify(jsonLine(ready)) + "\n");
          else say(humanText(ready));
        } catch (err) {
          await demo.stop();
          if (!signalled) throw err;
        }
        await stopped;
        say(demo.dir && opts.dir !== undefined ? `Stopped. The data stays in ${demo.dir}; run the same command to start it again.` : "Stopped; the demo's data was removed.");
        if (failed) process.exitCode = EXIT.FAILURE;
      }),
    );
}

/** The `--json` line: what a program needs to use the running demo. */
function jsonLine(r: DemoReady): object {
  return {
    portal: r.portal,
    token: r.token,
    hub: { ...r.hub, ...(r.members.find((m) => m.id === "hub")?.tlsCert ? { tlsCert: r.members.find((m) => m.id === "hub")!.tlsCert } : {}) },
    members: r.members,
    dir: r.dir,
    kept: r.kept,
    reused: r.reused,
    uspto: r.uspto,
    sample: r.sample,
    pid: process.pid,
    seconds: r.seconds,
    commands: r.commands.map((c) => c.command),
  };
}

function humanText(r: DemoReady): string {
  const names = new Map(DEMO_MEMBERS.map((m) => [m.id, `${m.names.zh} ${m.names.en}`]));
  const head = ["MEMBER", "KIND", "REGION", "GRPC", "HTTP", "RECORDS", "DATASETS", "NAME"];
  const rows = r.members.map((m) => [m.id, m.kind, m.region, m.grpc, m.http, String(m.records), m.datasets.map((d) => d.id).join(",") || "-", names.get(m.id) ?? ""]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const table = [head, ...rows].map((row) => "  " + row.map((c, i) => (i === 7 ? c : i === 5 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ").trimEnd());
  const lines = [
    "",
    `Demo network ready in ${r.seconds.toFixed(1)} s${r.reused ? " (data reused, nothing imported)" : ""}: ${r.members.length} nodes on loopback`,
    ...table,
    r.uspto ? `USPTO grants: ${r.uspto.records} records from ${displayPath(r.uspto.dir)}, held by ${r.uspto.member}` : "USPTO grants: none (give --uspto DIR to add them)",
    r.members.every((m) => m.tlsCert)
      ? `gRPC: TLS on every node, mutual TLS between them (certificates in ${r.dir}/<member>/tls/, pinned with --tls FILE); HTTP: plaintext on loopback`
      : "gRPC: plaintext on loopback (this demo's data predates TLS; a new --dir gets certificates)",
    "",
    `Portal:  ${r.portal}`,
    `Token:   a registered user (subject demo-user, scope "search read export", valid 12 h, issued by the hub):`,
    r.token,
    "",
    "Try, from the repository root:",
    ...r.commands.flatMap((c) => [`  # ${c.about}`, `  ${c.command}`]),
    "",
    r.kept ? `Data: ${r.dir} (kept; run the same command again to reuse it)` : `Data: ${r.dir} (removed when the demo stops)`,
    "Press Ctrl-C to stop every node.",
  ];
  return lines.join("\n");
}
