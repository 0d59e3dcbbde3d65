import { z } from "zod";
import { inTransaction, type DbExecutor } from "#db/executor";
import { upsertMembership } from "#db/repositories/memberships";
import { recordAudit } from "#app/models/audit.server";
import { ROLES, type Role } from "#app/models/authorization.server";
import { hashPassword, passwordSchema } from "#app/models/passwords.server";
import { toSessionUser, type ClockOption, type SessionUser } from "#app/models/sessions.server";
import { currentTime, emailSchema, nameSchema, organisationSchema, toFieldErrors, type FieldErrors } from "./fields.server";
import { insertAccount, reserveAccount } from "./new-account.server";

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
    const space = await reserveAccount(trx, email);
    if (!space) return { ok: false, error: "email-taken" };
    const user = await insertAccount(trx, { email, name, organisation, passwordHash }, now, false);
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
