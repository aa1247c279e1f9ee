import type pg from "pg";
import { generateApiKey, hashApiKey, isWellFormedApiKey, MAX_KEY_LENGTH, MIN_KEY_LENGTH } from "@/lib/auth/api-key-format";
import { insertApiKey } from "@/lib/auth/api-keys";
import { generatePassword } from "@/lib/auth/password";
import { createUser, findUserByEmail, getProjectRole, normalizeEmail, setProjectRole } from "@/lib/auth/users";
import { inLockedTransaction } from "@/lib/db/locked-transaction";
import { toProject, type Project } from "@/lib/projects/get-project";
import type { Queryable } from "@/lib/projects/queryable";

/**
 * First-start and headless set-up, run by the launcher (scripts/start.ts) before Next starts, at
 * every start. In one transaction under an advisory lock, so instances starting together agree:
 * - no default project yet → create it ("Default", slug "default") with a random ingest key, and
 *   an admin account (admin@localhost, random password) unless SOUS_INIT_ADMIN_* say otherwise;
 *   both secrets are returned once for the launcher to print and are never stored in plaintext;
 * - SOUS_INIT_PROJECT_KEY → added to the default project ("init key") unless its hash is already
 *   there (a key revoked since stays revoked);
 * - SOUS_INIT_ADMIN_EMAIL / _PASSWORD → that user is created if missing and made an admin of the
 *   default project; an existing user's password is never reset.
 */
export interface BootstrapOptions {
  initProjectKey?: string | null;
  initAdminEmail?: string | null;
  initAdminPassword?: string | null;
  /**
   * The caller needs a plaintext key for simulated traffic (SOUS_DEMO): `demoKey` is then the new
   * project's key or the init key when there is one, else a fresh key named "demo key" that
   * replaces the previous one.
   */
  needsDemoKey?: boolean;
}

export interface BootstrapResult {
  project: Project;
  isProjectCreated: boolean;
  /** The ingest key generated for a newly created default project: print it once. */
  createdProjectKey: string | null;
  /** An admin created with a generated password: print it once. Null when the password was given. */
  createdAdmin: { email: string; password: string } | null;
  initKey: "added" | "present" | null;
  initAdmin: "created" | "made_admin" | "present" | null;
  demoKey: string | null;
  /** Things the operator should know (an init key revoked or owned by another project). */
  warnings: string[];
}

export const DEFAULT_ADMIN_EMAIL = "admin@localhost";
const BOOTSTRAP_LOCK_KEY = 7_305_114_212; // arbitrary, constant: "sous bootstrap"

export class BootstrapConfigError extends Error {}

export async function bootstrapDefaultProject(pool: pg.Pool, options: BootstrapOptions = {}): Promise<BootstrapResult> {
  const initKey = options.initProjectKey ?? null;
  if (initKey !== null && !isWellFormedApiKey(initKey)) {
    throw new BootstrapConfigError(
      `SOUS_INIT_PROJECT_KEY must be ${MIN_KEY_LENGTH}-${MAX_KEY_LENGTH} characters of A-Z a-z 0-9 - . _ ~ + / ` +
        "(for example the output of `openssl rand -base64 32`).",
    );
  }
  const initAdminEmail = options.initAdminEmail ? safeEmail(options.initAdminEmail) : null;

  return inLockedTransaction(pool, BOOTSTRAP_LOCK_KEY, (client) =>
    bootstrapLocked(client, { ...options, initProjectKey: initKey, initAdminEmail }),
  );
}

function safeEmail(email: string): string {
  try {
    return normalizeEmail(email);
  } catch {
    throw new BootstrapConfigError(`SOUS_INIT_ADMIN_EMAIL is not an email address: "${email}".`);
  }
}

