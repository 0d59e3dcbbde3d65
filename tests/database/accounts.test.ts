import { PGlite } from "@electric-sql/pglite";
import { Kysely, PGliteDialect, PostgresDialect, sql } from "kysely";
import { Migrator, type Migration } from "kysely/migration";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { changeRole, deactivateAccount, listAccounts, reactivateAccount } from "#app/models/accounts/admin.server";
import { createUserFromCli } from "#app/models/accounts/cli.server";
import { changePassword } from "#app/models/accounts/password-change.server";
import { signIn, signOut, signOutEverywhere } from "#app/models/accounts/sign-in.server";
import { signUp } from "#app/models/accounts/sign-up.server";
import { listAudit } from "#app/models/audit.server";
import { needsRehash } from "#app/models/passwords.server";
import {
  createSession,
  readSession,
  revokeAllSessions,
  revokeSession,
  SESSION_ABSOLUTE_DAYS,
  SESSION_IDLE_DAYS,
} from "#app/models/sessions.server";
import * as initialMigration from "#db/migrations/0001_initial";
import * as accountsMigration from "#db/migrations/0002_accounts";
import { insertDocument } from "#db/repositories/documents";
import { DEFAULT_SPACE_SLUG, findDefaultSpace, findMembership } from "#db/repositories/memberships";
import { findUserByEmail } from "#db/repositories/users";
import type { Database } from "#db/schema";
import { createScratchPostgresDatabase, createTestDatabase, testDatabaseKinds, type TestDatabase } from "#tests/support/database";
import { createAuthRateLimits } from "#app/models/rate-limit.server";
import { DAY_MS, manualClock, MINUTE_MS } from "#tests/support/clock";
import { accountServices, GOOD_PASSWORD, noSockets, recordingLiveSessions, signUpInput, signUpOrFail } from "./accounts-support";

