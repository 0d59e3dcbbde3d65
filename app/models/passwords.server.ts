import { hash, parseOptions, verify, type Algorithm, type Options } from "@node-rs/argon2";
import { randomBytes } from "node:crypto";
import { z } from "zod";

export const PASSWORD_MIN_LENGTH = 10;
// Long enough for any passphrase or generated password, short enough that hashing it costs nothing extra.
export const PASSWORD_MAX_LENGTH = 200;

/** Password policy: length only (NIST SP 800-63B), counted in characters as people see them. */
export const passwordSchema = z
  .string()
  .refine((password) => characterCount(password) >= PASSWORD_MIN_LENGTH, { message: "too-short" })
  .refine((password) => characterCount(password) <= PASSWORD_MAX_LENGTH, { message: "too-long" });

function characterCount(text: string): number {
  // Code points rather than UTF-16 units, so "åäö" or an emoji counts as what it looks like.
  return [...text].length;
}

// The package's Algorithm is a const enum, which isolatedModules cannot read; 2 is its Argon2id member.
const ARGON2ID: Algorithm = 2;

/** OWASP Password Storage Cheat Sheet, first argon2id option: 19 MiB, 2 passes, 1 lane. */
const HASH_OPTIONS = {
  algorithm: ARGON2ID,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} satisfies Options;

export async function hashPassword(password: string): Promise<string> {
  return hash(password, HASH_OPTIONS);
}

/** false for a wrong password and for a hash that cannot be read, never an exception. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** True when the hash was made with other parameters than today's, so a successful sign-in should store a new one. */
export function needsRehash(passwordHash: string): boolean {
  try {
    const used = parseOptions(passwordHash);
    return (
      used.algorithm !== HASH_OPTIONS.algorithm ||
      used.memoryCost !== HASH_OPTIONS.memoryCost ||
      used.timeCost !== HASH_OPTIONS.timeCost ||
      used.parallelism !== HASH_OPTIONS.parallelism
    );
  } catch {
    return true;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Verifies the password against a hash of nothing anyone knows, for a sign-in with an unknown email: the answer
 * then takes as long as for a known email with a wrong password, so timing does not tell which emails have accounts.
 */
export async function verifyAgainstDummyHash(password: string): Promise<void> {
  dummyHash ??= hashPassword(randomBytes(16).toString("hex"));
  await verifyPassword(await dummyHash, password);
}