async function bootstrapLocked(db: Queryable, options: BootstrapOptions): Promise<BootstrapResult> {
  const warnings: string[] = [];
  const { project, isCreated } = await findOrCreateDefaultProject(db);

  let createdProjectKey: string | null = null;
  if (isCreated) {
    createdProjectKey = generateApiKey();
    await insertApiKey(project.id, "default key", createdProjectKey, db);
  }

  let initKeyOutcome: BootstrapResult["initKey"] = null;
  let isInitKeyUsable = false;
  if (options.initProjectKey) {
    const { rows } = await db.query<{ project_id: string; revoked_at: Date | null }>(
      "SELECT project_id, revoked_at FROM api_keys WHERE key_hash = $1",
      [hashApiKey(options.initProjectKey)],
    );
    const existing = rows[0];
    if (!existing) {
      await insertApiKey(project.id, "init key", options.initProjectKey, db);
      initKeyOutcome = "added";
      isInitKeyUsable = true;
    } else {
      initKeyOutcome = "present";
      if (existing.project_id !== project.id) {
        warnings.push("SOUS_INIT_PROJECT_KEY belongs to another project; it was not added to the default project.");
      } else if (existing.revoked_at) {
        warnings.push("SOUS_INIT_PROJECT_KEY was revoked; it stays revoked. Remove it from the environment or set a new one.");
      } else {
        isInitKeyUsable = true;
      }
    }
  }

  let createdAdmin: BootstrapResult["createdAdmin"] = null;
  let initAdminOutcome: BootstrapResult["initAdmin"] = null;
  const wantsInitAdmin = Boolean(options.initAdminEmail || options.initAdminPassword);
  if (wantsInitAdmin || isCreated) {
    const email = options.initAdminEmail ?? DEFAULT_ADMIN_EMAIL;
    let user = await findUserByEmail(email, db);
    let isUserCreated = false;
    if (!user) {
      const password = options.initAdminPassword || generatePassword();
      user = await createUser(email, password, db);
      if (!user) throw new Error(`Could not create the admin account ${email}.`);
      isUserCreated = true;
      if (password !== options.initAdminPassword) createdAdmin = { email, password };
    }
    const role = await getProjectRole(project.id, user.id, db);
    if (role !== "admin") await setProjectRole(project.id, user.id, "admin", db);
    if (wantsInitAdmin) initAdminOutcome = isUserCreated ? "created" : role === "admin" ? "present" : "made_admin";
  }

  let demoKey: string | null = null;
  if (options.needsDemoKey) {
    demoKey = createdProjectKey ?? (isInitKeyUsable ? options.initProjectKey! : null);
    if (demoKey === null) {
      await db.query(
        "UPDATE api_keys SET revoked_at = now() WHERE project_id = $1 AND name = 'demo key' AND revoked_at IS NULL",
        [project.id],
      );
      demoKey = generateApiKey();
      await insertApiKey(project.id, "demo key", demoKey, db);
    }
  }

  return {
    project,
    isProjectCreated: isCreated,
    createdProjectKey,
    createdAdmin,
    initKey: initKeyOutcome,
    initAdmin: initAdminOutcome,
    demoKey,
    warnings,
  };
}

const PROJECT_COLUMNS = "id, name, slug, is_default, created_at";

async function findOrCreateDefaultProject(db: Queryable): Promise<{ project: Project; isCreated: boolean }> {
  const existing = await db.query(`SELECT ${PROJECT_COLUMNS} FROM projects WHERE is_default`);
  if (existing.rows[0]) return { project: toProject(existing.rows[0]), isCreated: false };
  // A project someone created with the slug "default" becomes the default rather than blocking start.
  const promoted = await db.query(`UPDATE projects SET is_default = true WHERE slug = 'default' RETURNING ${PROJECT_COLUMNS}`);
  if (promoted.rows[0]) return { project: toProject(promoted.rows[0]), isCreated: false };
  const created = await db.query(
    `INSERT INTO projects (name, slug, is_default) VALUES ('Default', 'default', true) RETURNING ${PROJECT_COLUMNS}`,
  );
  return { project: toProject(created.rows[0]), isCreated: true };
}
