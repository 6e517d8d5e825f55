#!/usr/bin/env node
// `pnpm test`: the whole check, as CI runs it. Static checks first (generated code fresh,
// buf lint, buf breaking against the previous commit, TypeScript), then every vitest suite.
// Ends with one line `N passed, N failed` and a non-zero exit on any failure.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => join(root, "node_modules/.bin", name);
const extra = process.argv.slice(2);
let passed = 0;
let failed = 0;

function step(name, cmd, args) {
  process.stdout.write(`\n== ${name}\n`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit" });
  if (r.status === 0) passed += 1;
  else {
    failed += 1;
    process.stdout.write(`FAILED: ${name}\n`);
  }
}

if (extra.length === 0) {
  step("generated code is up to date", process.execPath, [join(root, "scripts/generate.js"), "--check"]);
  step("docs/protocol.md is up to date", process.execPath, [join(root, "scripts/protocol-doc.js"), "--check"]);
  step("buf lint", bin("buf"), ["lint", "proto"]);
  const prev = spawnSync("git", ["rev-parse", "--verify", "--quiet", "HEAD~1"], { cwd: root, encoding: "utf8" });
  const hasPrevProto =
    prev.status === 0 && spawnSync("git", ["cat-file", "-e", "HEAD~1:proto/buf.yaml"], { cwd: root }).status === 0;
  if (hasPrevProto) step("buf breaking against HEAD~1", bin("buf"), ["breaking", "proto", "--against", ".git#ref=HEAD~1,subdir=proto"]);
  step("typecheck", bin("tsc"), ["-p", "tsconfig.json"]);
}

const report = join(root, ".vitest-results.json");
rmSync(report, { force: true });
process.stdout.write("\n== vitest\n");
spawnSync(bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...extra], {
  cwd: root,
  stdio: "inherit",
});
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, "utf8"));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  // A suite that fails to load has no failed test but must still fail the run.
  failed += r.testResults.filter((f) => f.status === "failed" && f.assertionResults.length === 0).length;
  if (r.numTotalTests === 0) failed += 1;
} else {
  failed += 1;
  process.stdout.write("FAILED: vitest wrote no results\n");
}
process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exit(failed === 0 ? 0 : 1);
