import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findDocumentBySlug } from "#db/repositories/documents";
import { findWorkshopBySlug } from "#db/repositories/workshops";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { generateSecretToken } from "#app/models/sessions.server";
import { signedInAs, TEST_PASSWORD } from "#tests/support/accounts";
import { paragraphIds } from "#tests/support/collab-client";
import { postForm } from "#tests/support/http";
import { startTestServer, type TestServer } from "#tests/support/server";

const DRAFT = `/d/${SEED_DOCUMENT.slug}`;
const WORKSHOP = "2020-09-01-oppna-licenser-och-immaterialratt";
const NUL = "före\u0000efter";
/** The message every form shows at a field that held a control character (Swedish, the default language). */
const CONTROL_MESSAGE = "Texten innehöll osynliga styrtecken (till exempel NUL) som inte kan sparas.";
const HUGE_NUMBERS = [String(2 ** 31), String(2 ** 53), "-1", "0", "1.5", "1e3", "0x10", "99999999999999999999"];

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * A request as any client can send it: any method, any Host, a body in chunks without Content-Length. Resolves with
 * the answer even when the server answers before the body is sent and then closes the connection.
 */
function rawRequest(
  baseUrl: string,
  options: { method: string; path: string; headers?: Record<string, string>; chunks?: Iterable<Buffer> }
): Promise<RawAnswer> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    let answered = false;
    const request = httpRequest(
      { host: url.hostname, port: url.port, method: options.method, path: options.path, headers: options.headers },
      (response) => {
        answered = true;
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (body += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
        response.on("error", reject);
      }
    );
    // Writing the rest of a refused body fails once the server closes the connection: the answer is what counts.
    request.on("error", (error) => {
      if (!answered) reject(error);
    });
    void (async () => {
      for (const chunk of options.chunks ?? []) {
        if (answered || request.destroyed) break;
        if (!request.write(chunk)) await new Promise((resume) => request.once("drain", resume).once("close", resume));
      }
      request.end();
    })();
  });
}

function expectSameSite(location: string | null, baseUrl: string): void {
  expect(location).not.toBeNull();
  const target = location ?? "";
  expect(target.startsWith("/")).toBe(true);
  expect(target.startsWith("//")).toBe(false);
  // eslint-disable-next-line no-control-regex -- a control character in a Location is what is checked for
  expect(target).not.toMatch(/[\s\\\u0000-\u001F]/);
  expect(new URL(target, baseUrl).origin).toBe(new URL(baseUrl).origin);
}

