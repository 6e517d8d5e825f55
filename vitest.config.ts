import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // Workspace packages resolve to their TypeScript sources; no build step before tests.
    conditions: ["@ipfed/source"],
  },
  ssr: {
    resolve: {
      conditions: ["@ipfed/source"],
    },
  },
  test: {
    include: [
      "packages/*/src/**/*.test.ts",
      "node/src/**/*.test.ts",
      "test/**/*.test.ts",
      "examples/**/*.test.ts",
      "bench/**/*.test.ts",
    ],
    setupFiles: ["./test/setup/polyfills.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
