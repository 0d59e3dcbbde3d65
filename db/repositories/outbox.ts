import type { DbExecutor } from "#db/executor";
import type { OutboxRow } from "#db/schema";

export interface NewOutboxMessage {
  to: string;
  subject: string;
  text: string;
}

export async function insertOutboxMessage(db: DbExecutor, message: NewOutboxMessage): Promise<OutboxRow> {
  return db
    .insertInto("outbox")
    .values({ to_address: message.to, subject: message.subject, body_text: message.text })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function markOutboxMessageSent(db: DbExecutor, id: number, at: Date): Promise<void> {
  await db.updateTable("outbox").set({ sent_at: at }).where("id", "=", id).execute();
}

/** Newest first; optionally only the messages to one address (compared as stored). */
export async function listOutboxMessages(
  db: DbExecutor,
  options: { to?: string; limit: number },
): Promise<OutboxRow[]> {
  return db
    .selectFrom("outbox")
    .selectAll()
    .$if(options.to !== undefined, (query) => query.where("to_address", "=", options.to ?? ""))
    .orderBy("id", "desc")
    .limit(options.limit)
    .execute();
}
