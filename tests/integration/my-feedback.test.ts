import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DocumentIndex } from "#app/comments/anchoring";
import { createTranslate } from "#app/i18n/i18n";
import { findDocumentBySlug } from "#db/repositories/documents";
import { listOutboxMessages } from "#db/repositories/outbox";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { signedInAs } from "#tests/support/accounts";
import { testDatabaseKinds } from "#tests/support/database";
import { postForm } from "#tests/support/http";
import { startTestServer, type TestServer } from "#tests/support/server";

const DRAFT = `/d/${SEED_DOCUMENT.slug}`;
const PUBLIC_URL = "https://samrad.example.se";
const COMMENT_LINK = /#comment-([0-9a-f-]{36})$/;
const t = createTranslate("sv");

describe.each(testDatabaseKinds())("a member following their feedback (%s)", (database) => {
  let server: TestServer;
  let member: Awaited<ReturnType<typeof signedInAs>>;
  let colleague: Awaited<ReturnType<typeof signedInAs>>;
  let editor: Awaited<ReturnType<typeof signedInAs>>;
  let blockId: string;
  let threadId: string;

  beforeAll(async () => {
    server = await startTestServer({ database, env: { PUBLIC_URL } });
    const documentId = (await findDocumentBySlug(server.services.db, SEED_DOCUMENT.slug))?.id ?? "";
    blockId = await server.services.readDocument(documentId, (doc) => DocumentIndex.of(doc).blocks.find((block) => block.type === "paragraph")?.id ?? "");
    member = await signedInAs(server.services.db, "member", "Mats Medlem");
    colleague = await signedInAs(server.services.db, "member", "Karin Kollega");
    editor = await signedInAs(server.services.db, "editor", "Eva Editor");
  });
  afterAll(() => server?.dispose());

  const post = (path: string, fields: Record<string, string>, cookie: string) => postForm(server.url, path, fields, cookie);
  const page = async (path: string, cookie: string) => {
    const response = await fetch(`${server.url}${path}`, { headers: { Cookie: cookie } });
    expect(response.status).toBe(200);
    return response.text();
  };
  const unreadInHeader = (count: number) => `${t("notifications.headerLink")} (${t("notifications.unread", { count })})`;

  it("tells the member of a reply, in the list and as a count in the header", async () => {
    const created = await post(DRAFT, { intent: "create-thread", acceptLicence: "on", position: "", blockId, body: "Skriv ska i stället för bör." }, member.cookie);
    expect(created.status).toBe(302);
    const commentId = COMMENT_LINK.exec(created.headers.get("location") ?? "")?.[1] ?? "";
    threadId = (await server.services.db.selectFrom("comments").select("thread_id").where("id", "=", commentId).executeTakeFirstOrThrow()).thread_id;

    const replied = await post(DRAFT, { intent: "reply", acceptLicence: "on", position: "", threadId, body: "Håller med." }, colleague.cookie);
    expect(replied.status).toBe(302);

    const notifications = await page("/notifications", member.cookie);
    expect(notifications).toContain(unreadInHeader(1));
    expect(notifications).toContain(t("notifications.item.reply", { actor: "Karin Kollega", document: SEED_DOCUMENT.title }));
    expect(notifications).toContain(t("notifications.unreadLabel"));
    expect(notifications).toContain(`href="${DRAFT}?comments=all&amp;show=${threadId}#thread-${threadId}"`);
    // The one replying is not told of their own reply.
    expect(await page("/notifications", colleague.cookie)).toContain(t("notifications.empty"));
  });

  it("shows the editors' decision and response on the member's feedback page", async () => {
    const closed = await post(DRAFT, { intent: "close", threadId, outcome: "accepted", response: "Vi skriver ska i nästa version." }, editor.cookie);
    expect(closed.status).toBe(302);

    const feedback = await page("/my-feedback", member.cookie);
    expect(feedback).toContain(t("comments.outcome.accepted"));
    expect(feedback).toContain("Vi skriver ska i nästa version.");
    expect(feedback).toContain(t("comments.responseBy", { name: "Eva Editor" }));
    expect(feedback).toContain(t("myFeedback.replies", { count: 1 }));
    expect(feedback).toContain(`${DRAFT}?comments=all&amp;show=${threadId}#thread-${threadId}`);
    expect(await page("/notifications", member.cookie)).toContain(unreadInHeader(2));
  });

  it("tells the member of a new version, and says which version incorporated the accepted feedback", async () => {
    expect((await post(`${DRAFT}/versions`, { name: "Efter synpunkterna" }, editor.cookie)).status).toBe(302);
    const notifications = await page("/notifications", member.cookie);
    expect(notifications).toContain(t("notifications.item.version", { actor: "Eva Editor", number: 1, name: "Efter synpunkterna", document: SEED_DOCUMENT.title }));
    expect(notifications).toContain(`href="${DRAFT}/v/1"`);
    expect(await page("/my-feedback", member.cookie)).toContain(t("comments.incorporatedIn", { number: 1 }));
  });

  it("marks all notifications read with a plain form", async () => {
    const marked = await post("/notifications", {}, member.cookie);
    expect(marked.status).toBe(302);
    const after = await page(marked.headers.get("location") ?? "", member.cookie);
    expect(after).toContain(t("notifications.markedRead"));
    expect(after).not.toContain(t("notifications.unreadLabel"));
    expect(after).not.toContain(unreadInHeader(1));
  });

  it("mails the member as their settings say, with a link on PUBLIC_URL", async () => {
    const mailsToMember = () => listOutboxMessages(server.services.db, { to: member.email, limit: 20 });
    // Mail is sent after the page is answered, so that a slow mail server never holds up the member's action. By
    // default replies and decisions are mailed and new versions are not: so far the reply and the decision.
    await expect.poll(async () => (await mailsToMember()).length).toBe(2);
    const [decision] = await mailsToMember();
    expect(decision?.body_text).toContain(t("notifications.mail.outcome", { outcome: t("comments.outcome.accepted") }));

    const saved = await post("/account", { intent: "email-settings", emailOnReply: "on", emailOnStatus: "on", emailOnVersion: "on" }, member.cookie);
    expect(saved.status).toBe(200);
    expect(await page("/account", member.cookie)).toMatch(/name="emailOnVersion" checked=""/);

    await post(DRAFT, { intent: "reply", acceptLicence: "on", position: "", threadId, body: "Tack!" }, colleague.cookie);
    await expect.poll(async () => (await mailsToMember()).length).toBe(3);
    const [mail] = await mailsToMember();
    expect(mail?.subject).toContain(t("notifications.mail.subject.reply", { document: SEED_DOCUMENT.title }));
    expect(mail?.body_text).toContain(`${PUBLIC_URL}${DRAFT}?comments=all&show=${threadId}#thread-${threadId}`);
    // No SMTP_URL: kept in the outbox, unsent, as password reset mail is.
    expect(mail?.sent_at).toBeNull();

    // With every box unticked, the next reply is only in the app.
    await post("/account", { intent: "email-settings" }, member.cookie);
    await post(DRAFT, { intent: "reply", acceptLicence: "on", position: "", threadId, body: "En gång till." }, colleague.cookie);
    expect(await page("/notifications", member.cookie)).toContain(unreadInHeader(2));
    expect(await mailsToMember()).toHaveLength(3);
  });

  it("sends visitors to sign in", async () => {
    for (const path of ["/my-feedback", "/notifications"]) {
      const response = await fetch(`${server.url}${path}`, { redirect: "manual" });
      expect(response.status).toBe(302);
      expect(response.headers.get("location")).toBe(`/sign-in?redirectTo=${encodeURIComponent(path)}`);
    }
  });
});
