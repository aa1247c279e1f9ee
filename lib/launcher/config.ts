import path from "node:path";

/** What the launcher reads from the environment (DESIGN.md "outside contract"). */
export interface LaunchConfig {
  port: number;
  host: string;
  databaseUrl: string | null;
  dataDir: string;
  isDemo: boolean;
  initProjectKey: string | null;
  initAdminEmail: string | null;
  initAdminPassword: string | null;
}

export function readLaunchConfig(env: Record<string, string | undefined> = process.env): LaunchConfig {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`PORT must be a port number (1-65535), got "${env.PORT}"`);
  }
  const adminEmail = nonEmpty(env.SOUS_INIT_ADMIN_EMAIL);
  const adminPassword = nonEmpty(env.SOUS_INIT_ADMIN_PASSWORD);
  if ((adminEmail === null) !== (adminPassword === null)) {
    throw new Error("Set both SOUS_INIT_ADMIN_EMAIL and SOUS_INIT_ADMIN_PASSWORD, or neither.");
  }
  return {
    port,
    host: nonEmpty(env.HOST) ?? "127.0.0.1",
    databaseUrl: nonEmpty(env.DATABASE_URL),
    dataDir: path.resolve(nonEmpty(env.SOUS_DATA_DIR) ?? ".data"),
    isDemo: env.SOUS_DEMO === "1" || env.SOUS_DEMO === "true",
    initProjectKey: nonEmpty(env.SOUS_INIT_PROJECT_KEY),
    initAdminEmail: adminEmail,
    initAdminPassword: adminPassword,
  };
}

function nonEmpty(value: string | undefined): string | null {
  return value === undefined || value.trim() === "" ? null : value.trim();
}
