import type { DbExecutor } from "#db/executor";
import { insertAuditEntry, listAuditEntries } from "#db/repositories/audit-log";
import type { JsonObject } from "#db/schema";

/** Every action the audit log records; the admin UI translates these. */
export type AuditAction =
  | "account.created"
  | "account.signed-in"
  | "account.deactivated"
  | "account.reactivated"
  | "password.changed"
  | "password.reset-requested"
  | "password.reset"
  | "role.changed"
  | "invite.created"
  | "invite.used"
  | "sessions.revoked-all"
  | "comment.hidden"
  | "flag.dismissed"
  | "suggestion.accepted"
  | "threads.status-changed"
  | "workshop.created"
  | "workshop.updated"
  | "version.restored"
  | "draft.created"
  | "draft.archived"
  | "draft.unarchived"
  | "draft.deleted";

export interface AuditInput {
  /** Who did it; null for the system (e.g. the command line) or a visitor not signed in. */
  actorUserId: string | null;
  action: AuditAction;
  /** What it was done to, e.g. the id of the user whose role changed. */
  subject?: string | null;
  details?: JsonObject;
  ip?: string | null;
}

/** Writes within the caller's transaction when given one, so the record and the change stand or fall together. */
export async function recordAudit(db: DbExecutor, input: AuditInput): Promise<void> {
  await insertAuditEntry(db, {
    actorUserId: input.actorUserId,
    action: input.action,
    subject: input.subject ?? null,
    details: input.details ?? {},
    ip: input.ip ?? null,
  });
}

export interface AuditEntry {
  id: number;
  action: string;
  subject: string | null;
  details: JsonObject;
  ip: string | null;
  createdAt: Date;
  actor: { id: string; name: string; email: string } | null;
}

/** Newest first. */
export async function listAudit(
  db: DbExecutor,
  options: { limit: number; offset: number },
): Promise<{ entries: AuditEntry[]; total: number }> {
  const { entries, total } = await listAuditEntries(db, options);
  return {
    total,
    entries: entries.map((entry) => ({
      id: entry.id,
      action: entry.action,
      subject: entry.subject,
      details: entry.details,
      ip: entry.ip,
      createdAt: entry.created_at,
      actor:
        entry.actor_user_id !== null && entry.actor_name !== null && entry.actor_email !== null
          ? { id: entry.actor_user_id, name: entry.actor_name, email: entry.actor_email }
          : null,
    })),
  };
}
