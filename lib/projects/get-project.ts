import { getPool } from "@/lib/db/pool";
import { isUuid, type Queryable } from "@/lib/projects/queryable";

/** A project: the unit that owns API keys, members, settings, price overrides and spans. */
export interface Project {
  id: string;
  name: string;
  slug: string;
  isDefault: boolean;
  createdAt: Date;
}

export class ProjectNotFoundError extends Error {
  readonly code = "not_found";
}

interface ProjectRow {
  id: string;
  name: string;
  slug: string;
  is_default: boolean;
  created_at: Date;
}

const COLUMNS = "id, name, slug, is_default, created_at";

export function toProject(row: ProjectRow): Project {
  return { id: row.id, name: row.name, slug: row.slug, isDefault: row.is_default, createdAt: row.created_at };
}

/** The project created at first start (lib/projects/bootstrap); it always exists once Sous has started. */
export async function getDefaultProject(db: Queryable = getPool()): Promise<Project> {
  const project = await findDefaultProject(db);
  if (!project) {
    throw new ProjectNotFoundError("There is no default project yet: start Sous with `npm start`, which creates it.");
  }
  return project;
}

export async function findDefaultProject(db: Queryable = getPool()): Promise<Project | null> {
  const { rows } = await db.query<ProjectRow>(`SELECT ${COLUMNS} FROM projects WHERE is_default`);
  return rows[0] ? toProject(rows[0]) : null;
}

export async function getProject(id: string, db: Queryable = getPool()): Promise<Project | null> {
  if (!isUuid(id)) return null;
  const { rows } = await db.query<ProjectRow>(`SELECT ${COLUMNS} FROM projects WHERE id = $1`, [id]);
  return rows[0] ? toProject(rows[0]) : null;
}

export async function getProjectBySlug(slug: string, db: Queryable = getPool()): Promise<Project | null> {
  const { rows } = await db.query<ProjectRow>(`SELECT ${COLUMNS} FROM projects WHERE slug = $1`, [slug]);
  return rows[0] ? toProject(rows[0]) : null;
}

export async function listProjects(db: Queryable = getPool()): Promise<Project[]> {
  const { rows } = await db.query<ProjectRow>(`SELECT ${COLUMNS} FROM projects ORDER BY is_default DESC, created_at, slug`);
  return rows.map(toProject);
}
