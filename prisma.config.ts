import path from "node:path";
import { defineConfig } from "prisma/config";

// `prisma generate` needs a schema-engine path but never runs it; the shim fails loudly if any
// other Prisma command tries to (see scripts/no-schema-engine.sh).
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.resolve(import.meta.dirname ?? ".", "scripts/no-schema-engine.sh");

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://unused@127.0.0.1:1/unused" },
});
