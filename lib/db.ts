import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { getPool } from "@/lib/db/pool";

/**
 * The one Prisma client (with the pg driver adapter), created once per process.
 * Set-wise ingest writes and analytics SQL use the pg pool from lib/db/pool directly.
 */
const globalForPrisma = globalThis as unknown as { sousPrisma?: PrismaClient };

export function getPrisma(): PrismaClient {
  globalForPrisma.sousPrisma ??= new PrismaClient({ adapter: new PrismaPg(getPool()) });
  return globalForPrisma.sousPrisma;
}
