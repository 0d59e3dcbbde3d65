import type { Transaction } from "kysely";
import { z } from "zod";
import { inTransaction, type DbExecutor } from "#db/executor";
import { isUuid } from "#db/repositories/documents";
import {
  countActiveMembersWithRole,
  findActiveMemberRole,
  findDefaultSpace,
  findMembership,
  lockSpace,
  upsertMembership,
} from "#db/repositories/memberships";
import {
  countUsers,
  findUserByEmail,
  findUserById,
  insertUser,
  searchUsers,
  setUserDeactivated,
  updatePasswordHash,
} from "#db/repositories/users";
import type { Database, SessionRow, UserRow } from "#db/schema";
import { recordAudit } from "./audit.server";
import { can, ROLES, type Role } from "./authorization.server";
import { acceptInvite, readInvite } from "./invites.server";
import type { AuthRateLimits, RateLimitResult } from "./rate-limit.server";
import {
  hashPassword,
  needsRehash,
  PASSWORD_MAX_LENGTH,
  passwordSchema,
  verifyAgainstDummyHash,
  verifyPassword,
} from "./passwords.server";
import {
  createSession,
  revokeAllSessions,
  revokeSession,
  toSessionUser,
  type ClockOption,
  type LiveSessions,
  type SessionUser,
} from "./sessions.server";

export const NAME_MAX_LENGTH = 100;
export const ORGANISATION_MAX_LENGTH = 150;
// The longest address SMTP can deliver to (RFC 5321 path limit minus the angle brackets).
export const EMAIL_MAX_LENGTH = 254;

/** Where a request comes from and when it happens; tests pass their own clock. */
export interface RequestContext extends ClockOption {
  ip?: string | null;
}

/**
 * What the account commands need from the server; routes pass `context.services`. A command that ends sessions or
 * changes what an account may do tells `liveSessions` itself, after the change is stored, and one that checks a
 * password counts the attempt against `rateLimits` itself, so no route can forget either.
 */
export interface AccountServices {
  db: DbExecutor;
  liveSessions: LiveSessions;
  rateLimits: AuthRateLimits;
}

/** Refused by the rate limits: how long until the next attempt is counted again. */
export type RateLimited = { ok: false; error: "rate-limited"; retryAfterSeconds: number };

export function rateLimited(result: RateLimitResult): RateLimited | null {
  return result.ok ? null : { ok: false, error: "rate-limited", retryAfterSeconds: result.retryAfterSeconds };
}

// ---- Field errors: codes the UI translates, one per field ----

export const FIELD_ERROR_CODES = ["required", "too-short", "too-long", "invalid-email", "must-accept", "invalid"] as const;
export type FieldErrorCode = (typeof FIELD_ERROR_CODES)[number];
export type FieldErrors<Field extends string = string> = Partial<Record<Field, FieldErrorCode>>;

/** The first problem of each field, as a code. Rules below carry their code as message; anything else is "invalid". */
export function toFieldErrors<Field extends string>(error: z.ZodError): FieldErrors<Field> {
  const errors: Record<string, FieldErrorCode> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "form");
    if (field in errors) continue;
    errors[field] = isFieldErrorCode(issue.message)
      ? issue.message
      : issue.code === "invalid_type" && issue.received === "undefined"
        ? "required"
        : "invalid";
  }
  return errors as FieldErrors<Field>;
}

function isFieldErrorCode(value: string): value is FieldErrorCode {
  return (FIELD_ERROR_CODES as readonly string[]).includes(value);
}

const nameSchema = z.string().trim().min(1, "required").max(NAME_MAX_LENGTH, "too-long");
const organisationSchema = z.string().trim().max(ORGANISATION_MAX_LENGTH, "too-long").default("");
const emailSchema = z
  .string()
  .trim()
  .min(1, "required")
  .max(EMAIL_MAX_LENGTH, "too-long")
  .email("invalid-email");

// ---- Sign-up ----

const signUpSchema = z.object({
  name: nameSchema,
  email: emailSchema,
  organisation: organisationSchema,
  password: passwordSchema,
  // Contributions are published under the contribution licence, so an account cannot exist without accepting it.
  acceptContributionLicence: z.literal(true, { errorMap: () => ({ message: "must-accept" }) }),
  // A form's empty hidden field means no invite.
  inviteToken: z
    .string()
    .optional()
    .transform((token) => (token ? token : undefined)),
});

export type SignUpField = "name" | "email" | "organisation" | "password" | "acceptContributionLicence";

