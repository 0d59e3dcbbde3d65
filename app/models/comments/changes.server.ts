import type { Kysely, Transaction } from "kysely";
import type { CommentEvent, CommentEventBus } from "#app/comments/events";
import type { Database, OutboxRow } from "#db/schema";
import { createLogger } from "#app/log.server";
import { recordAudit, type AuditInput } from "#app/models/audit.server";
import type { CommentCache } from "#app/models/comment-cache.server";
import type { Mailer } from "#app/models/mail.server";
import { recordNotifications, type NotificationEvent } from "#app/models/notifications.server";

const log = createLogger("thread-changes");

/** What changing threads needs from the server: every writer of threads takes this, and only this, for its effects. */
export interface ThreadChangeServices {
  db: Kysely<Database>;
  commentCache: Pick<CommentCache, "invalidate">;
  commentEvents: Pick<CommentEventBus, "publish">;
  mailer: Pick<Mailer, "deliver">;
  /** PUBLIC_URL's origin, for the links in mail. */
  publicUrl: string | undefined;
}

/** Who made a change to a document's threads, from where and when. */
export interface ThreadChange {
  documentId: string;
  actorId: string;
  ip?: string | null;
  at?: Date;
}

/** What a change tells `changeThreads` it did; the effects follow from these, never from the caller. */
export interface ThreadChangeLog {
  /** A thread changed: its readers are told once the change is stored; `notification` says whom else it concerns. */
  thread(threadId: string, notification?: "reply" | "status" | null): void;
  /** A version was frozen, which changes how every thread is shown; everyone with a thread on the draft hears of it. */
  versionFrozen(version: { number: number; name: string }): void;
  /** An entry for the audit log, by the change's actor from its address. */
  audit(entry: Pick<AuditInput, "action" | "subject" | "details">): void;
}

/**
 * The one place that runs what follows a change to a document's threads. `write` makes the change in a transaction
 * and logs what it did; in that same transaction the notifications, the mail for those who asked for it (the outbox)
 * and the audit entries are written, so no writer can store a change and skip them, and a failure leaves none of it.
 * Once it commits, the cached threads are dropped and the open pages told, once per thread, and the mail goes out
 * without being waited for (an SMTP server may take seconds to answer).
 *
 * `write` must use the transaction it is given for every query: with the embedded database, a query on another
 * connection would wait for this transaction to end.
 */
export async function changeThreads<T>(
  services: ThreadChangeServices,
  change: ThreadChange,
  write: (trx: Transaction<Database>, changes: ThreadChangeLog) => Promise<T>,
): Promise<T> {
  const { documentId, actorId } = change;
  const at = change.at ?? new Date();
  const { result, events, mail } = await services.db.transaction().execute(async (trx) => {
    const events: CommentEvent[] = [];
    const announced = new Set<string>();
    const notifications: NotificationEvent[] = [];
    const audits: Pick<AuditInput, "action" | "subject" | "details">[] = [];
    const changes: ThreadChangeLog = {
      thread(threadId, notification = null) {
        if (!announced.has(threadId)) events.push({ type: "thread-changed", threadId });
        announced.add(threadId);
        if (notification) notifications.push({ kind: notification, documentId, threadId, actorId });
      },
      versionFrozen(version) {
        events.push({ type: "version-frozen", versionNumber: version.number });
        notifications.push({ kind: "version", documentId, version, actorId });
      },
      audit(entry) {
        audits.push(entry);
      },
    };
    const result = await write(trx, changes);
    const mail: OutboxRow[] = [];
    for (const event of notifications) mail.push(...(await recordNotifications(trx, services, event, at)));
    for (const entry of audits) await recordAudit(trx, { ...entry, actorUserId: actorId, ip: change.ip ?? null });
    return { result, events, mail };
  });
  if (events.length > 0) services.commentCache.invalidate(documentId);
  for (const event of events) services.commentEvents.publish(documentId, event);
  if (mail.length > 0) void deliver(services.mailer, mail);
  return result;
}

/** One by one: a failed delivery stays in the outbox, and the others still go. */
async function deliver(mailer: Pick<Mailer, "deliver">, mail: readonly OutboxRow[]): Promise<void> {
  for (const stored of mail) {
    try {
      await mailer.deliver(stored);
    } catch (error) {
      log.error("delivering mail failed; it stays in the outbox", { outboxId: stored.id, error: error instanceof Error ? error : String(error) });
    }
  }
}
