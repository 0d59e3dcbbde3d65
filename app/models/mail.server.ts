import type { Kysely } from "kysely";
import nodemailer from "nodemailer";
import { insertOutboxMessage, markOutboxMessageSent } from "#db/repositories/outbox";
import type { Database, OutboxRow } from "#db/schema";
import type { Logger } from "#app/log.server";

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

export interface MailResult {
  outboxId: number;
  /** true once the SMTP server accepted the message; false without SMTP or when sending failed. */
  delivered: boolean;
}

export interface Mailer {
  /** Never throws for a delivery failure: the message stays in the outbox unsent and the failure is logged. */
  send(mail: OutgoingMail): Promise<MailResult>;
  /**
   * Sends a message already in the outbox: one a change stored in its own transaction (see changeThreads), delivered
   * once that committed. Never throws for a delivery failure, as `send`.
   */
  deliver(stored: OutboxRow): Promise<MailResult>;
  close(): void;
}

/** The part of a nodemailer transporter the mailer uses; tests pass their own. */
export interface MailTransport {
  sendMail(message: { from: string; to: string; subject: string; text: string }): Promise<unknown>;
  close(): void;
}

export interface MailerOptions {
  /** smtp:// or smtps:// URL with credentials, e.g. from SMTP_URL; without it mail is only stored and logged. */
  smtpUrl?: string;
  /** Sender, e.g. "Samråd <noreply@samrad.example>". */
  from?: string;
  db: Kysely<Database>;
  log: Logger;
  now?: () => Date;
  /** Replaces the SMTP transport made from smtpUrl. */
  transport?: MailTransport;
}

const DEFAULT_FROM = "Samråd <noreply@localhost>";
const LINK_PATTERN = /https?:\/\/\S+/;

/**
 * Every message goes to the outbox table first, so there is a record of what was sent and a local install without
 * SMTP still works: the message, and the link in it, can be read from the outbox or the log.
 */
export function createMailer(options: MailerOptions): Mailer {
  const transport = options.transport ?? (options.smtpUrl ? nodemailer.createTransport(options.smtpUrl) : undefined);
  const from = options.from ?? DEFAULT_FROM;
  const now = options.now ?? (() => new Date());

  const deliver = async (stored: OutboxRow): Promise<MailResult> => {
    if (!transport) {
      options.log.info("mail stored in the outbox, not sent: SMTP_URL is not set", {
        outboxId: stored.id,
        to: stored.to_address,
        subject: stored.subject,
        link: LINK_PATTERN.exec(stored.body_text)?.[0] ?? null,
      });
      return { outboxId: stored.id, delivered: false };
    }
    try {
      await transport.sendMail({ from, to: stored.to_address, subject: stored.subject, text: stored.body_text });
    } catch (error) {
      options.log.error("sending mail failed; it stays unsent in the outbox", {
        outboxId: stored.id,
        error: error instanceof Error ? error : String(error),
      });
      return { outboxId: stored.id, delivered: false };
    }
    try {
      await markOutboxMessageSent(options.db, stored.id, now());
    } catch (error) {
      // Sent, but the outbox says otherwise: the log is the record of it.
      options.log.error("mail sent, but marking it sent in the outbox failed", { outboxId: stored.id, error: error instanceof Error ? error : String(error) });
    }
    return { outboxId: stored.id, delivered: true };
  };

  return {
    async send(mail) {
      return deliver(await insertOutboxMessage(options.db, mail));
    },
    deliver,
    close() {
      transport?.close();
    },
  };
}
