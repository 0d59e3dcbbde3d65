import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedInAs, TEST_PASSWORD } from "#tests/support/accounts";
import { postForm } from "#tests/support/http";
import { startTestServer, type TestServer } from "#tests/support/server";

const NEW_PASSWORD = "ett-helt-nytt-lösenord-2024";
const RESET_SENT = "Om det finns ett konto med den e-postadressen har vi skickat en länk dit. Länken gäller i 60 minuter.";
const LINK_INVALID = "Länken är ogiltig, redan använd eller har gått ut.";

describe("account recovery and account settings", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.dispose());

  const post = (path: string, fields: Record<string, string>, cookie?: string) => postForm(server.url, path, fields, cookie);
  const get = (path: string, cookie?: string) =>
    fetch(`${server.url}${path}`, { redirect: "manual", headers: cookie ? { Cookie: cookie } : {} });
  const mailsTo = (address: string) =>
    server.services.db.selectFrom("outbox").selectAll().where("to_address", "=", address).orderBy("id").execute();

  it("answers a reset request the same for known and unknown addresses, and mails only the known one", async () => {
    const { email } = await signedInAs(server.services.db, "member", "Kim Känd");
    const unknown = "ingen-alls@example.test";

    const known = await post("/forgot-password", { email });
    const other = await post("/forgot-password", { email: unknown });
    expect(known.status).toBe(200);
    expect(other.status).toBe(200);
    const knownBody = await known.text();
    const otherBody = await other.text();
    expect(knownBody).toContain(RESET_SENT);
    expect(otherBody).toContain(RESET_SENT);
    // The typed address stays in the field.
    expect(knownBody).toContain(`value="${email}"`);
    expect(otherBody).toContain(`value="${unknown}"`);

    expect(await mailsTo(email)).toHaveLength(1);
    expect(await mailsTo(unknown)).toHaveLength(0);
  });

  it("lets a mailed link set a new password once; the old password stops working", async () => {
    const { email, cookie } = await signedInAs(server.services.db, "member", "Rut Återställ");
    expect((await post("/forgot-password", { email })).status).toBe(200);
    const [mail] = await mailsTo(email);
    const path = /\/reset-password\/[A-Za-z0-9_-]+/.exec(mail?.body_text ?? "")?.[0];
    if (!path) throw new Error("no reset link in the mail");

    const page = await get(path);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Minst 10 tecken.");

    const reset = await post(path, { password: NEW_PASSWORD });
    expect(reset.status).toBe(302);
    expect(reset.headers.get("location")).toBe("/sign-in?reset=1");
    const signInPage = await get("/sign-in?reset=1");
    expect(await signInPage.text()).toContain("Ditt lösenord är bytt. Logga in med det nya lösenordet.");

    const again = await post(path, { password: "ännu-ett-nytt-lösenord" });
    expect(again.status).toBe(400);
    const againBody = await again.text();
    expect(againBody).toContain(LINK_INVALID);
    expect(againBody).toContain('href="/forgot-password"');

    // The reset ended the sessions the account had.
    expect(await (await get("/", cookie)).text()).not.toContain("Inloggad som");
    expect((await post("/sign-in", { email, password: TEST_PASSWORD })).status).toBe(400);
    const signedIn = await post("/sign-in", { email, password: NEW_PASSWORD });
    expect(signedIn.status).toBe(302);
    expect(signedIn.headers.get("set-cookie")).toContain("samrad_session=");
  });

  it("answers a malformed reset link with 400 and a way to ask for a new one", async () => {
    const response = await get("/reset-password/inte-en-riktig-token");
    expect(response.status).toBe(400);
    const body = await response.text();
    expect(body).toContain(LINK_INVALID);
    expect(body).toContain('href="/forgot-password"');
  });

  it("refuses the 11th wrong sign-in for one address within the window", async () => {
    const { email } = await signedInAs(server.services.db, "member", "Gissa Gissasson");
    for (let attempt = 1; attempt <= 10; attempt++) {
      expect((await post("/sign-in", { email, password: `fel-lösenord-${attempt}` })).status).toBe(400);
    }
    const refused = await post("/sign-in", { email, password: "fel-lösenord-11" });
    expect(refused.status).toBe(429);
    expect(await refused.text()).toMatch(/Försök igen om \d+ minuter\./);
  });

  it("shows a field error for a wrong current password and changes nothing", async () => {
    const { email, cookie } = await signedInAs(server.services.db, "member", "Bo Byte");
    const response = await post(
      "/account",
      { intent: "change-password", currentPassword: "inte-mitt-lösenord", newPassword: NEW_PASSWORD },
      cookie,
    );
    expect(response.status).toBe(400);
    const body = await response.text();
    expect(body).toContain("Fel lösenord.");
    expect(body).toContain('aria-invalid="true"');
    expect((await post("/sign-in", { email, password: TEST_PASSWORD })).status).toBe(302);
  });

  it("changes the password and keeps the session it was changed from", async () => {
    const { email, cookie } = await signedInAs(server.services.db, "member", "Ulla Uppdatera");
    const response = await post(
      "/account",
      { intent: "change-password", currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD },
      cookie,
    );
    expect(response.status).toBe(200);
    expect(await (await get("/account", cookie)).text()).toContain(email);
    expect((await post("/sign-in", { email, password: NEW_PASSWORD })).status).toBe(302);
  });

  it("sends visitors from the account page to sign-in", async () => {
    const response = await get("/account");
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/sign-in?redirectTo=%2Faccount");
  });

  it("signs out everywhere: another session's cookie stops working", async () => {
    const { email, cookie } = await signedInAs(server.services.db, "member", "Ella Överallt");
    const otherDevice = await post("/sign-in", { email, password: TEST_PASSWORD });
    expect(otherDevice.status).toBe(302);
    const otherCookie = (otherDevice.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    expect(await (await get("/", otherCookie)).text()).toContain("Inloggad som");

    const response = await post("/account", { intent: "sign-out-everywhere" }, cookie);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/");
    expect(response.headers.get("set-cookie")).toContain("Max-Age=0");

    expect(await (await get("/", otherCookie)).text()).not.toContain("Inloggad som");
    expect(await (await get("/", cookie)).text()).not.toContain("Inloggad som");
  });
});

describe("links in mail", () => {
  it("point at PUBLIC_URL, whatever Host header the request came with", async () => {
    const server = await startTestServer({ env: { PUBLIC_URL: "https://samrad.example.se" } });
    try {
      const { email } = await signedInAs(server.services.db, "member");
      // Node's fetch does not let a caller forge Host, so send the request as an attacker's proxy would.
      const response = await new Promise<number>((resolve, reject) => {
        const request = httpRequest(
          `${server.url}/forgot-password`,
          { method: "POST", headers: { Host: "evil.example", "Content-Type": "application/x-www-form-urlencoded" } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        request.on("error", reject);
        request.end(new URLSearchParams({ email }).toString());
      });
      expect(response).toBe(200);
      const [mail] = await server.services.db.selectFrom("outbox").selectAll().where("to_address", "=", email).execute();
      expect(mail?.body_text).toContain("https://samrad.example.se/reset-password/");
      expect(mail?.body_text).not.toContain("evil.example");
    } finally {
      await server.dispose();
    }
  });
});