export interface SignUpInput {
  name: string;
  email: string;
  organisation?: string;
  password: string;
  acceptContributionLicence: boolean;
  /** From an invite link: the account gets the invite's role. */
  inviteToken?: string;
}

export type SignedIn = { ok: true; user: SessionUser; role: Role | null; token: string; session: SessionRow };

export type SignUpResult =
  | (SignedIn & { role: Role })
  | { ok: false; error: "invalid-input"; fieldErrors: FieldErrors<SignUpField> }
  | { ok: false; error: "email-taken" }
  | { ok: false; error: "invalid-or-expired-invite" }
  | RateLimited;

/**
 * Creates an account and signs it in. The first account of an install becomes admin of the default space, one
 * made from an invite gets the invite's role, any other is a member. `previousToken` is the session cookie the
 * request came with, if any: it is revoked, so a sign-up never continues someone else's session.
 */
export async function signUp(
  { db, liveSessions, rateLimits }: AccountServices,
  input: SignUpInput,
  context: RequestContext & { previousToken?: string | null } = {},
): Promise<SignUpResult> {
  const limited = rateLimited(rateLimits.signUp(context.ip ?? ""));
  if (limited) return limited;
  const parsed = signUpSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, error: "invalid-input", fieldErrors: toFieldErrors<SignUpField>(parsed.error) };
  }
  const { name, email, organisation, password, inviteToken } = parsed.data;
  // Hashed before the transaction, so the space stays locked for as short a time as possible.
  const passwordHash = await hashPassword(password);
  const now = (context.now ?? currentTime)();

  let previousSession: string | null = null;
  const result = await inTransaction(db, async (trx): Promise<SignUpResult> => {
    const space = await findDefaultSpace(trx);
    // Serialises sign-ups: two first accounts racing cannot both become admin, nor two sign-ups share an invite.
    await lockSpace(trx, space.id);
    if (await findUserByEmail(trx, email)) return { ok: false, error: "email-taken" };

    const isFirstAccount = (await countUsers(trx)) === 0;
    let role: Role = isFirstAccount ? "admin" : "member";
    let inviteSpaceId: string | undefined;
    if (inviteToken !== undefined && !isFirstAccount) {
      const invite = await readInvite(trx, inviteToken, { now: () => now });
      if (invite.state !== "valid") return { ok: false, error: "invalid-or-expired-invite" };
      role = invite.role;
      inviteSpaceId = invite.spaceId;
    }

    const user = await insertUser(trx, {
      email,
      name,
      organisation,
      password_hash: passwordHash,
      created_at: now,
      updated_at: now,
      deactivated_at: null,
      contribution_licence_accepted_at: now,
    });
    if (inviteToken !== undefined && inviteSpaceId !== undefined) {
      const accepted = await acceptInvite(trx, inviteToken, user.id, { now: () => now, ip: context.ip });
      // Checked above under the space lock, so only a bug gets here; throwing rolls the account back.
      if (!accepted.ok) throw new Error("An invite checked as valid could not be used");
    }
    if (inviteSpaceId !== undefined && inviteSpaceId !== space.id) {
      await upsertMembership(trx, user.id, inviteSpaceId, role);
      await upsertMembership(trx, user.id, space.id, "member");
    } else {
      await upsertMembership(trx, user.id, space.id, role);
    }
    await recordAudit(trx, {
      actorUserId: user.id,
      action: "account.created",
      subject: user.id,
      details: { via: "sign-up", role, invited: inviteSpaceId !== undefined },
      ip: context.ip,
    });

    if (context.previousToken) previousSession = await revokeSession(trx, context.previousToken, { now: () => now });
    const { token, session } = await createSession(trx, user.id, { now: () => now });
    return { ok: true, user: toSessionUser(user), role, token, session };
  });
  if (result.ok && previousSession !== null) liveSessions.ended([previousSession]);
  return result;
}

// ---- Sign-in ----

// Bounds the work one request can ask of the hash function; a code point takes at most two UTF-16 units.
const enteredPasswordSchema = z.string().max(PASSWORD_MAX_LENGTH * 2);

const signInSchema = z.object({
  email: z.string().max(EMAIL_MAX_LENGTH),
  password: enteredPasswordSchema,
});

export type SignInResult = SignedIn | { ok: false; error: "invalid-credentials" | "account-deactivated" } | RateLimited;

