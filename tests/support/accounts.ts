import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "#db/schema";
import { createUserFromCli } from "#app/models/accounts/cli.server";
import type { Role } from "#app/models/authorization.server";
import { createSession, readSession, SESSION_COOKIE_NAME, type CurrentSession } from "#app/models/sessions.server";

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

/** A new account with the role, as the domain functions see a signed-in person. */
export async function sessionAs(db: Kysely<Database>, role: Role, name?: string): Promise<CurrentSession> {
  const { cookie } = await signedInAs(db, role, name);
  const session = await readSession(db, cookie.slice(cookie.indexOf("=") + 1));
  if (!session) throw new Error("the test session could not be read back");
  return session;
}
