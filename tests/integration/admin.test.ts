import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedInAs, TEST_PASSWORD } from "#tests/support/accounts";
import { postForm } from "#tests/support/http";
import { startTestServer, type TestServer } from "#tests/support/server";

describe("administering accounts", () => {
  let server: TestServer;
  let adminCookie: string;

  beforeAll(async () => {
    server = await startTestServer();
    adminCookie = (await signedInAs(server.services.db, "admin", "Ada Admin")).cookie;
  });
  afterAll(() => server?.dispose());

  const post = (path: string, fields: Record<string, string>, cookie?: string) => postForm(server.url, path, fields, cookie);
  const signUpWith = (inviteToken: string, email: string) =>
    post("/sign-up", {
      name: "Inbjuden Person",
      email,
      organisation: "DIGG",
      password: TEST_PASSWORD,
      acceptContributionLicence: "on",
      inviteToken,
    });
  const pageAs = async (path: string, cookie: string) => (await fetch(`${server.url}${path}`, { headers: { Cookie: cookie } })).text();

  it("creates a single-use invite link that signs a person up straight into its role", async () => {
    const created = await post("/admin/accounts", { intent: "create-invite", role: "editor", validDays: "7" }, adminCookie);
    expect(created.status).toBe(200);
    const inviteUrl = /value="(http[^"]+\/sign-up\?invite=[^"]+)"/.exec(await created.text())?.[1];
    expect(inviteUrl).toBeTruthy();
    const token = new URL(inviteUrl?.replaceAll("&amp;", "&") ?? "").searchParams.get("invite") ?? "";

    expect(await (await fetch(`${server.url}/sign-up?invite=${encodeURIComponent(token)}`)).text()).toContain("Du är inbjuden som redaktör.");
    const first = await signUpWith(token, "inbjuden@example.test");
    expect(first.status).toBe(302);
    const cookie = (first.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const draft = await pageAs("/d/vagledning-oppna-licenser", cookie);
    expect(draft).toContain("Inloggad som Inbjuden Person");
    // Editors get no read-only note: the invite's role was applied.
    expect(draft).not.toContain("Bara redaktörer kan ändra texten");

    const second = await signUpWith(token, "en-annan@example.test");
    expect(second.status).toBe(400);
    expect(await second.text()).toContain("Inbjudan är ogiltig, redan använd eller har gått ut.");
  });

  it("refuses the admin pages to anyone but admins", async () => {
    const member = await signedInAs(server.services.db, "member");
    expect((await fetch(`${server.url}/admin/accounts`, { headers: { Cookie: member.cookie }, redirect: "manual" })).status).toBe(403);
    expect((await post("/admin/accounts", { intent: "create-invite", role: "admin", validDays: "7" }, member.cookie)).status).toBe(403);
    const visitor = await fetch(`${server.url}/admin/audit`, { redirect: "manual" });
    expect(visitor.status).toBe(302);
    expect(visitor.headers.get("location")).toBe("/sign-in?redirectTo=%2Fadmin%2Faudit");
  });

  it("deactivates an account: its sessions end and it cannot sign in; the audit log records it", async () => {
    const person = await signedInAs(server.services.db, "editor", "Stina Stängd");
    expect(await pageAs("/", person.cookie)).toContain("Inloggad som Stina Stängd");

    const deactivated = await post("/admin/accounts", { intent: "deactivate", userId: person.userId }, adminCookie);
    expect(await deactivated.text()).toContain("Kontot är avstängt och alla dess inloggningar har avslutats.");
    expect(await pageAs("/", person.cookie)).not.toContain("Inloggad som Stina Stängd");

    const signIn = await post("/sign-in", { email: person.email, password: TEST_PASSWORD });
    expect(signIn.status).toBe(400);
    expect(await signIn.text()).toContain("Kontot är avstängt.");

    const audit = await pageAs("/admin/audit", adminCookie);
    expect(audit).toContain("account.deactivated");
    expect(audit).toContain("invite.created");
    expect(audit).toContain("Ada Admin");
  });
});
