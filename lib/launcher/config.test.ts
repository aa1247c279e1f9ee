import path from "node:path";
import { describe, expect, it } from "vitest";
import { readLaunchConfig } from "@/lib/launcher/config";

describe("readLaunchConfig", () => {
  it("defaults to 127.0.0.1:3000 with embedded data in ./.data", () => {
    const config = readLaunchConfig({});
    expect(config).toMatchObject({ port: 3000, host: "127.0.0.1", databaseUrl: null, isDemo: false });
    expect(config.dataDir).toBe(path.resolve(".data"));
  });

  it("reads PORT, HOST, DATABASE_URL, SOUS_DATA_DIR and SOUS_DEMO", () => {
    const config = readLaunchConfig({
      PORT: "4000",
      HOST: "0.0.0.0",
      DATABASE_URL: "postgresql://u@db/sous",
      SOUS_DATA_DIR: "/var/lib/sous",
      SOUS_DEMO: "1",
    });
    expect(config).toMatchObject({ port: 4000, host: "0.0.0.0", databaseUrl: "postgresql://u@db/sous", dataDir: "/var/lib/sous", isDemo: true });
  });

  it("rejects a bad PORT and a half-set admin", () => {
    expect(() => readLaunchConfig({ PORT: "http" })).toThrow(/PORT must be a port number/);
    expect(() => readLaunchConfig({ SOUS_INIT_ADMIN_EMAIL: "a@b.c" })).toThrow(/both SOUS_INIT_ADMIN_EMAIL/);
  });
});
