import { z } from "zod";
import { COMMENT_MAX_LENGTH, POSITIONS, REASON_MAX_LENGTH } from "#app/comments/types";

/* The fields of the comment forms, as every command on threads reads them. */

// Browsers send line breaks in text areas as CRLF; counted as one character, as the counter shows them.
export const bodySchema = z
  .string()
  .transform((body) => body.replace(/\r\n?/g, "\n").trim())
  .pipe(z.string().min(1, "required").max(COMMENT_MAX_LENGTH, "too-long"));
export const reasonSchema = z.string().trim().min(1, "required").max(REASON_MAX_LENGTH, "too-long");
// Closing a thread always says publicly how it was handled: a rejection without a reason is refused.
export const responseSchema = z
  .string()
  .transform((text) => text.replace(/\r\n?/g, "\n").trim())
  .pipe(z.string().min(1, "required").max(COMMENT_MAX_LENGTH, "too-long"));
export const suggestionSchema = z
  .string()
  .transform((text) => text.replace(/\r\n?/g, "\n"))
  .pipe(z.string().max(COMMENT_MAX_LENGTH, "too-long"))
  .optional();
export const positionSchema = z
  .union([z.enum(POSITIONS), z.literal("")])
  .optional()
  .transform((position) => position || null);
export const checkboxSchema = z
  .literal("on")
  .optional()
  .transform((value) => value === "on");
export const offsetSchema = z.coerce.number().int().min(0).max(10_000_000);
export const idSchema = z.string().min(1).max(64);
