/** `npm run db:migrate`: applies prisma/migrations to DATABASE_URL (npm start does this by itself). */
import { applyMigrations } from "@/lib/db/migrate";
import { resolveDatabaseUrl } from "@/lib/launcher/runtime-file";

const url = resolveDatabaseUrl();
if (!url) {
  process.stderr.write("npm run db:migrate needs DATABASE_URL (npm start migrates the embedded database itself).\n");
  process.exit(2);
}
const { applied } = await applyMigrations(url);
process.stdout.write(applied.length ? `applied: ${applied.join(", ")}\n` : "the database is up to date\n");