/**
 * Checks the password and starts a new session. An unknown email and a wrong password give the same answer in about
 * the same time. A deactivated account is named as such only to someone who knows its password.
 * `previousToken` (the cookie the request came with) is revoked: every sign-in gets a fresh session.
 * Each attempt counts against the sign-in limits of the client's address and the account; a success forgives the
 * account's earlier typos.
 */
export async function signIn(
  { db, liveSessions, rateLimits }: AccountServices,
  input: { email: string; password: string },
  context: RequestContext & { previousToken?: string | null } = {},
): Promise<SignInResult> {
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: "invalid-credentials" };
  const { email, password } = parsed.data;
  const limited = rateLimited(rateLimits.signIn(context.ip ?? "", email));
  if (limited) return limited;

  const user = await findUserByEmail(db, email);
  if (!user) {
    await verifyAgainstDummyHash(password);
    return { ok: false, error: "invalid-credentials" };
  }
  if (!(await verifyPassword(user.password_hash, password))) return { ok: false, error: "invalid-credentials" };
  if (user.deactivated_at !== null) return { ok: false, error: "account-deactivated" };

  const now = (context.now ?? currentTime)();
  // Moves hashes made under older parameters to today's, while the plain password is at hand.
  if (needsRehash(user.password_hash)) await updatePasswordHash(db, user.id, await hashPassword(password), now);

  let previousSession: string | null = null;
  const result = await inTransaction(db, async (trx): Promise<SignInResult> => {
    if (context.previousToken) previousSession = await revokeSession(trx, context.previousToken, { now: () => now });
    const { token, session } = await createSession(trx, user.id, { now: () => now });
    const space = await findDefaultSpace(trx);
    const role = (await findActiveMemberRole(trx, user.id, space.id)) ?? null;
    await recordAudit(trx, { actorUserId: user.id, action: "account.signed-in", subject: user.id, ip: context.ip });
    return { ok: true, user: toSessionUser(user), role, token, session };
  });
  if (previousSession !== null) liveSessions.ended([previousSession]);
  rateLimits.signInSucceeded(context.ip ?? "", email);
  return result;
}

// ---- Sign-out ----

/** Ends the session of the cookie's token, and its open sockets; a malformed token ends nothing. */
export async function signOut({ db, liveSessions }: Pick<AccountServices, "db" | "liveSessions">, token: string, context: ClockOption = {}): Promise<void> {
  const sessionId = await revokeSession(db, token, context);
  if (sessionId !== null) liveSessions.ended([sessionId]);
}

// ---- Password change ----

const changePasswordSchema = z.object({
  currentPassword: enteredPasswordSchema,
  newPassword: passwordSchema,
});

export type ChangePasswordResult =
  | { ok: true }
  | { ok: false; error: "invalid-input"; fieldErrors: FieldErrors<"newPassword"> }
  | { ok: false; error: "wrong-password" | "not-found" }
  | RateLimited;

/**
 * Changes the user's password after checking the current one. Every other session of the user ends, so someone who
 * knew the old password is signed out; `keepSessionId` is the session the change was made from. Guessing the current
 * password from a session counts against the same limits as guessing it at sign-in.
 */
export async function changePassword(
  { db, liveSessions, rateLimits }: AccountServices,
  userId: string,
  input: { currentPassword: string; newPassword: string },
  context: RequestContext & { keepSessionId?: string } = {},
): Promise<ChangePasswordResult> {
  const parsed = changePasswordSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, error: "invalid-input", fieldErrors: toFieldErrors<"newPassword">(parsed.error) };
  }
  const user = await findUserById(db, userId);
  if (!user || user.deactivated_at !== null) return { ok: false, error: "not-found" };
  const limited = rateLimited(rateLimits.signIn(context.ip ?? "", user.email));
  if (limited) return limited;
  if (!(await verifyPassword(user.password_hash, parsed.data.currentPassword))) {
    return { ok: false, error: "wrong-password" };
  }
  const passwordHash = await hashPassword(parsed.data.newPassword);
  const now = (context.now ?? currentTime)();
  const ended = await inTransaction(db, async (trx) => {
    await updatePasswordHash(trx, user.id, passwordHash, now);
    const revoked = await revokeAllSessions(trx, user.id, { now: () => now, exceptSessionId: context.keepSessionId });
    await recordAudit(trx, { actorUserId: user.id, action: "password.changed", subject: user.id, ip: context.ip });
    return revoked;
  });
  liveSessions.ended(ended);
  rateLimits.signInSucceeded(context.ip ?? "", user.email);
  return { ok: true };
}

// ---- Administration ----

