import type { MembershipRole } from "#db/schema";

/**
 * The one place that decides who may do what. Routes, the collaboration server and domain modules ask `can`
 * rather than comparing roles themselves, so a change of policy is a change here.
 */

export const ROLES = ["member", "editor", "host", "admin"] as const;
export type Role = (typeof ROLES)[number];

// Fails to compile when the roles here and the ones the database accepts (db/schema.ts) drift apart.
const rolesMatchSchema: [Role, MembershipRole] extends [MembershipRole, Role] ? true : never = true;
void rolesMatchSchema;

export const ACTIONS = [
  "read",
  "comment",
  "edit-draft",
  "resolve-threads",
  "moderate-comments",
  "freeze-version",
  "manage-workshops",
  "manage-accounts",
  "create-draft",
  "manage-drafts",
] as const;
export type Action = (typeof ACTIONS)[number];

/**
 * Editors write the draft, start new drafts, resolve anyone's comment threads and moderate comments; hosts run
 * workshops; both may freeze a version of the draft (a host does so at the end of a workshop). Neither includes the
 * other. Admins may do everything, archiving and deleting drafts (manage-drafts) included. Authors may resolve their own threads whatever their role (canResolveThread, below).
 */
const PERMISSIONS: Record<Role, ReadonlySet<Action>> = {
  member: new Set(["read", "comment"]),
  editor: new Set(["read", "comment", "edit-draft", "create-draft", "resolve-threads", "moderate-comments", "freeze-version"]),
  host: new Set(["read", "comment", "manage-workshops", "freeze-version"]),
  admin: new Set(ACTIONS),
};

/** Anonymous visitors (null) may only read. */
export function can(role: Role | null, action: Action): boolean {
  if (role === null) return action === "read";
  return PERMISSIONS[role].has(action);
}

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** Authors may resolve and reopen their own threads; editors and admins anyone's. */
export function canResolveThread(actor: { user: { id: string }; role: Role | null }, thread: { author_id: string }): boolean {
  return thread.author_id === actor.user.id ? can(actor.role, "comment") : can(actor.role, "resolve-threads");
}
