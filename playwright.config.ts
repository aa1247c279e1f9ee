import { defineConfig, devices } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT ?? 3917);
export const E2E_API_KEY = "sous_e2e_key_0000000000000000000000000000000000000";

export default defineConfig({
  testDir: "./e2e",
  workers: 1,
  retries: 0,
  timeout: 30_000,
  outputDir: "./test-results",
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    ...devices["Desktop Chrome"],
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic",
      ],
    },
  },
  webServer: {
    // The real launcher, as `npm start` runs it: embedded PostgreSQL in a scratch data dir.
    command: "node node_modules/tsx/dist/cli.mjs scripts/start.ts",
    url: `http://127.0.0.1:${PORT}/api/health`,
    env: {
      PORT: String(PORT),
      DATABASE_URL: "",
      SOUS_DATA_DIR: `${process.env.TMPDIR ?? "/tmp"}/sous-e2e-${process.pid}`,
      SOUS_INIT_PROJECT_KEY: E2E_API_KEY,
      SOUS_SKIP_BUILD_CHECK: "1",
    },
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
  },
});
