import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "#db/schema";
import { createUserFromCli } from "~/models/accounts.server";
import type { Role } from "~/models/authorization.server";
import { createSession, SESSION_COOKIE_NAME } from "~/models/sessions.server";

export const TEST_PASSWORD = "korrekt-hästbatteri-häftklammer";

/** A new account with the role, signed in: its Cookie header value and its id. */
export async function signedInAs(
  db: Kysely<Database>,
  role: Role,
  name = `Testperson ${role}`,
): Promise<{ cookie: string; userId: string; email: string }> {
  const email = `${role}-${randomBytes(4).toString("hex")}@example.test`;
  const created = await createUserFromCli(db, { email, name, organisation: "Testmyndigheten", password: TEST_PASSWORD, role });
  if (!created.ok) throw new Error(`could not create the test account: ${created.error}`);
  const { token } = await createSession(db, created.user.id);
  return { cookie: `${SESSION_COOKIE_NAME}=${token}`, userId: created.user.id, email };
}
