import type { DbExecutor } from "#db/executor";

export interface NewPasswordResetToken {
  tokenHash: string;
  userId: string;
  createdAt: Date;
  expiresAt: Date;
}

export async function insertPasswordResetToken(db: DbExecutor, token: NewPasswordResetToken): Promise<void> {
  await db
    .insertInto("password_reset_tokens")
    .values({
      token_hash: token.tokenHash,
      user_id: token.userId,
      created_at: token.createdAt,
      expires_at: token.expiresAt,
    })
    .execute();
}

/**
 * Marks the token used if it is unused and unexpired at `at`, and returns its user; undefined otherwise.
 * One statement, so two requests racing with the same link cannot both succeed.
 */
export async function consumePasswordResetToken(db: DbExecutor, tokenHash: string, at: Date): Promise<string | undefined> {
  const row = await db
    .updateTable("password_reset_tokens")
    .set({ used_at: at })
    .where("token_hash", "=", tokenHash)
    .where("used_at", "is", null)
    .where("expires_at", ">", at)
    .returning("user_id")
    .executeTakeFirst();
  return row?.user_id;
}

/** Marks every still unused token of the user as used, so older links die with the one that was followed. */
export async function useUpPasswordResetTokensOfUser(db: DbExecutor, userId: string, at: Date): Promise<void> {
  await db
    .updateTable("password_reset_tokens")
    .set({ used_at: at })
    .where("user_id", "=", userId)
    .where("used_at", "is", null)
    .execute();
}