describe.each(testDatabaseKinds())("accounts on %s", (kind) => {
  let database: TestDatabase;
  let db: Kysely<Database>;

  beforeEach(async () => {
    database = await createTestDatabase(kind);
    db = database.db;
  });

  afterEach(async () => {
    await database.close();
  });

  describe("sign-up", () => {
    it("makes the first account admin of the default space and later ones members", async () => {
      const first = await signUpOrFail(db, { email: "forsta@prv.example" }, { ip: "192.0.2.1" });
      const second = await signUpOrFail(db, { email: "andra@digg.example" });

      expect(first.role).toBe("admin");
      expect(second.role).toBe("member");
      const space = await findDefaultSpace(db);
      expect((await findMembership(db, first.user.id, space.id))?.role).toBe("admin");
      expect((await findMembership(db, second.user.id, space.id))?.role).toBe("member");

      const { entries } = await listAudit(db, { limit: 10, offset: 0 });
      const created = entries.filter((entry) => entry.action === "account.created");
      expect(created.map((entry) => entry.subject)).toEqual([second.user.id, first.user.id]);
      expect(created[1]).toMatchObject({ ip: "192.0.2.1", details: { role: "admin", via: "sign-up" } });
    });

    it("signs the new account in and records that the contribution licence was accepted", async () => {
      const clock = manualClock();
      const result = await signUpOrFail(db, {}, { now: clock.now });
      const current = await readSession(db, result.token, { now: clock.now });
      expect(current?.user).toEqual(result.user);
      expect(current?.role).toBe("admin");
      expect(result.user.contributionLicenceAcceptedAt).toEqual(clock.now());
    });

    it("refuses an email that exists in another case or with spaces as email-taken", async () => {
      await signUpOrFail(db, { email: "Anna.Svensson@PRV.example" });
      const again = await signUp(accountServices(db), signUpInput({ email: "  anna.svensson@prv.EXAMPLE " }));
      expect(again).toEqual({ ok: false, error: "email-taken" });
      const { total } = await listAccounts(db, { limit: 10, offset: 0 });
      expect(total).toBe(1);
    });

    it("answers bad input with a code per field", async () => {
      const result = await signUp(accountServices(db), {
        name: "   ",
        email: "inte-en-adress",
        organisation: "x".repeat(151),
        password: "kort",
        acceptContributionLicence: false,
      });
      expect(result).toEqual({
        ok: false,
        error: "invalid-input",
        fieldErrors: {
          name: "required",
          email: "invalid-email",
          organisation: "too-long",
          password: "too-short",
          acceptContributionLicence: "must-accept",
        },
      });

      const tooLong = await signUp(accountServices(db), signUpInput({ name: "n".repeat(101), password: "p".repeat(201) }));
      expect(tooLong).toMatchObject({ fieldErrors: { name: "too-long", password: "too-long" } });
      // Ten characters as people count them, even where UTF-16 needs more units.
      expect(await signUp(accountServices(db), signUpInput({ password: "åäöåäöåäö😀" }))).toMatchObject({ ok: true });
      const { total } = await listAccounts(db, { limit: 10, offset: 0 });
      expect(total).toBe(1);
    });

    it("stores names with markup exactly as given; escaping is the renderer's job", async () => {
      const name = `<script>alert("hej")</script> & Ödmjuk`;
      const result = await signUpOrFail(db, { name, organisation: "<b>PRV</b>" });
      const stored = await findUserByEmail(db, "catharina@prv.example");
      expect(stored?.name).toBe(name);
      expect(stored?.organisation).toBe("<b>PRV</b>");
      expect(result.user.name).toBe(name);
    });

    it("stores an argon2id hash with the OWASP parameters, never the password", async () => {
      await signUpOrFail(db);
      const stored = await findUserByEmail(db, "catharina@prv.example");
      expect(stored?.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect(stored?.password_hash).not.toContain(GOOD_PASSWORD);
      expect(needsRehash(stored?.password_hash ?? "")).toBe(false);
    });

    it("revokes the session the request came with", async () => {
      const admin = await signUpOrFail(db);
      const second = await signUpOrFail(db, { email: "ny@digg.example" }, { previousToken: admin.token });
      expect(await readSession(db, admin.token)).toBeNull();
      expect(await readSession(db, second.token)).not.toBeNull();
    });
  });

  describe("sign-in", () => {
    it("gives the same answer for a wrong password and an unknown email", async () => {
      await signUpOrFail(db);
      const wrongPassword = await signIn(accountServices(db), { email: "catharina@prv.example", password: "fel lösenord här" });
      const unknownEmail = await signIn(accountServices(db), { email: "ingen@prv.example", password: GOOD_PASSWORD });
      const empty = await signIn(accountServices(db), { email: "", password: "" });
      expect(wrongPassword).toEqual({ ok: false, error: "invalid-credentials" });
      expect(unknownEmail).toEqual(wrongPassword);
      expect(empty).toEqual(wrongPassword);
    });

    it("signs in whatever the email's case and starts a session", async () => {
      const { user } = await signUpOrFail(db);
      const result = await signIn(accountServices(db), { email: " CATHARINA@prv.example", password: GOOD_PASSWORD }, { ip: "198.51.100.7" });
      if (!result.ok) throw new Error(result.error);
      expect(result.user).toEqual(user);
      expect(result.role).toBe("admin");
      expect((await readSession(db, result.token))?.user.id).toBe(user.id);
      const { entries } = await listAudit(db, { limit: 1, offset: 0 });
      expect(entries[0]).toMatchObject({ action: "account.signed-in", ip: "198.51.100.7", actor: { id: user.id } });
    });

    it("counts its own attempts: guesses run out, at sign-in and at a password change alike, and a success forgives them", async () => {
      const { user } = await signUpOrFail(db);
      const services = accountServices(db, noSockets, createAuthRateLimits());
      const guess = { email: user.email, password: "fel lösenord här" };
      const ip = { ip: "192.0.2.20" };
      for (let attempt = 0; attempt < 9; attempt += 1) expect(await signIn(services, guess, ip)).toMatchObject({ error: "invalid-credentials" });
      // A right password forgives the account's typos from this address.
      expect(await signIn(services, { ...guess, password: GOOD_PASSWORD }, ip)).toMatchObject({ ok: true });
      for (let attempt = 0; attempt < 10; attempt += 1) expect(await signIn(services, guess, ip)).toMatchObject({ error: "invalid-credentials" });
      // The limiter keeps real time, and a loaded machine takes seconds over these hashes: the wait has begun to run down.
      const limited = await signIn(services, { ...guess, password: GOOD_PASSWORD }, ip);
      if (limited.ok || limited.error !== "rate-limited") throw new Error(`Not rate-limited: ${JSON.stringify(limited)}`);
      expect(limited.retryAfterSeconds).toBeGreaterThan(14 * 60);
      expect(limited.retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
      expect(await changePassword(services, user.id, { currentPassword: GOOD_PASSWORD, newPassword: "ett nytt långt lösen" }, ip)).toMatchObject({
        error: "rate-limited",
      });
      // Another address is not held back by these guesses.
      // (The window's end lifting the limit is the rate limiter's own test, in tests/unit/accounts-rules.test.ts.)
      expect(await signIn(services, { ...guess, password: GOOD_PASSWORD }, { ip: "192.0.2.21" })).toMatchObject({ ok: true });
    });

    it("rotates: each sign-in is a new session and the request's old one is revoked", async () => {
      await signUpOrFail(db);
      const credentials = { email: "catharina@prv.example", password: GOOD_PASSWORD };
      const first = await signIn(accountServices(db), credentials);
      if (!first.ok) throw new Error(first.error);
      const { liveSessions, told } = recordingLiveSessions();
      const second = await signIn(accountServices(db, liveSessions), credentials, { previousToken: first.token });
      if (!second.ok) throw new Error(second.error);
      // Sockets opened on the replaced session are closed with it.
      expect(told).toEqual([{ ended: [first.session.id] }]);
      expect(second.token).not.toBe(first.token);
      expect(second.session.id).not.toBe(first.session.id);
      expect(await readSession(db, first.token)).toBeNull();
      expect(await readSession(db, second.token)).not.toBeNull();
    });

    it("refuses a deactivated account, but only says so to someone who knows the password", async () => {
      const admin = await signUpOrFail(db);
      const member = await signUpOrFail(db, { email: "medlem@digg.example" });
      expect(await deactivateAccount(accountServices(db), admin.user, member.user.id)).toEqual({ ok: true });

      expect(await signIn(accountServices(db), { email: "medlem@digg.example", password: GOOD_PASSWORD })).toEqual({
        ok: false,
        error: "account-deactivated",
      });
      expect(await signIn(accountServices(db), { email: "medlem@digg.example", password: "fel lösenord här" })).toEqual({
        ok: false,
        error: "invalid-credentials",
      });
    });
  });

  describe("sessions", () => {
    it("ends at the absolute lifetime however active", async () => {
      const clock = manualClock();
      const { user } = await signUpOrFail(db);
      const { token } = await createSession(db, user.id, { now: clock.now });
      let elapsedDays = 0;
      while (elapsedDays + 7 < SESSION_ABSOLUTE_DAYS) {
        clock.advance(7 * DAY_MS);
        elapsedDays += 7;
        expect(await readSession(db, token, { now: clock.now })).not.toBeNull();
      }
      clock.advance((SESSION_ABSOLUTE_DAYS - elapsedDays) * DAY_MS - MINUTE_MS);
      expect(await readSession(db, token, { now: clock.now })).not.toBeNull();
      clock.advance(MINUTE_MS);
      expect(await readSession(db, token, { now: clock.now })).toBeNull();
    });

    it("ends after SESSION_IDLE_DAYS without use, and use keeps it alive", async () => {
      const clock = manualClock();
      const { user } = await signUpOrFail(db);
      const { token } = await createSession(db, user.id, { now: clock.now });

      clock.advance(SESSION_IDLE_DAYS * DAY_MS - MINUTE_MS);
      const current = await readSession(db, token, { now: clock.now });
      expect(current?.session.last_seen_at).toEqual(clock.now());

      clock.advance(SESSION_IDLE_DAYS * DAY_MS - MINUTE_MS);
      expect(await readSession(db, token, { now: clock.now })).not.toBeNull();

      clock.advance(SESSION_IDLE_DAYS * DAY_MS);
      expect(await readSession(db, token, { now: clock.now })).toBeNull();
    });

    it("writes last_seen_at at most once a minute", async () => {
      const clock = manualClock();
      const { user } = await signUpOrFail(db);
      const { token, session } = await createSession(db, user.id, { now: clock.now });
      clock.advance(30_000);
      expect((await readSession(db, token, { now: clock.now }))?.session.last_seen_at).toEqual(session.created_at);
      clock.advance(30_000);
      expect((await readSession(db, token, { now: clock.now }))?.session.last_seen_at).toEqual(clock.now());
    });

    it("refuses unknown and malformed tokens", async () => {
      await signUpOrFail(db);
      expect(await readSession(db, "A".repeat(43))).toBeNull();
      expect(await readSession(db, "")).toBeNull();
      expect(await readSession(db, "'; drop table sessions; --")).toBeNull();
    });

    it("revokes one session, or all of a user's (sign out everywhere)", async () => {
      const { user, token: signUpToken, session: signUpSession } = await signUpOrFail(db);
      const laptop = await createSession(db, user.id);
      const phone = await createSession(db, user.id);
      const { liveSessions, told } = recordingLiveSessions();
      await signOut(accountServices(db, liveSessions), laptop.token);
      expect(await readSession(db, laptop.token)).toBeNull();
      expect(await readSession(db, phone.token)).not.toBeNull();
      expect(told).toEqual([{ ended: [laptop.session.id] }]);
      expect(await revokeSession(db, "not a token")).toBeNull();

      expect(await signOutEverywhere(accountServices(db, liveSessions), user.id)).toBe(2);
      expect(told[1]).toEqual({ ended: expect.arrayContaining([phone.session.id, signUpSession.id]) });
      expect(await readSession(db, phone.token)).toBeNull();
      expect(await readSession(db, signUpToken)).toBeNull();
      const { entries } = await listAudit(db, { limit: 1, offset: 0 });
      expect(entries[0]).toMatchObject({ action: "sessions.revoked-all", details: { revoked: 2 } });
    });

    it("can keep the current session when revoking the others", async () => {
      const { user, session, token } = await signUpOrFail(db);
      const other = await createSession(db, user.id);
      expect(await revokeAllSessions(db, user.id, { exceptSessionId: session.id })).toEqual([other.session.id]);
      expect(await readSession(db, token)).not.toBeNull();
      expect(await readSession(db, other.token)).toBeNull();
    });

    it("stores only the token's hash", async () => {
      const { token, session } = await signUpOrFail(db);
      const rows = await db.selectFrom("sessions").selectAll().execute();
      expect(rows.map((row) => row.id)).toEqual([session.id]);
      expect(session.id).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(rows)).not.toContain(token);
    });
  });

  describe("password change", () => {
    it("needs the current password and ends the other sessions", async () => {
      const { user, session, token } = await signUpOrFail(db);
      const other = await createSession(db, user.id);
      const { liveSessions, told } = recordingLiveSessions();

      expect(await changePassword(accountServices(db, liveSessions), user.id, { currentPassword: "fel lösenord här", newPassword: "ett nytt långt lösen" })).toEqual({
        ok: false,
        error: "wrong-password",
      });
      expect(await changePassword(accountServices(db), user.id, { currentPassword: GOOD_PASSWORD, newPassword: "kort" })).toEqual({
        ok: false,
        error: "invalid-input",
        fieldErrors: { newPassword: "too-short" },
      });
      expect(
        await changePassword(
          accountServices(db, liveSessions),
          user.id,
          { currentPassword: GOOD_PASSWORD, newPassword: "ett nytt långt lösen" },
          { keepSessionId: session.id },
        ),
      ).toEqual({ ok: true });
      // The other session's open sockets close; the one the change was made from keeps its own.
      expect(told).toEqual([{ ended: [other.session.id] }]);

      expect(await readSession(db, token)).not.toBeNull();
      expect(await readSession(db, other.token)).toBeNull();
      expect(await signIn(accountServices(db), { email: user.email, password: GOOD_PASSWORD })).toMatchObject({ ok: false });
      expect(await signIn(accountServices(db), { email: user.email, password: "ett nytt långt lösen" })).toMatchObject({ ok: true });
    });
  });

  describe("roles and administration", () => {
    it("lets only admins change roles, and records each change with from and to", async () => {
      const admin = await signUpOrFail(db);
      const member = await signUpOrFail(db, { email: "medlem@digg.example", name: "Medlem" });
      const other = await signUpOrFail(db, { email: "annan@digg.example", name: "Annan" });

      const { liveSessions, told } = recordingLiveSessions();
      expect(await changeRole(accountServices(db, liveSessions), member.user, other.user.id, "editor")).toEqual({ ok: false, error: "forbidden" });
      expect(await changeRole(accountServices(db, liveSessions), member.user, member.user.id, "admin")).toEqual({ ok: false, error: "forbidden" });
      expect(await changeRole(accountServices(db, liveSessions), { id: "not-a-uuid" }, other.user.id, "editor")).toEqual({ ok: false, error: "forbidden" });

      expect(await changeRole(accountServices(db, liveSessions), admin.user, other.user.id, "host", { ip: "192.0.2.9" })).toEqual({ ok: true });
      expect(await changeRole(accountServices(db, liveSessions), admin.user, other.user.id, "superuser")).toEqual({ ok: false, error: "invalid-input" });
      expect(await changeRole(accountServices(db, liveSessions), admin.user, "8f14e45f-ceea-467a-9f5e-2f8b2a3d0c11", "host")).toEqual({
        ok: false,
        error: "not-found",
      });
      expect(await changeRole(accountServices(db, liveSessions), admin.user, other.user.id, "editor", { ip: "192.0.2.10" })).toEqual({ ok: true });
      // Open sockets follow each change that happened, and only those: a host may not edit the draft, an editor may.
      expect(told).toEqual([
        { userId: other.user.id, rights: { readOnly: true } },
        { userId: other.user.id, rights: { readOnly: false } },
      ]);

      const session = await createSession(db, other.user.id);
      expect((await readSession(db, session.token))?.role).toBe("editor");

      const { entries } = await listAudit(db, { limit: 1, offset: 0 });
      expect(entries[0]).toMatchObject({
        action: "role.changed",
        subject: other.user.id,
        details: { from: "host", to: "editor" },
        ip: "192.0.2.10",
        actor: { id: admin.user.id, name: admin.user.name, email: admin.user.email },
      });
    });

    it("never demotes or deactivates the last active admin", async () => {
      const admin = await signUpOrFail(db);
      const second = await signUpOrFail(db, { email: "andra@digg.example" });

      expect(await changeRole(accountServices(db), admin.user, admin.user.id, "editor")).toEqual({ ok: false, error: "last-admin" });
      expect(await deactivateAccount(accountServices(db), admin.user, admin.user.id)).toEqual({ ok: false, error: "last-admin" });

      expect(await changeRole(accountServices(db), admin.user, second.user.id, "admin")).toEqual({ ok: true });
      // Two admins now: either may step down, but not both.
      expect(await changeRole(accountServices(db), second.user, admin.user.id, "member")).toEqual({ ok: true });
      expect(await changeRole(accountServices(db), second.user, second.user.id, "member")).toEqual({ ok: false, error: "last-admin" });
      // The demoted admin lost the right at once.
      expect(await changeRole(accountServices(db), admin.user, second.user.id, "member")).toEqual({ ok: false, error: "forbidden" });

      const { entries } = await listAudit(db, { limit: 20, offset: 0 });
      expect(entries.filter((entry) => entry.action === "role.changed").map((entry) => entry.details)).toEqual([
        { from: "admin", to: "member" },
        { from: "member", to: "admin" },
      ]);
    });

    it("deactivation ends the sessions, is recorded, and can be undone", async () => {
      const admin = await signUpOrFail(db);
      const member = await signUpOrFail(db, { email: "medlem@digg.example" });
      const { liveSessions, told } = recordingLiveSessions();
      expect(await deactivateAccount(accountServices(db, liveSessions), member.user, admin.user.id)).toEqual({ ok: false, error: "forbidden" });

      expect(await deactivateAccount(accountServices(db, liveSessions), admin.user, member.user.id, { ip: "192.0.2.3" })).toEqual({ ok: true });
      expect(told).toEqual([{ userId: member.user.id, rights: "revoked" }]);
      expect(await readSession(db, member.token)).toBeNull();
      // A deactivated admin's stolen session could not act either: readSession already refuses it.
      const { entries } = await listAudit(db, { limit: 1, offset: 0 });
      expect(entries[0]).toMatchObject({ action: "account.deactivated", subject: member.user.id, details: { revokedSessions: 1 } });

      expect(await reactivateAccount(accountServices(db), admin.user, member.user.id)).toEqual({ ok: true });
      expect(await signIn(accountServices(db), { email: "medlem@digg.example", password: GOOD_PASSWORD })).toMatchObject({ ok: true, role: "member" });
    });

    it("a deactivated admin can no longer manage accounts", async () => {
      const admin = await signUpOrFail(db);
      const second = await signUpOrFail(db, { email: "andra@digg.example" });
      await changeRole(accountServices(db), admin.user, second.user.id, "admin");
      expect(await deactivateAccount(accountServices(db), second.user, admin.user.id)).toEqual({ ok: true });
      expect(await changeRole(accountServices(db), admin.user, second.user.id, "member")).toEqual({ ok: false, error: "forbidden" });
      // Deactivated admins do not count: the remaining one is the last.
      expect(await changeRole(accountServices(db), second.user, second.user.id, "member")).toEqual({ ok: false, error: "last-admin" });
    });

    it("lists and searches accounts with their roles, matching % and _ literally", async () => {
      await signUpOrFail(db, { name: "Catharina Ekdahl", email: "catharina@prv.example", organisation: "PRV" });
      await signUpOrFail(db, { name: "Charlott Galant", email: "charlott@prv.example", organisation: "PRV" });
      await signUpOrFail(db, { name: "Åsa 100%_säker", email: "asa@digg.example", organisation: "DIGG" });

      const all = await listAccounts(db, { limit: 2, offset: 0 });
      expect(all.total).toBe(3);
      expect(all.accounts.map((account) => [account.name, account.role])).toEqual([
        ["Catharina Ekdahl", "admin"],
        ["Charlott Galant", "member"],
      ]);
      expect((await listAccounts(db, { limit: 2, offset: 2 })).accounts.map((account) => account.name)).toEqual([
        "Åsa 100%_säker",
      ]);

      const prv = await listAccounts(db, { search: "prv", limit: 10, offset: 0 });
      expect(prv.total).toBe(2);
      expect((await listAccounts(db, { search: "GALANT", limit: 10, offset: 0 })).accounts).toHaveLength(1);
      expect((await listAccounts(db, { search: "%", limit: 10, offset: 0 })).accounts.map((a) => a.email)).toEqual([
        "asa@digg.example",
      ]);
      expect((await listAccounts(db, { search: "0%_s", limit: 10, offset: 0 })).total).toBe(1);
      expect((await listAccounts(db, { search: "a_a", limit: 10, offset: 0 })).total).toBe(0);
    });
  });

  describe("accounts from the command line", () => {
    it("creates an account with the given role, without a licence acceptance", async () => {
      const result = await createUserFromCli(db, {
        email: "drift@myndighet.example",
        name: "Drift",
        password: GOOD_PASSWORD,
        role: "admin",
      });
      if (!result.ok) throw new Error(result.error);
      expect(result.role).toBe("admin");
      expect(result.user.contributionLicenceAcceptedAt).toBeNull();
      expect(await signIn(accountServices(db), { email: "drift@myndighet.example", password: GOOD_PASSWORD })).toMatchObject({
        ok: true,
        role: "admin",
      });
      // Not the first account any more, so a sign-up is a member.
      expect((await signUpOrFail(db)).role).toBe("member");

      const { entries } = await listAudit(db, { limit: 10, offset: 0 });
      expect(entries.at(-1)).toMatchObject({ action: "account.created", actor: null, details: { via: "command-line" } });
    });

    it("refuses a taken email, an unknown role and a short password", async () => {
      await signUpOrFail(db);
      const input = { email: "CATHARINA@prv.example", name: "X", password: GOOD_PASSWORD, role: "member" };
      expect(await createUserFromCli(db, input)).toEqual({ ok: false, error: "email-taken" });
      expect(await createUserFromCli(db, { ...input, email: "ny@prv.example", role: "root", password: "kort" })).toEqual({
        ok: false,
        error: "invalid-input",
        fieldErrors: { role: "invalid", password: "too-short" },
      });
    });
  });

  it("puts documents into the default space unless told otherwise", async () => {
    const space = await findDefaultSpace(db);
    expect(space).toMatchObject({ slug: DEFAULT_SPACE_SLUG, name: "Samråd" });
    const document = await insertDocument(db, { slug: "utkast", title: "Utkast", language: "sv" });
    expect(document.space_id).toBe(space.id);
  });
});

describe.each(testDatabaseKinds())("migration 0002 on %s", (kind) => {
  it("moves documents that existed before it into the default space", async () => {
    const { db, close } = await openEmptyDatabase(kind);
    try {
      const migrate = (migrations: Record<string, Migration>) =>
        new Migrator({ db, provider: { getMigrations: async () => migrations } }).migrateToLatest();
      expect((await migrate({ "0001_initial": initialMigration })).error).toBeUndefined();
      // Written as 0001 knew documents: without a space.
      await sql`insert into documents (slug, title, language) values ('gammalt', 'Gammalt utkast', 'sv')`.execute(db);

      const result = await migrate({ "0001_initial": initialMigration, "0002_accounts": accountsMigration });
      expect(result.error).toBeUndefined();
      const [document] = await db.selectFrom("documents").selectAll().execute();
      expect(document?.space_id).toBe((await findDefaultSpace(db)).id);
    } finally {
      await close();
    }
  });
});

/** A database no migration has run on. */
async function openEmptyDatabase(kind: TestDatabase["kind"]): Promise<{ db: Kysely<Database>; close(): Promise<void> }> {
  if (kind === "pglite") {
    const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite: new PGlite("memory://") }) });
    return { db, close: () => db.destroy() };
  }
  const scratch = await createScratchPostgresDatabase();
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: scratch.url }) }) });
  return {
    db,
    close: async () => {
      await db.destroy();
      await scratch.drop();
    },
  };
}