export interface AccountSummary {
  id: string;
  email: string;
  name: string;
  organisation: string;
  /** Role in the default space; null for a user who is not a member of it. */
  role: Role | null;
  createdAt: Date;
  deactivatedAt: Date | null;
}

export const LIST_ACCOUNTS_MAX_LIMIT = 200;

/**
 * Accounts by name, with their role in the default space; `search` matches name, email or organisation.
 * Callers check can(role, "manage-accounts") first: this lists everyone's email.
 */
export async function listAccounts(
  db: DbExecutor,
  options: { search?: string; limit: number; offset: number },
): Promise<{ accounts: AccountSummary[]; total: number }> {
  const space = await findDefaultSpace(db);
  const search = options.search?.trim();
  const { users, total } = await searchUsers(db, {
    spaceId: space.id,
    search: search ? search : undefined,
    limit: Math.min(Math.max(1, Math.trunc(options.limit)), LIST_ACCOUNTS_MAX_LIMIT),
    offset: Math.max(0, Math.trunc(options.offset)),
  });
  return {
    total,
    accounts: users.map((user) => ({
      id: user.id,
      email: user.email,
      name: user.name,
      organisation: user.organisation,
      role: user.role,
      createdAt: user.created_at,
      deactivatedAt: user.deactivated_at,
    })),
  };
}

export type AdminActionResult = { ok: true } | { ok: false; error: "forbidden" | "not-found" | "last-admin" | "invalid-input" };

/**
 * Gives the user the role in the default space; admins only. The last active admin cannot be demoted (also not by
 * themselves), so an install always has someone who can manage accounts.
 */
export async function changeRole(
  { db, liveSessions }: Pick<AccountServices, "db" | "liveSessions">,
  actor: { id: string },
  userId: string,
  role: string,
  context: RequestContext = {},
): Promise<AdminActionResult> {
  const newRole = z.enum(ROLES).safeParse(role);
  if (!newRole.success) return { ok: false, error: "invalid-input" };

  const result = await inTransaction(db, async (trx): Promise<AdminActionResult> => {
    const space = await findDefaultSpace(trx);
    // Serialises changes to the space's admins: two admins demoting each other cannot leave none.
    await lockSpace(trx, space.id);
    if (!(await actorMayManageAccounts(trx, actor.id, space.id))) return { ok: false, error: "forbidden" };
    const user = await findUserById(trx, userId);
    if (!user) return { ok: false, error: "not-found" };

    const previousRole = (await findMembership(trx, user.id, space.id))?.role ?? null;
    if (previousRole === newRole.data) return { ok: true };
    if (previousRole === "admin" && (await isLastActiveAdmin(trx, user, space.id))) {
      return { ok: false, error: "last-admin" };
    }
    await upsertMembership(trx, user.id, space.id, newRole.data);
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: "role.changed",
      subject: user.id,
      details: { from: previousRole, to: newRole.data },
      ip: context.ip,
    });
    return { ok: true };
  });
  // Open editing sockets follow the new role at once, without waiting for a reload.
  if (result.ok) liveSessions.rightsChanged(userId, { readOnly: !can(newRole.data, "edit-draft") });
  return result;
}

/** Blocks the account and ends all its sessions and sockets; admins only, and never the last active admin. */
export async function deactivateAccount(
  { db, liveSessions }: Pick<AccountServices, "db" | "liveSessions">,
  actor: { id: string },
  userId: string,
  context: RequestContext = {},
): Promise<AdminActionResult> {
  const now = (context.now ?? currentTime)();
  const result = await inTransaction(db, async (trx): Promise<AdminActionResult> => {
    const space = await findDefaultSpace(trx);
    await lockSpace(trx, space.id);
    if (!(await actorMayManageAccounts(trx, actor.id, space.id))) return { ok: false, error: "forbidden" };
    const user = await findUserById(trx, userId);
    if (!user) return { ok: false, error: "not-found" };
    if (user.deactivated_at !== null) return { ok: true };

    const role = (await findMembership(trx, user.id, space.id))?.role;
    if (role === "admin" && (await isLastActiveAdmin(trx, user, space.id))) return { ok: false, error: "last-admin" };
    await setUserDeactivated(trx, user.id, now, now);
    const revokedSessions = await revokeAllSessions(trx, user.id, { now: () => now });
    await recordAudit(trx, {
      actorUserId: actor.id,
      action: "account.deactivated",
      subject: user.id,
      details: { revokedSessions: revokedSessions.length },
      ip: context.ip,
    });
    return { ok: true };
  });
  // The account, not only its sessions: whatever it has open goes, however it was opened.
  if (result.ok) liveSessions.rightsChanged(userId, "revoked");
  return result;
}

