import { getPool } from "@/lib/db/pool";
import type { Queryable } from "@/lib/projects/queryable";
import { hashPassword, verifyPassword } from "@/lib/auth/password";

/** A user account. Emails are stored trimmed and lower-cased, so look-ups ignore case. */
export interface User {
  id: string;
  email: string;
  createdAt: Date;
}

export type ProjectRole = "admin" | "member" | "viewer";

export class InvalidEmailError extends Error {
  readonly code = "bad_request";
}

export function normalizeEmail(email: string): string {
  const normalized = email.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+$/.test(normalized) || normalized.length > 254) {
    throw new InvalidEmailError(`"${email}" is not an email address.`);
  }
  return normalized;
}

interface UserRow {
  id: string;
  email: string;
  created_at: Date;
}

function toUser(row: UserRow): User {
  return { id: row.id, email: row.email, createdAt: row.created_at };
}

export async function findUserByEmail(email: string, db: Queryable = getPool()): Promise<User | null> {
  const { rows } = await db.query<UserRow>("SELECT id, email, created_at FROM users WHERE email = $1", [
    normalizeEmail(email),
  ]);
  return rows[0] ? toUser(rows[0]) : null;
}

/** Creates a user; returns null when the email is taken (the existing account is left as is). */
export async function createUser(email: string, password: string, db: Queryable = getPool()): Promise<User | null> {
  const passwordHash = await hashPassword(password);
  const { rows } = await db.query<UserRow>(
    `INSERT INTO users (email, password_hash) VALUES ($1, $2)
     ON CONFLICT (email) DO NOTHING RETURNING id, email, created_at`,
    [normalizeEmail(email), passwordHash],
  );
  return rows[0] ? toUser(rows[0]) : null;
}

// Verified against when the email is unknown, so a sign-in takes as long either way.
let decoyHash: Promise<string> | null = null;

/** The user whose email and password match, else null. */
export async function authenticateUser(email: string, password: string, db: Queryable = getPool()): Promise<User | null> {
  let normalized: string;
  try {
    normalized = normalizeEmail(email);
  } catch {
    return null;
  }
  const { rows } = await db.query<UserRow & { password_hash: string }>(
    "SELECT id, email, created_at, password_hash FROM users WHERE email = $1",
    [normalized],
  );
  const row = rows[0];
  if (!row) {
    decoyHash ??= hashPassword("decoy password");
    await verifyPassword(password, await decoyHash);
    return null;
  }
  return (await verifyPassword(password, row.password_hash)) ? toUser(row) : null;
}

/** Makes the user a member with `role`, or changes the role of an existing membership. */
export async function setProjectRole(
  projectId: string,
  userId: string,
  role: ProjectRole,
  db: Queryable = getPool(),
): Promise<void> {
  await db.query(
    `INSERT INTO project_members (project_id, user_id, role) VALUES ($1, $2, $3)
     ON CONFLICT (project_id, user_id) DO UPDATE SET role = EXCLUDED.role`,
    [projectId, userId, role],
  );
}

export async function getProjectRole(projectId: string, userId: string, db: Queryable = getPool()): Promise<ProjectRole | null> {
  const { rows } = await db.query<{ role: ProjectRole }>(
    "SELECT role FROM project_members WHERE project_id = $1 AND user_id = $2",
    [projectId, userId],
  );
  return rows[0]?.role ?? null;
}
