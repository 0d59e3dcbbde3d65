import type { Kysely } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { deactivateAccount } from "#app/models/accounts/admin.server";
import { signIn } from "#app/models/accounts/sign-in.server";
import { signUp } from "#app/models/accounts/sign-up.server";
import { listAudit } from "#app/models/audit.server";
import { createInvite, readInvite } from "#app/models/invites.server";
import { createMailer, type Mailer, type MailTransport } from "#app/models/mail.server";
import { PASSWORD_RESET_PATH, requestPasswordReset, resetPassword } from "#app/models/password-reset.server";
import { readSession } from "#app/models/sessions.server";
import { listOutboxMessages } from "#db/repositories/outbox";
import type { Database } from "#db/schema";
import type { Logger } from "#app/log.server";
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from "#tests/support/database";
import { DAY_MS, manualClock, MINUTE_MS } from "#tests/support/clock";
import { accountServices, GOOD_PASSWORD, noLimits, recordingLiveSessions, signUpInput, signUpOrFail } from "./accounts-support";

const BASE_URL = "https://samrad.example";
const NEW_PASSWORD = "ett helt nytt lösenord";

function recordingLog() {
  const lines: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
  const record = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push({ level, message, fields });
  };
  const log: Logger = { debug: record("debug"), info: record("info"), warn: record("warn"), error: record("error") };
  return { log, lines };
}