/** Lets a deactivated account sign in again, with the role it had; admins only. */
export async function reactivateAccount(
  { db }: Pick<AccountServices, "db">,
  actor: { id: string },
  userId: string,
  context: RequestContext = {},
): Promise<AdminActionResult> {
  const now = (context.now ?? currentTime)();
  return inTransaction(db, async (trx): Promise<AdminActionResult> => {
    const space = await findDefaultSpace(trx);
    if (!(await actorMayManageAccounts(trx, actor.id, space.id))) return { ok: false, error: "forbidden" };
    const user = await findUserById(trx, userId);
    if (!user) return { ok: false, error: "not-found" };
    if (user.deactivated_at === null) return { ok: true };
    await setUserDeactivated(trx, user.id, null, now);
    await recordAudit(trx, { actorUserId: actor.id, action: "account.reactivated", subject: user.id, ip: context.ip });
    return { ok: true };
  });
}

/** "Sign out everywhere": ends every session of the user, the current one included, and their sockets; how many. */
export async function signOutEverywhere(
  { db, liveSessions }: Pick<AccountServices, "db" | "liveSessions">,
  userId: string,
  context: RequestContext = {},
): Promise<number> {
  const revoked = await inTransaction(db, async (trx) => {
    const ids = await revokeAllSessions(trx, userId, { now: context.now });
    await recordAudit(trx, {
      actorUserId: userId,
      action: "sessions.revoked-all",
      subject: userId,
      details: { revoked: ids.length },
      ip: context.ip,
    });
    return ids;
  });
  liveSessions.ended(revoked);
  return revoked.length;
}

async function actorMayManageAccounts(trx: Transaction<Database>, actorId: string, spaceId: string): Promise<boolean> {
  if (!isUuid(actorId)) return false;
  // Read now rather than trusted from the session: a demotion or deactivation takes effect on the next action.
  return can((await findActiveMemberRole(trx, actorId, spaceId)) ?? null, "manage-accounts");
}

async function isLastActiveAdmin(trx: Transaction<Database>, user: UserRow, spaceId: string): Promise<boolean> {
  if (user.deactivated_at !== null) return false;
  return (await countActiveMembersWithRole(trx, spaceId, "admin")) <= 1;
}

// ---- Command line ----

const cliUserSchema = z.object({
  email: emailSchema,
  name: nameSchema,
  organisation: organisationSchema,
  password: passwordSchema,
  role: z.enum(ROLES, { errorMap: () => ({ message: "invalid" }) }),
});

export type CliUserField = "email" | "name" | "organisation" | "password" | "role";

export type CreateUserFromCliResult =
  | { ok: true; user: SessionUser; role: Role }
  | { ok: false; error: "invalid-input"; fieldErrors: FieldErrors<CliUserField> }
  | { ok: false; error: "email-taken" };

/**
 * An account made by the operator (`npm run user -- create`), e.g. the first admin of a server that should not
 * be open for sign-up. The person has not accepted the contribution licence yet; the UI asks before they contribute.
 */
export async function createUserFromCli(
  db: DbExecutor,
  input: { email: string; name: string; organisation?: string; password: string; role: string },
  context: ClockOption = {},
): Promise<CreateUserFromCliResult> {
  const parsed = cliUserSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, error: "invalid-input", fieldErrors: toFieldErrors<CliUserField>(parsed.error) };
  }
  const { email, name, organisation, password, role } = parsed.data;
  const passwordHash = await hashPassword(password);
  const now = (context.now ?? currentTime)();

  return inTransaction(db, async (trx): Promise<CreateUserFromCliResult> => {
    const space = await findDefaultSpace(trx);
    await lockSpace(trx, space.id);
    if (await findUserByEmail(trx, email)) return { ok: false, error: "email-taken" };
    const user = await insertUser(trx, {
      email,
      name,
      organisation,
      password_hash: passwordHash,
      created_at: now,
      updated_at: now,
      deactivated_at: null,
      contribution_licence_accepted_at: null,
    });
    await upsertMembership(trx, user.id, space.id, role);
    await recordAudit(trx, {
      actorUserId: null,
      action: "account.created",
      subject: user.id,
      details: { via: "command-line", role },
    });
    return { ok: true, user: toSessionUser(user), role };
  });
}


function currentTime(): Date {
  return new Date();
}
