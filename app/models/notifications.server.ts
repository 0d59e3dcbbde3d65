import type { Kysely } from "kysely";
import { z } from "zod";
import { threadPath, versionPath } from "#app/comments/links";
import { createTranslate, type Translate } from "#app/i18n/i18n";
import { firstWords } from "#app/versions/threads";
import { findThread, type ThreadRecord } from "#db/repositories/comments";
import { findDocumentById } from "#db/repositories/documents";
import {
  countUnreadNotifications,
  findEmailSettings,
  insertNotifications,
  listMailRecipients,
  listNotifications,
  listThreadAuthorsOfDocument,
  listThreadParticipants,
  markAllNotificationsRead,
  updateEmailSettings,
  type EmailSettings,
} from "#db/repositories/notifications";
import { findUserById } from "#db/repositories/users";
import type { DbExecutor } from "#db/executor";
import { insertOutboxMessage } from "#db/repositories/outbox";
import type { Database, NotificationKind, OutboxRow } from "#db/schema";

export type { EmailSettings } from "#db/repositories/notifications";

/** Something that happened that people who took part should hear about. `actorId` did it and is never told. */
export type NotificationEvent =
  | { kind: "reply" | "status"; documentId: string; threadId: string; actorId: string }
  | { kind: "version"; documentId: string; version: { number: number; name: string }; actorId: string };

/**
 * Records a notification for everyone `event` concerns, and the mail for those who asked for it, in the outbox.
 * Called by changeThreads within the transaction of the change itself, so the change and whom it tells stand or fall
 * together; the mail is delivered once that transaction commits. Returns the stored mail.
 */
export async function recordNotifications(
  trx: DbExecutor,
  options: { publicUrl: string | undefined },
  event: NotificationEvent,
  at: Date,
): Promise<OutboxRow[]> {
  const userIds = (await recipientsOf(trx, event)).filter((userId) => userId !== event.actorId);
  if (userIds.length === 0) return [];
  await insertNotifications(
    trx,
    userIds.map((userId) => ({
      userId,
      kind: event.kind,
      documentId: event.documentId,
      threadId: event.kind === "version" ? null : event.threadId,
      versionNumber: event.kind === "version" ? event.version.number : null,
      actorId: event.actorId,
      createdAt: at,
    })),
  );
  return mailAbout(trx, options.publicUrl, event, userIds);
}

/** Who hears of an event: a reply, everyone in the thread; a status change, its author; a version, everyone with a thread on the draft. */
async function recipientsOf(db: DbExecutor, event: NotificationEvent): Promise<string[]> {
  switch (event.kind) {
    case "reply":
      return listThreadParticipants(db, event.threadId);
    case "status": {
      const thread = await findThread(db, event.threadId);
      return thread ? [thread.author_id] : [];
    }
    case "version":
      return listThreadAuthorsOfDocument(db, event.documentId);
  }
}

// ---- Mail ----

const sv = createTranslate("sv");
const en = createTranslate("en");
// Enough of the text commented on to recognise it in a mail.
const QUOTE_LENGTH = 160;

async function mailAbout(db: DbExecutor, publicUrl: string | undefined, event: NotificationEvent, userIds: readonly string[]): Promise<OutboxRow[]> {
  const recipients = await listMailRecipients(db, userIds, event.kind);
  if (recipients.length === 0) return [];
  const [document, actor, thread] = await Promise.all([
    findDocumentById(db, event.documentId),
    findUserById(db, event.actorId),
    event.kind === "version" ? undefined : findThread(db, event.threadId),
  ]);
  if (!document) return [];
  const link = (path: string) => (publicUrl ? new URL(path, publicUrl).href : path);
  const facts: MailFacts = {
    kind: event.kind,
    document: document.title,
    actor: actor?.name ?? "",
    thread: thread ?? null,
    version: event.kind === "version" ? event.version : null,
    link: link(event.kind === "version" ? versionPath(document.slug, event.version.number) : threadPath(document.slug, event.threadId)),
    settingsLink: link("/account#email-settings"),
  };
  const stored: OutboxRow[] = [];
  for (const recipient of recipients) {
    stored.push(
      await insertOutboxMessage(db, {
        to: recipient.email,
        subject: `${mailSubject(sv, facts)} / ${mailSubject(en, facts)}`,
        text: [mailText(sv, facts, recipient.name), "", "---", "", mailText(en, facts, recipient.name)].join("\n"),
      }),
    );
  }
  return stored;
}