describe("hostile input", () => {
  let server: TestServer;
  const cookies: Record<"member" | "editor" | "host" | "admin", string> = { member: "", editor: "", host: "", admin: "" };
  let member: { email: string; userId: string };
  let blockId: string;
  let threadId: string;
  let commentId: string;
  let workshopId: string;

  beforeAll(async () => {
    server = await startTestServer();
    const { db } = server.services;
    for (const role of ["member", "editor", "host", "admin"] as const) {
      const account = await signedInAs(db, role);
      cookies[role] = account.cookie;
      if (role === "member") member = account;
    }
    const documentId = (await findDocumentBySlug(db, SEED_DOCUMENT.slug))?.id ?? "";
    blockId = await server.services.readDocument(documentId, (doc) => paragraphIds(doc)[0] ?? "");
    workshopId = (await findWorkshopBySlug(db, WORKSHOP))?.id ?? "";
    const created = await postForm(
      server.url,
      DRAFT,
      { intent: "create-thread", blockId, body: "En vanlig synpunkt", acceptLicence: "on", position: "" },
      cookies.member
    );
    expect(created.status).toBe(302);
    const thread = await db.selectFrom("comment_threads").select("id").where("document_id", "=", documentId).executeTakeFirstOrThrow();
    threadId = thread.id;
    commentId = (await db.selectFrom("comments").select("id").where("thread_id", "=", threadId).executeTakeFirstOrThrow()).id;
    expect((await postForm(server.url, DRAFT, { intent: "flag", commentId, reason: "Testanmälan" }, cookies.editor)).status).toBe(302);
    expect((await postForm(server.url, `${DRAFT}/versions`, { name: "Version 1" }, cookies.editor)).status).toBe(302);
  });
  afterAll(() => server?.dispose());

  /**
   * Every form of the app: where it posts, who posts it, valid fields, and the fields whose refusal the page shows
   * at the field in the page rendered without JavaScript (the others are hidden fields, carry no text a person
   * types, or belong to forms the page opens only with JavaScript, like closing a thread).
   */
  const forms: { path: string; role?: keyof typeof cookies; fields: () => Record<string, string>; shown: string[] }[] = [
    {
      path: "/sign-up",
      fields: () => ({
        name: "Ny Person",
        email: "ny@example.test",
        organisation: "Myndigheten",
        password: "ett-långt-lösenord",
        inviteToken: "",
        acceptContributionLicence: "on",
      }),
      shown: ["name", "email", "organisation", "password"],
    },
    {
      path: "/sign-in",
      fields: () => ({ email: member.email, password: TEST_PASSWORD, redirectTo: "/" }),
      shown: ["email", "password", "redirectTo"],
    },
    { path: "/forgot-password", fields: () => ({ email: member.email }), shown: ["email"] },
    { path: `/reset-password/${generateSecretToken().token}`, fields: () => ({ password: "ett-långt-lösenord" }), shown: ["password"] },
    {
      path: "/account",
      role: "member",
      fields: () => ({ intent: "change-password", currentPassword: TEST_PASSWORD, newPassword: "ett-nytt-långt-lösenord" }),
      shown: ["currentPassword", "newPassword"],
    },
    { path: "/account", role: "member", fields: () => ({ intent: "email-settings", emailOnReply: "on" }), shown: [] },
    { path: "/language", fields: () => ({ locale: "sv", returnTo: "/" }), shown: [] },
    {
      path: DRAFT,
      role: "member",
      fields: () => ({ intent: "create-thread", blockId, body: "Text", acceptLicence: "on", position: "", from: "0", to: "3", exact: "" }),
      shown: ["body"],
    },
    {
      path: DRAFT,
      role: "member",
      fields: () => ({ intent: "create-thread", kind: "suggestion", blockId, suggestion: "Ny lydelse", body: "Därför", acceptLicence: "on" }),
      shown: ["suggestion", "body"],
    },
    { path: DRAFT, role: "member", fields: () => ({ intent: "reply", threadId, body: "Svar", acceptLicence: "on" }), shown: ["body"] },
    { path: DRAFT, role: "member", fields: () => ({ intent: "edit-comment", commentId, body: "Ändrad" }), shown: ["body"] },
    { path: DRAFT, role: "editor", fields: () => ({ intent: "flag", commentId, reason: "Anmälan" }), shown: ["reason"] },
    { path: DRAFT, role: "editor", fields: () => ({ intent: "close", threadId, outcome: "answered", response: "Svar" }), shown: [] },
    {
      path: `${DRAFT}/moderation`,
      role: "editor",
      fields: () => ({ intent: "hide", flagId: "00000000-0000-4000-8000-000000000000", reason: "Skäl" }),
      shown: ["reason"],
    },
    { path: `${DRAFT}/feedback`, role: "editor", fields: () => ({ status: "answered", response: "Svar", threadId }), shown: ["response"] },
    { path: `${DRAFT}/review`, role: "editor", fields: () => ({ threadId, versionNumber: "1" }), shown: [] },
    {
      path: `${DRAFT}/versions`,
      role: "editor",
      fields: () => ({
        name: "Version X",
        changeNote: "Not",
        workshopId,
        commentsOpenDate: "",
        commentsOpenTime: "",
        commentsCloseDate: "",
        commentsCloseTime: "",
      }),
      shown: ["name", "changeNote"],
    },
    { path: `${DRAFT}/present`, role: "host", fields: () => ({ intent: "freeze", name: "Version P", section: "1" }), shown: [] },
    { path: `${DRAFT}/present`, role: "host", fields: () => ({ intent: "move", sectionId: "s1" }), shown: [] },
    {
      path: "/workshops/new",
      role: "host",
      fields: () => ({
        title: "Ny workshop",
        date: "2030-01-10",
        startTime: "10:00",
        endTime: "12:00",
        description: "Om",
        organisers: "PRV",
        meetingUrl: "https://example.test/m",
      }),
      shown: ["title", "date", "startTime", "endTime", "description", "organisers", "meetingUrl"],
    },
    {
      path: `/workshops/${WORKSHOP}/edit`,
      role: "host",
      fields: () => ({
        title: "Ändrad workshop",
        date: "2030-01-10",
        startTime: "10:00",
        endTime: "12:00",
        description: "Om",
        organisers: "PRV",
        meetingUrl: "",
      }),
      shown: ["title", "description", "organisers"],
    },
    { path: "/admin/accounts", role: "admin", fields: () => ({ intent: "change-role", userId: member.userId, role: "member" }), shown: [] },
    { path: "/admin/accounts", role: "admin", fields: () => ({ intent: "create-invite", role: "member", validDays: "7" }), shown: [] },
    { path: "/notifications", role: "member", fields: () => ({ intent: "read-all" }), shown: [] },
  ];

  forms.forEach((form, index) => {
    it(`answers a NUL byte in each text field of form ${index + 1} (${
      form.path
    }) with a 4xx or a redirect, and a message at the fields people type in`, async () => {
      const valid = form.fields();
      const cookie = form.role ? cookies[form.role] : undefined;
      for (const field of Object.keys(valid)) {
        const response = await postForm(server.url, form.path, { ...valid, [field]: NUL }, cookie);
        const where = `${form.path} ${field}`;
        expect(response.status, where).toBeLessThan(500);
        const body = await response.text();
        if (form.shown.includes(field)) {
          expect(response.status, where).toBe(400);
          expect(body, where).toContain(CONTROL_MESSAGE);
        }
        if (response.status >= 300 && response.status < 400) expectSameSite(response.headers.get("location"), server.url);
      }
    });
  });

  it("stores no control character from any of those forms", async () => {
    const stored = await server.services.db.selectFrom("comments").select("body").execute();
    expect(stored.some((comment) => comment.body.includes("\u0000"))).toBe(false);
  });

  for (const number of HUGE_NUMBERS) {
    it(`answers the version number ${number} in every route that takes one with 404 or 400`, async () => {
      const encoded = encodeURIComponent(number);
      const versionRoutes = [
        `${DRAFT}/v/${encoded}`,
        `${DRAFT}/v/${encoded}/export.md`,
        `${DRAFT}/v/${encoded}/export.html`,
        `${DRAFT}/compare?from=${encoded}&to=live`,
        `${DRAFT}/compare?from=1&to=${encoded}`,
        ...["csv", "md", "html", "docx"].map((format) => `${DRAFT}/report.${format}?version=${encoded}`),
        `${DRAFT}/annotations.jsonld?version=${encoded}`,
      ];
      for (const path of versionRoutes) {
        const response = await fetch(`${server.url}${path}`, { headers: { Cookie: cookies.editor } });
        expect([400, 404], path).toContain(response.status);
      }
      for (const path of [`${DRAFT}/present?frozen=${encoded}`, `${DRAFT}/feedback?version=${encoded}&page=${encoded}`, `${DRAFT}?page=${encoded}`]) {
        const response = await fetch(`${server.url}${path}`, { headers: { Cookie: cookies.host } });
        expect(response.status, path).toBeLessThan(500);
      }
      const review = await postForm(server.url, `${DRAFT}/review`, { threadId, versionNumber: number }, cookies.editor);
      expect(review.status, `review ${number}`).toBe(400);
      const invite = await postForm(server.url, "/admin/accounts", { intent: "create-invite", role: "member", validDays: number }, cookies.admin);
      // "0x10" is 16 days, which an invite may last: only numbers out of range must be refused.
      expect(invite.status, `invite ${number}`).toBe(number === "0x10" ? 200 : 400);
    });
  }

  it("answers bad percent-encoding and control characters in a path or query with 400", async () => {
    for (const path of [
      "/d/%FF",
      "/%FF",
      `${DRAFT}/v/%FF`,
      "/workshops/%FF",
      "/assets/%FF.js",
      "/d/%00",
      "/d/a%0Ab",
      `${DRAFT}/compare?from=%FF`,
      "/admin/accounts?q=%00",
      `${DRAFT}/feedback?q=%00`,
      `${DRAFT}/comments?q=%00`,
      "/sign-up?invite=%00",
      `${DRAFT}?comment=%00`,
    ]) {
      const response = await rawRequest(server.url, { method: "GET", path, headers: { Cookie: cookies.admin } });
      expect(response.status, path).toBe(400);
    }
  });

  it("answers TRACE and other methods the app does not serve with 405 and Allow", async () => {
    for (const method of ["TRACE", "PUT", "DELETE", "PATCH", "OPTIONS"]) {
      for (const path of ["/", DRAFT, "/sign-in"]) {
        const response = await rawRequest(server.url, { method, path });
        expect(response.status, `${method} ${path}`).toBe(405);
        expect(response.headers.allow).toBe("GET, HEAD, POST");
      }
    }
  });

  it("never redirects off the site, whatever the redirect target holds", async () => {
    const targets = [
      "/\n",
      "/\t/evil.example",
      "/\n/evil.example",
      "/\r/evil.example",
      "//evil.example",
      "/\\evil.example",
      "\\\\evil.example",
      "https://evil.example/",
      "/%09/evil.example",
      "/ok\r\nSet-Cookie: x=y",
      " /evil",
      "/\u0000/evil.example",
    ];
    for (const target of targets) {
      const signIn = await postForm(server.url, "/sign-in", { email: member.email, password: TEST_PASSWORD, redirectTo: target });
      expect(signIn.status, JSON.stringify(target)).toBeLessThan(500);
      if (signIn.status === 302) expectSameSite(signIn.headers.get("location"), server.url);
      const language = await postForm(server.url, "/language", { locale: "sv", returnTo: target });
      expect(language.status, JSON.stringify(target)).toBe(302);
      expectSameSite(language.headers.get("location"), server.url);
    }
    // A signed-in person sent to sign-in with a hostile target in the address.
    for (const query of ["redirectTo=%0A", "redirectTo=/%09/evil.example", "redirectTo=%2F%2Fevil.example"]) {
      const page = await fetch(`${server.url}/sign-in?${query}`, { redirect: "manual" });
      expect(page.status, query).toBe(200);
    }
    // The tab form of the attack, as a browser posts it from the sign-in page of such an address.
    const attack = await postForm(server.url, "/sign-in", { email: member.email, password: TEST_PASSWORD, redirectTo: "/\t/evil.example" });
    expect(attack.status).toBe(302);
    expect(attack.headers.get("location")).toBe("/");
  });

  it("refuses a 20 MB body with 413 before reading it, with or without Content-Length", async () => {
    const megabyte = Buffer.alloc(1024 * 1024, "a");
    const chunks = () => Array.from({ length: 20 }, () => megabyte);
    const declared = await rawRequest(server.url, {
      method: "POST",
      path: "/sign-in",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": String(20 * megabyte.length) },
      chunks: chunks(),
    });
    expect(declared.status).toBe(413);
    expect(declared.body).toContain("The request is too large: at most 1 MiB.");
    const chunked = await rawRequest(server.url, {
      method: "POST",
      path: `${DRAFT}`,
      headers: { "Content-Type": "application/x-www-form-urlencoded", "Transfer-Encoding": "chunked", Cookie: cookies.member },
      chunks: chunks(),
    });
    expect(chunked.status).toBe(413);
    // A form just under the limit is still read.
    const large = await postForm(server.url, "/sign-in", { email: member.email, password: TEST_PASSWORD, filler: "a".repeat(900 * 1024) });
    expect(large.status).toBe(302);
  });

  it("mails no reset link built from a forged Host, and builds mailed links only from the server's own origin", async () => {
    const mailsTo = () => server.services.db.selectFrom("outbox").select("body_text").where("to_address", "=", member.email).execute();
    const before = (await mailsTo()).length;
    const body = new URLSearchParams({ email: member.email }).toString();
    for (const host of ["evil.example", `evil.example:${server.port}`, "127.0.0.1.evil.example"]) {
      const forged = await rawRequest(server.url, {
        method: "POST",
        path: "/forgot-password",
        headers: { Host: host, "Content-Type": "application/x-www-form-urlencoded", "Content-Length": String(Buffer.byteLength(body)) },
        chunks: [Buffer.from(body)],
      });
      expect(forged.status, host).toBe(200);
      expect(forged.body).toContain("Om det finns ett konto med den e-postadressen har vi skickat en länk dit.");
    }
    expect(await mailsTo()).toHaveLength(before);

    const invite = await rawRequest(server.url, {
      method: "POST",
      path: "/admin/accounts",
      headers: { Host: "evil.example", Cookie: cookies.admin, "Content-Type": "application/x-www-form-urlencoded" },
      chunks: [Buffer.from(new URLSearchParams({ intent: "create-invite", role: "member", validDays: "7" }).toString())],
    });
    expect(invite.status).toBe(200);
    expect(invite.body).not.toContain("evil.example");
    expect(invite.body).toContain("/sign-up?invite=");

    expect((await postForm(server.url, "/forgot-password", { email: member.email })).status).toBe(200);
    expect(await mailsTo()).toHaveLength(before + 1);
    const everyMail = await server.services.db.selectFrom("outbox").select("body_text").execute();
    const links = everyMail.flatMap((mail) => mail.body_text.match(/https?:\/\/[^\s]+/g) ?? []);
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) expect(server.services.localOrigins.has(new URL(link).origin), link).toBe(true);
  });
});
