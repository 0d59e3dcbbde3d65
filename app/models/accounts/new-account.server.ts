import type { Transaction } from "kysely";
import type { Database, SpaceRow, UserRow } from "#db/schema";
import { findDefaultSpace, lockSpace } from "#db/repositories/memberships";
import { findUserByEmail, insertUser } from "#db/repositories/users";

/* What every way of making an account shares (sign-up, invites, the operator's command line). */

export interface NewAccount {
  email: string;
  name: string;
  organisation: string;
  passwordHash: string;
}

/**
 * Locks the default space for the rest of the transaction, so account creations happen one at a time (two first
 * accounts cannot both become admin, two sign-ups cannot share an invite or an address), and checks that the
 * address is free. Null: it is taken.
 */
export async function reserveAccount(trx: Transaction<Database>, email: string): Promise<SpaceRow | null> {
  const space = await findDefaultSpace(trx);
  await lockSpace(trx, space.id);
  return (await findUserByEmail(trx, email)) ? null : space;
}

/** `licenceAccepted`: whether the person accepted the contribution licence as the account was made. */
export function insertAccount(trx: Transaction<Database>, account: NewAccount, now: Date, licenceAccepted: boolean): Promise<UserRow> {
  return insertUser(trx, {
    email: account.email,
    name: account.name,
    organisation: account.organisation,
    password_hash: account.passwordHash,
    created_at: now,
    updated_at: now,
    deactivated_at: null,
    contribution_licence_accepted_at: licenceAccepted ? now : null,
  });
}