interface MailFacts {
  kind: NotificationKind;
  document: string;
  actor: string;
  thread: ThreadRecord | null;
  version: { number: number; name: string } | null;
  link: string;
  settingsLink: string;
}

function mailSubject(t: Translate, facts: MailFacts): string {
  return t(`notifications.mail.subject.${facts.kind}`, { document: facts.document, number: facts.version?.number, name: facts.version?.name });
}

function mailText(t: Translate, facts: MailFacts, recipientName: string): string {
  const lines = [
    t("notifications.mail.greeting", { name: recipientName }),
    "",
    t(`notifications.mail.body.${facts.kind}`, { actor: facts.actor, document: facts.document, number: facts.version?.number, name: facts.version?.name }),
  ];
  const { thread } = facts;
  if (thread) {
    const anchor = thread.anchor;
    lines.push(t("notifications.mail.quote", { quote: firstWords(anchor.passage?.quote.exact ?? anchor.blockText, QUOTE_LENGTH) }));
    if (facts.kind === "status") {
      if (thread.outcome) {
        lines.push(t("notifications.mail.outcome", { outcome: t(`comments.outcome.${thread.outcome}`) }));
        if (thread.response) lines.push(t("notifications.mail.response", { response: thread.response }));
      } else {
        lines.push(t(`notifications.mail.status.${thread.status}`));
      }
    }
  }
  lines.push("", facts.link, "", t("notifications.mail.why"), facts.settingsLink);
  return lines.join("\n");
}

// ---- The member's list and settings ----

/** Most notifications kept in the list; older ones are still counted while unread. */
export const NOTIFICATION_LIST_LENGTH = 100;

export interface NotificationView {
  id: string;
  kind: NotificationKind;
  createdAt: string;
  unread: boolean;
  documentTitle: string;
  actorName: string;
  versionNumber: number | null;
  versionName: string | null;
  href: string;
}

export async function loadNotifications(db: Kysely<Database>, userId: string): Promise<NotificationView[]> {
  const records = await listNotifications(db, userId, NOTIFICATION_LIST_LENGTH);
  return records.map((record) => ({
    id: record.id,
    kind: record.kind,
    createdAt: record.created_at.toISOString(),
    unread: record.read_at === null,
    documentTitle: record.document_title,
    actorName: record.actor_name ?? "",
    versionNumber: record.version_number,
    versionName: record.version_name,
    href:
      record.kind === "version" && record.version_number !== null
        ? versionPath(record.document_slug, record.version_number)
        : threadPath(record.document_slug, record.thread_id ?? ""),
  }));
}

export function countUnread(db: Kysely<Database>, userId: string): Promise<number> {
  return countUnreadNotifications(db, userId);
}

export function markAllRead(db: Kysely<Database>, userId: string, at: Date = new Date()): Promise<void> {
  return markAllNotificationsRead(db, userId, at);
}

export async function loadEmailSettings(db: Kysely<Database>, userId: string): Promise<EmailSettings> {
  return (await findEmailSettings(db, userId)) ?? { reply: false, status: false, version: false };
}

const checkbox = z
  .literal("on")
  .optional()
  .transform((value) => value === "on");
const emailSettingsSchema = z.object({ emailOnReply: checkbox, emailOnStatus: checkbox, emailOnVersion: checkbox });

/** Saves the account page's mail settings; an unticked box is absent from the form, and means no. */
export async function saveEmailSettings(db: Kysely<Database>, userId: string, fields: Record<string, unknown>, at: Date = new Date()): Promise<{ ok: boolean }> {
  const parsed = emailSettingsSchema.safeParse(fields);
  if (!parsed.success) return { ok: false };
  await updateEmailSettings(db, userId, { reply: parsed.data.emailOnReply, status: parsed.data.emailOnStatus, version: parsed.data.emailOnVersion }, at);
  return { ok: true };
}