describe.each(testDatabaseKinds())("password reset, invites and mail on %s", (kind) => {
  let database: TestDatabase;
  let db: Kysely<Database>;
  let mailer: Mailer;
  let logged: ReturnType<typeof recordingLog>;

  beforeEach(async () => {
    database = await createTestDatabase(kind);
    db = database.db;
    logged = recordingLog();
    mailer = createMailer({ db, log: logged.log });
  });

  afterEach(async () => {
    mailer.close();
    await database.close();
  });

  /** The token of the newest reset link mailed to the address, read from the outbox as a local install would. */
  async function mailedResetToken(to: string): Promise<string> {
    const [message] = await listOutboxMessages(db, { to, limit: 1 });
    const match = new RegExp(`${BASE_URL}${PASSWORD_RESET_PATH}/([A-Za-z0-9_-]+)`).exec(message?.body_text ?? "");
    if (!match?.[1]) throw new Error(`no reset link mailed to ${to}`);
    return match[1];
  }

  describe("password reset", () => {
    it("mails a link that sets a new password once, and ends every session", async () => {
      const { user, token: sessionToken, session } = await signUpOrFail(db);
      expect(await requestPasswordReset({ db, mailer, rateLimits: noLimits }, "CATHARINA@prv.example", { baseUrl: BASE_URL, ip: "192.0.2.4" })).toEqual({
        ok: true,
      });
      const [message] = await listOutboxMessages(db, { limit: 10 });
      expect(message).toMatchObject({ to_address: "catharina@prv.example", sent_at: null });
      // Without SMTP the link is logged too, on one line, so a local run can follow it.
      const token = await mailedResetToken(user.email);
      expect(logged.lines).toEqual([
        expect.objectContaining({ level: "info", fields: expect.objectContaining({ link: `${BASE_URL}${PASSWORD_RESET_PATH}/${token}` }) }),
      ]);

      const { liveSessions, told } = recordingLiveSessions();
      expect(await resetPassword(accountServices(db, liveSessions), token, NEW_PASSWORD, { ip: "192.0.2.4" })).toEqual({ ok: true, userId: user.id });
      expect(await readSession(db, sessionToken)).toBeNull();
      // Its open editing sockets are closed too.
      expect(told).toEqual([{ ended: [session.id] }]);
      expect(await signIn(accountServices(db), { email: user.email, password: NEW_PASSWORD })).toMatchObject({ ok: true });
      expect(await signIn(accountServices(db), { email: user.email, password: GOOD_PASSWORD })).toMatchObject({ ok: false });

      expect(await resetPassword(accountServices(db, liveSessions), token, "ännu ett nytt lösenord", { ip: null })).toEqual({ ok: false, error: "invalid-or-expired-link" });
      expect(told).toHaveLength(1);
      const { entries } = await listAudit(db, { limit: 10, offset: 0 });
      expect(entries.map((entry) => entry.action)).toContain("password.reset");
      expect(entries.find((entry) => entry.action === "password.reset")).toMatchObject({
        actor: { id: user.id },
        details: { revokedSessions: 1 },
      });
    });

    it("answers the same for an unknown address and mails nothing", async () => {
      await signUpOrFail(db);
      for (const email of ["ingen@prv.example", "", "inte en adress", "x".repeat(10_000)]) {
        expect(await requestPasswordReset({ db, mailer, rateLimits: noLimits }, email, { baseUrl: BASE_URL })).toEqual({ ok: true });
      }
      expect(await listOutboxMessages(db, { limit: 10 })).toEqual([]);
    });

    it("mails nothing for a deactivated account, and its older links stop working", async () => {
      const admin = await signUpOrFail(db);
      const member = await signUpOrFail(db, { email: "medlem@digg.example" });
      await requestPasswordReset({ db, mailer, rateLimits: noLimits }, member.user.email, { baseUrl: BASE_URL });
      const token = await mailedResetToken(member.user.email);
      await deactivateAccount(accountServices(db), admin.user, member.user.id);

      await requestPasswordReset({ db, mailer, rateLimits: noLimits }, member.user.email, { baseUrl: BASE_URL });
      expect(await listOutboxMessages(db, { to: member.user.email, limit: 10 })).toHaveLength(1);
      expect(await resetPassword(accountServices(db), token, NEW_PASSWORD)).toEqual({ ok: false, error: "invalid-or-expired-link" });
    });

    it("expires after an hour", async () => {
      const clock = manualClock();
      const { user } = await signUpOrFail(db);
      await requestPasswordReset({ db, mailer, rateLimits: noLimits }, user.email, { baseUrl: BASE_URL, now: clock.now });
      const token = await mailedResetToken(user.email);
      clock.advance(60 * MINUTE_MS);
      expect(await resetPassword(accountServices(db), token, NEW_PASSWORD, { now: clock.now })).toEqual({
        ok: false,
        error: "invalid-or-expired-link",
      });

      await requestPasswordReset({ db, mailer, rateLimits: noLimits }, user.email, { baseUrl: BASE_URL, now: clock.now });
      const fresh = await mailedResetToken(user.email);
      clock.advance(59 * MINUTE_MS);
      expect(await resetPassword(accountServices(db), fresh, NEW_PASSWORD, { now: clock.now })).toMatchObject({ ok: true });
    });

    it("checks the new password, keeping the link usable when it is refused", async () => {
      const { user } = await signUpOrFail(db);
      await requestPasswordReset({ db, mailer, rateLimits: noLimits }, user.email, { baseUrl: BASE_URL });
      const token = await mailedResetToken(user.email);
      expect(await resetPassword(accountServices(db), token, "kort")).toEqual({
        ok: false,
        error: "invalid-input",
        fieldErrors: { password: "too-short" },
      });
      expect(await resetPassword(accountServices(db), token, NEW_PASSWORD)).toMatchObject({ ok: true });
    });

    it("voids the account's other links once one is used", async () => {
      const { user } = await signUpOrFail(db);
      await requestPasswordReset({ db, mailer, rateLimits: noLimits }, user.email, { baseUrl: BASE_URL });
      const older = await mailedResetToken(user.email);
      await requestPasswordReset({ db, mailer, rateLimits: noLimits }, user.email, { baseUrl: BASE_URL });
      const newer = await mailedResetToken(user.email);
      expect(newer).not.toBe(older);
      expect(await resetPassword(accountServices(db), newer, NEW_PASSWORD)).toMatchObject({ ok: true });
      expect(await resetPassword(accountServices(db), older, "ännu ett nytt lösenord")).toEqual({ ok: false, error: "invalid-or-expired-link" });
    });

    it("refuses made-up tokens", async () => {
      await signUpOrFail(db);
      expect(await resetPassword(accountServices(db), "A".repeat(43), NEW_PASSWORD)).toEqual({ ok: false, error: "invalid-or-expired-link" });
      expect(await resetPassword(accountServices(db), "../../etc", NEW_PASSWORD)).toEqual({ ok: false, error: "invalid-or-expired-link" });
    });
  });

  describe("invites", () => {
    it("are made by admins only and give the new account their role, once", async () => {
      const admin = await signUpOrFail(db);
      const member = await signUpOrFail(db, { email: "medlem@digg.example" });
      expect(await createInvite(db, member.user, { role: "editor" })).toEqual({ ok: false, error: "forbidden" });

      const invite = await createInvite(db, admin.user, { role: "editor", validDays: 3 }, { ip: "192.0.2.5" });
      if (!invite.ok) throw new Error(invite.error);
      expect(await readInvite(db, invite.token)).toMatchObject({ state: "valid", role: "editor" });

      const invited = await signUpOrFail(db, { email: "redaktor@digg.example", inviteToken: invite.token });
      expect(invited.role).toBe("editor");
      expect((await readSession(db, invited.token))?.role).toBe("editor");
      expect(await readInvite(db, invite.token)).toEqual({ state: "used" });

      const again = await signUp(accountServices(db), signUpInput({ email: "nummer2@digg.example", inviteToken: invite.token }));
      expect(again).toEqual({ ok: false, error: "invalid-or-expired-invite" });
      // The refused sign-up left no account behind.
      expect(await signIn(accountServices(db), { email: "nummer2@digg.example", password: GOOD_PASSWORD })).toMatchObject({ ok: false });

      const actions = (await listAudit(db, { limit: 20, offset: 0 })).entries.map((entry) => [entry.action, entry.actor?.id]);
      expect(actions).toContainEqual(["invite.created", admin.user.id]);
      expect(actions).toContainEqual(["invite.used", invited.user.id]);
    });

    it("expire after the days they were made for", async () => {
      const clock = manualClock();
      const admin = await signUpOrFail(db, {}, { now: clock.now });
      const invite = await createInvite(db, admin.user, { role: "host", validDays: 2 }, { now: clock.now });
      if (!invite.ok) throw new Error(invite.error);
      expect(invite.expiresAt).toEqual(new Date(clock.nowMs() + 2 * DAY_MS));

      clock.advance(2 * DAY_MS - MINUTE_MS);
      expect(await readInvite(db, invite.token, { now: clock.now })).toMatchObject({ state: "valid" });
      clock.advance(MINUTE_MS);
      expect(await readInvite(db, invite.token, { now: clock.now })).toEqual({ state: "expired" });
      expect(await signUp(accountServices(db), signUpInput({ email: "sen@digg.example", inviteToken: invite.token }), { now: clock.now })).toEqual({
        ok: false,
        error: "invalid-or-expired-invite",
      });
    });

    it("refuses unknown tokens and out-of-range input", async () => {
      const admin = await signUpOrFail(db);
      expect(await readInvite(db, "A".repeat(43))).toEqual({ state: "unknown" });
      expect(await readInvite(db, "nonsense")).toEqual({ state: "unknown" });
      expect(await createInvite(db, admin.user, { role: "owner" })).toMatchObject({ ok: false, error: "invalid-input" });
      expect(await createInvite(db, admin.user, { role: "member", validDays: 31 })).toMatchObject({ ok: false, error: "invalid-input" });
      expect(await createInvite(db, admin.user, { role: "member", validDays: 0 })).toMatchObject({ ok: false, error: "invalid-input" });
    });
  });

  describe("mail", () => {
    it("marks a message sent when the SMTP transport accepts it", async () => {
      const sent: unknown[] = [];
      const transport: MailTransport = {
        sendMail: async (message) => {
          sent.push(message);
        },
        close: () => {},
      };
      const clock = manualClock();
      const smtpMailer = createMailer({ db, log: logged.log, transport, from: "Samråd <noreply@samrad.example>", now: clock.now });
      const result = await smtpMailer.send({ to: "anna@prv.example", subject: "Hej", text: "Se https://samrad.example/x" });
      expect(result.delivered).toBe(true);
      expect(sent).toEqual([
        { from: "Samråd <noreply@samrad.example>", to: "anna@prv.example", subject: "Hej", text: "Se https://samrad.example/x" },
      ]);
      expect(await listOutboxMessages(db, { limit: 1 })).toMatchObject([{ id: result.outboxId, sent_at: clock.now() }]);
      expect(logged.lines).toEqual([]);
    });

    it("keeps a message unsent in the outbox and logs when SMTP fails, without throwing", async () => {
      const transport: MailTransport = {
        sendMail: async () => {
          throw new Error("connect ECONNREFUSED 127.0.0.1:25");
        },
        close: () => {},
      };
      const failing = createMailer({ db, log: logged.log, transport });
      expect(await failing.send({ to: "anna@prv.example", subject: "Hej", text: "Text" })).toMatchObject({ delivered: false });
      expect(await listOutboxMessages(db, { limit: 1 })).toMatchObject([{ to_address: "anna@prv.example", sent_at: null }]);
      expect(logged.lines).toMatchObject([{ level: "error" }]);
    });
  });
});
