import type { Kysely } from "kysely";
import { z } from "zod";
import { threadPath, versionPath } from "~/comments/links";
import type { CommentIntent } from "~/comments/types";
import { createTranslate, type Translate } from "~/i18n/i18n";
import { firstWords } from "~/versions/threads";
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
import type { Database, NotificationKind } from "#db/schema";
import { createLogger } from "~/log.server";
import type { Mailer } from "./mail.server";

export type { EmailSettings } from "#db/repositories/notifications";

const log = createLogger("notifications");

/** What telling people needs from the server; the comment and version rules pass theirs on. */
export interface NotificationDeps {
  db: Kysely<Database>;
  mailer: Mailer;
  /** PUBLIC_URL's origin, for the links in mail. */
  publicUrl: string | undefined;
}

/** Something that happened that people who took part should hear about. `actorId` did it and is never told. */
export type NotificationEvent =
  | { kind: "reply" | "status"; documentId: string; threadId: string; actorId: string }
  | { kind: "version"; documentId: string; version: { number: number; name: string }; actorId: string };

export interface Notified {
  /** Who got a notification. */
  userIds: string[];
  /** Settles once the mail is sent or given up on; never rejects. */
  mailed: Promise<void>;
}

const NOTHING: Notified = { userIds: [], mailed: Promise.resolve() };

/**
 * Records a notification for everyone `event` concerns, then mails those who asked for it. Called after the change
 * itself is saved, and never fails it: a failure here is logged, and mail is not waited for (an SMTP server may
 * take seconds to answer).
 */
export async function notify(deps: NotificationDeps, event: NotificationEvent, at: Date = new Date()): Promise<Notified> {
  try {
    const userIds = (await recipientsOf(deps.db, event)).filter((userId) => userId !== event.actorId);
    if (userIds.length === 0) return NOTHING;
    await insertNotifications(
      deps.db,
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
    const mailed = mailAbout(deps, event, userIds).catch((error: unknown) => {
      log.error("mailing notifications failed; they are in the app", { kind: event.kind, error: error instanceof Error ? error : String(error) });
    });
    return { userIds, mailed };
  } catch (error) {
    log.error("recording notifications failed; the change itself is saved", { kind: event.kind, error: error instanceof Error ? error : String(error) });
    return NOTHING;
  }
}

/** Who hears of an event: a reply, everyone in the thread; a status change, its author; a version, everyone with a thread on the draft. */
async function recipientsOf(db: Kysely<Database>, event: NotificationEvent): Promise<string[]> {
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

/** The event a comment command that succeeded causes, if any: see runCommentCommand for the intents. */
export function notifyAfterCommentCommand(
  deps: NotificationDeps,
  command: { intent: CommentIntent; actorId: string; documentId: string; threadId: string },
): Promise<Notified> {
  const kind = NOTIFIED_INTENTS[command.intent];
  if (kind === null) return Promise.resolve(NOTHING);
  return notify(deps, { kind, documentId: command.documentId, threadId: command.threadId, actorId: command.actorId });
}

// Every intent decides here, so a new one cannot forget to. An author resolving or reopening their own thread tells
// no one: the author is a status change's only recipient, and the actor is never told.
const NOTIFIED_INTENTS: Record<CommentIntent, "reply" | "status" | null> = {
  reply: "reply",
  close: "status",
  "accept-suggestion": "status",
  resolve: "status",
  reopen: "status",
  "create-thread": null,
  "edit-comment": null,
  "delete-comment": null,
  agree: null,
  unagree: null,
  flag: null,
};

// ---- Mail ----

const sv = createTranslate("sv");
const en = createTranslate("en");
// Enough of the text commented on to recognise it in a mail.
const QUOTE_LENGTH = 160;

async function mailAbout(deps: NotificationDeps, event: NotificationEvent, userIds: readonly string[]): Promise<void> {
  const recipients = await listMailRecipients(deps.db, userIds, event.kind);
  if (recipients.length === 0) return;
  const [document, actor, thread] = await Promise.all([
    findDocumentById(deps.db, event.documentId),
    findUserById(deps.db, event.actorId),
    event.kind === "version" ? undefined : findThread(deps.db, event.threadId),
  ]);
  if (!document) return;
  const link = (path: string) => (deps.publicUrl ? new URL(path, deps.publicUrl).href : path);
  const facts: MailFacts = {
    kind: event.kind,
    document: document.title,
    actor: actor?.name ?? "",
    thread: thread ?? null,
    version: event.kind === "version" ? event.version : null,
    link: link(event.kind === "version" ? versionPath(document.slug, event.version.number) : threadPath(document.slug, event.threadId)),
    settingsLink: link("/account#email-settings"),
  };
  for (const recipient of recipients) {
    // One by one: the mailer logs a failed delivery and keeps the message in the outbox, so the others still go.
    await deps.mailer.send({
      to: recipient.email,
      subject: `${mailSubject(sv, facts)} / ${mailSubject(en, facts)}`,
      text: [mailText(sv, facts, recipient.name), "", "---", "", mailText(en, facts, recipient.name)].join("\n"),
    });
  }
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
