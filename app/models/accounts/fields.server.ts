import { z } from "zod";
import type { DbExecutor } from "#db/executor";
import type { SessionRow } from "#db/schema";
import type { Role } from "#app/models/authorization.server";
import type { AuthRateLimits, RateLimitResult } from "#app/models/rate-limit.server";
import { PASSWORD_MAX_LENGTH } from "#app/models/passwords.server";
import type { ClockOption, LiveSessions, SessionUser } from "#app/models/sessions.server";

/* What the account commands share: their services, request context, field rules and error codes. */

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

/** Field errors: codes the UI translates, one per field. */
export const FIELD_ERROR_CODES = ["required", "too-short", "too-long", "invalid-email", "must-accept", "invalid", "control-characters"] as const;
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

export const nameSchema = z.string().trim().min(1, "required").max(NAME_MAX_LENGTH, "too-long");
export const organisationSchema = z.string().trim().max(ORGANISATION_MAX_LENGTH, "too-long").default("");
export const emailSchema = z
  .string()
  .trim()
  .min(1, "required")
  .max(EMAIL_MAX_LENGTH, "too-long")
  .email("invalid-email");

// Bounds the work one request can ask of the hash function; a code point takes at most two UTF-16 units.
export const enteredPasswordSchema = z.string().max(PASSWORD_MAX_LENGTH * 2);

export type SignedIn = { ok: true; user: SessionUser; role: Role | null; token: string; session: SessionRow };

export function currentTime(): Date {
  return new Date();
}
