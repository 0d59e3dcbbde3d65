import type { DbExecutor } from "#db/executor";
import { createHash, randomBytes } from "node:crypto";
import { DEFAULT_SPACE_SLUG } from "#db/repositories/memberships";
import {
  findSessionWithUser,
  insertSession,
  revokeSessionById,
  revokeSessionsOfUser,
  touchSession,
} from "#db/repositories/sessions";
import type { SessionRow, UserRow } from "#db/schema";
import type { Role } from "./authorization.server";

export const SESSION_COOKIE_NAME = "samrad_session";
/** A session nobody used for this long ends. */
export const SESSION_IDLE_DAYS = 14;
/** A session ends this long after sign-in however much it is used. */
export const SESSION_ABSOLUTE_DAYS = 90;

const DAY_MS = 24 * 60 * 60 * 1000;
// Writing last_seen_at on every request would turn each page view into a write; a minute is precise enough for idling.
const TOUCH_INTERVAL_MS = 60_000;
const TOKEN_BYTES = 32;
// 32 bytes in base64url without padding.
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface ClockOption {
  /** The current time; tests pass a clock they control. */
  now?: () => Date;
}

/** A fresh random token for a cookie or a link, and the hash under which the database knows it. */
export function generateSecretToken(): { token: string; tokenHash: string } {
  const token = randomBytes(TOKEN_BYTES).toString("base64url");
  return { token, tokenHash: hashSecretToken(token) };
}

/**
 * SHA-256 (hex) of a session, reset or invite token. The database holds only this, so a leaked backup or a read of
 * the tables does not hand out working cookies or links. Tokens are 256 random bits, so no salt or slow hash is needed.
 */
export function hashSecretToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Whether the text could be a token this module made; anything else is refused before touching the database. */
export function isWellFormedSecretToken(token: string): boolean {
  return TOKEN_PATTERN.test(token);
}

/** What the rest of the app sees of a signed-in user: never the password hash. */
export interface SessionUser {
  id: string;
  email: string;
  name: string;
  organisation: string;
  /** null until they accept the contribution licence; accounts made on the command line start without it. */
  contributionLicenceAcceptedAt: Date | null;
}

export function toSessionUser(row: UserRow): SessionUser {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    organisation: row.organisation,
    contributionLicenceAcceptedAt: row.contribution_licence_accepted_at,
  };
}

/**
 * What lives on a session besides its row: the collaboration sockets opened with its cookie. The commands that end
 * sessions or change an account's rights tell it once the change is stored, so that no open socket outlives them.
 */
export interface LiveSessions {
  /** These sessions ended: their sockets close at once. */
  ended(sessionIds: readonly string[]): void;
  /** The account's rights changed: its sockets follow from their next message on; "revoked" closes them. */
  rightsChanged(userId: string, rights: { readOnly: boolean } | "revoked"): void;
}

export interface CurrentSession {
  user: SessionUser;
  /** Role in the default space; null for a user who is not a member of it, who then may only read. */
  role: Role | null;
  session: SessionRow;
}

export async function createSession(
  db: DbExecutor,
  userId: string,
  options: ClockOption = {},
): Promise<{ token: string; session: SessionRow }> {
  const createdAt = (options.now ?? currentTime)();
  const { token, tokenHash } = generateSecretToken();
  const session = await insertSession(db, {
    id: tokenHash,
    userId,
    createdAt,
    expiresAt: new Date(createdAt.getTime() + SESSION_ABSOLUTE_DAYS * DAY_MS),
  });
  return { token, session };
}

/**
 * The signed-in user behind a cookie's token, or null when the token is unknown, revoked, past its absolute end,
 * idle for longer than SESSION_IDLE_DAYS, or its user is deactivated.
 */
export async function readSession(db: DbExecutor, token: string, options: ClockOption = {}): Promise<CurrentSession | null> {
  if (!isWellFormedSecretToken(token)) return null;
  const found = await findSessionWithUser(db, hashSecretToken(token), DEFAULT_SPACE_SLUG);
  if (!found) return null;

  const now = (options.now ?? currentTime)();
  const { session, user, role } = found;
  if (session.revoked_at !== null) return null;
  if (sessionEndsAt(session).getTime() <= now.getTime()) return null;
  if (user.deactivated_at !== null) return null;

  if (now.getTime() - session.last_seen_at.getTime() >= TOUCH_INTERVAL_MS) {
    await touchSession(db, session.id, now);
    session.last_seen_at = now;
  }
  return { user: toSessionUser(user), role, session };
}

/**
 * When the session ends unless it is used again: at its absolute end, or SESSION_IDLE_DAYS after it was last seen,
 * whichever comes first. Each use moves the second (see readSession).
 */
export function sessionEndsAt(session: Pick<SessionRow, "expires_at" | "last_seen_at">): Date {
  return new Date(Math.min(session.expires_at.getTime(), session.last_seen_at.getTime() + SESSION_IDLE_DAYS * DAY_MS));
}

/**
 * Ends the session the token belongs to (sign-out). Returns the session's id, whether or not it was still live, so
 * that whatever it holds can be let go of; null for a malformed token.
 */
export async function revokeSession(db: DbExecutor, token: string, options: ClockOption = {}): Promise<string | null> {
  if (!isWellFormedSecretToken(token)) return null;
  const sessionId = hashSecretToken(token);
  await revokeSessionById(db, sessionId, (options.now ?? currentTime)());
  return sessionId;
}

/**
 * Ends every session of the user ("sign out everywhere", password change or reset, deactivation).
 * `exceptSessionId` keeps the one the user is acting from. Returns the ids of the sessions it ended.
 */
export async function revokeAllSessions(
  db: DbExecutor,
  userId: string,
  options: ClockOption & { exceptSessionId?: string } = {},
): Promise<string[]> {
  return revokeSessionsOfUser(db, userId, (options.now ?? currentTime)(), options.exceptSessionId);
}

/** Set-Cookie value carrying a new session's token. */
export function sessionCookie(token: string, options: { secure: boolean }): string {
  // Max-Age matches the absolute lifetime; the server ends idle sessions itself.
  return cookieAttributes(`${SESSION_COOKIE_NAME}=${token}`, SESSION_ABSOLUTE_DAYS * 24 * 60 * 60, options.secure);
}

/** Set-Cookie value that removes the session cookie (sign-out, or a cookie the server no longer accepts). */
export function clearSessionCookie(options: { secure: boolean }): string {
  return cookieAttributes(`${SESSION_COOKIE_NAME}=`, 0, options.secure);
}

function cookieAttributes(nameAndValue: string, maxAgeSeconds: number, secure: boolean): string {
  // Lax rather than Strict: following a link to Samråd from a mail or another site should arrive signed in.
  const attributes = [nameAndValue, "Path=/", `Max-Age=${maxAgeSeconds}`, "HttpOnly", "SameSite=Lax"];
  if (secure) attributes.push("Secure");
  return attributes.join("; ");
}

/** The session token in a Cookie request header, or null when there is none that could be valid. */
export function parseSessionCookie(cookieHeader: string | null | undefined): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(";")) {
    const separator = part.indexOf("=");
    if (separator === -1) continue;
    if (part.slice(0, separator).trim() !== SESSION_COOKIE_NAME) continue;
    const value = part.slice(separator + 1).trim();
    // A stale or forged duplicate (another path or domain) may come first; the next one may still be valid.
    if (isWellFormedSecretToken(value)) return value;
  }
  return null;
}

function currentTime(): Date {
  return new Date();
}
