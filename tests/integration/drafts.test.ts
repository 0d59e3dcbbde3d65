import { readFileSync } from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { findDocumentBySlug } from "#db/repositories/documents";
import { encodeSyncUpdate } from "#server/collab/protocol";
import { signedInAs } from "#tests/support/accounts";
import { connectClient, findBlock, openRawClient, paragraphIds, type CollabClient, type RawClient } from "#tests/support/collab-client";
import { testDatabaseKinds } from "#tests/support/database";
import { postForm } from "#tests/support/http";
import { startTestServer, type TestServer } from "#tests/support/server";
import { eventually } from "#tests/support/wait";

describe.each(testDatabaseKinds())("drafts through the pages (%s)", (database) => {
  let server: TestServer;
  let editor: string;
  let admin: string;
  let member: string;
  const clients: CollabClient[] = [];
  const raws: RawClient[] = [];

  beforeAll(async () => {
    server = await startTestServer({ database });
    [editor, admin, member] = (
      await Promise.all([
        signedInAs(server.services.db, "editor", "Eva Redaktör"),
        signedInAs(server.services.db, "admin", "Ada Admin"),
        signedInAs(server.services.db, "member", "Mats Medlem"),
      ])
    ).map((account) => account.cookie) as [string, string, string];
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.destroy();
    for (const raw of raws.splice(0)) raw.socket.close();
  });
  afterAll(() => server?.dispose());

  const fixtureFile = (name: string) => new File([readFileSync(`tests/fixtures/word/${name}`)], name);
  const countRows = async (table: "documents" | "draft_imports") =>
    Number((await server.services.db.selectFrom(table).select((eb) => eb.fn.countAll().as("count")).executeTakeFirstOrThrow()).count);
  const page = async (path: string, cookie?: string) => {
    const response = await fetch(`${server.url}${path}`, { redirect: "manual", headers: cookie ? { Cookie: cookie } : {} });
    return { status: response.status, location: response.headers.get("location"), html: await response.text() };
  };
  /** The new-draft form as a browser without JavaScript sends it: multipart, with an empty file input unless given. */
  const postDraft = (fields: Record<string, string>, cookie: string, file = new File([], "")) => {
    const body = new FormData();
    for (const [name, value] of Object.entries({ language: "sv", contributionLicence: "CC-BY-4.0", source: "empty", ...fields })) body.set(name, value);
    body.set("file", file);
    return fetch(`${server.url}/drafts/new`, { method: "POST", redirect: "manual", headers: { Origin: server.url, Cookie: cookie }, body });
  };

  it("an editor creates an empty draft through the form; it opens and the home page lists it with its state", async () => {
    expect((await page("/drafts/new")).location).toBe("/sign-in?redirectTo=%2Fdrafts%2Fnew");
    expect((await page("/drafts/new", member)).status).toBe(403);
    expect((await postDraft({ title: "Medlemmens utkast" }, member)).status).toBe(403);

    const form = await page("/drafts/new", editor);
    expect(form.status).toBe(200);
    // React writes the attribute as encType; HTML attribute names are case-insensitive.
    expect(form.html).toMatch(/enctype="multipart\/form-data"/i);
    expect(form.html).toContain("högst 10 MB");

    const created = await postDraft({ title: "Öppna data i kommunerna", slug: "" }, editor);
    expect(created.status).toBe(302);
    expect(created.headers.get("location")).toBe("/d/oppna-data-i-kommunerna");
    const draft = await page("/d/oppna-data-i-kommunerna");
    expect(draft.status).toBe(200);
    expect(draft.html).toContain("Öppna data i kommunerna");

    const home = await page("/", editor);
    expect(home.html).toContain('href="/drafts/new"');
    const listed = home.html.slice(home.html.indexOf('href="/d/oppna-data-i-kommunerna"'));
    expect(listed).toMatch(/^[^]*?Öppet för kommentarer · 0 öppna trådar/);
    // Newest activity first: the new draft before the seeded one.
    expect(home.html.indexOf('href="/d/oppna-data-i-kommunerna"')).toBeLessThan(home.html.indexOf('href="/d/vagledning'));
    expect((await page("/", member)).html).not.toContain('href="/drafts/new"');
  });

  it("refuses a taken title at its field, and a Word file that cannot be imported at the file, keeping what was typed", async () => {
    const taken = await postDraft({ title: "ÖPPNA DATA I KOMMUNERNA", slug: "en-annan-adress" }, editor);
    expect(taken.status).toBe(400);
    const takenHtml = await taken.text();
    expect(takenHtml).toContain("Ett annat utkast har redan den titeln");
    expect(takenHtml).toContain('value="en-annan-adress"');
    expect(takenHtml).toMatch(/<input[^>]*aria-invalid="true"[^>]*name="title"|<input[^>]*name="title"[^>]*aria-invalid="true"/);

    const documentsBefore = await countRows("documents");
    const encrypted = await postDraft({ title: "Från Word", source: "word" }, editor, fixtureFile("encrypted.docx"));
    expect(encrypted.status).toBe(400);
    const encryptedHtml = await encrypted.text();
    expect(encryptedHtml).toContain("Filen är lösenordsskyddad");
    expect(encryptedHtml).toMatch(/<input[^>]*aria-invalid="true"[^>]*type="file"|<input[^>]*type="file"[^>]*aria-invalid="true"/);
    expect(encryptedHtml).toContain('value="Från Word"');
    expect(await countRows("documents")).toBe(documentsBefore);
    expect(await countRows("draft_imports")).toBe(0);
  });

  it("a Word file is converted and reviewed first, and the draft is created only once its importer confirms", async () => {
    const documentsBefore = await countRows("documents");
    const converted = await postDraft({ title: "", slug: "", source: "word" }, editor, fixtureFile("python-docx-draft.docx"));
    expect(converted.status).toBe(200);
    const review = await converted.text();
    expect(review).toContain("Det här kunde importen inte behålla");
    expect(review).toContain("1 bild togs inte med");
    expect(review).toContain("1 kommentar i filen togs inte med");
    expect(review).toContain('value="Remissvar om öppna data"');
    expect(review).toContain('value="remissvar-om-oppna-data"');
    expect(review).toContain("Bakgrund");
    expect(await countRows("documents")).toBe(documentsBefore);
    const importId = /name="importId" value="([^"]+)"/.exec(review)?.[1] ?? "";
    const confirm = (fields: Record<string, string>, cookie: string) =>
      postForm(server.url, "/drafts/new", { importId, language: "sv", contributionLicence: "CC-BY-4.0", source: "word", intent: "create", ...fields }, cookie);

    // Another session cannot use it, even an editor's.
    const stranger = await confirm({ title: "Remissvar om öppna data", slug: "remissvar-om-oppna-data" }, admin);
    expect(stranger.status).toBe(400);
    expect(await stranger.text()).toContain("Välj filen igen");
    // A taken address is refused at its field on this step too, with the review kept.
    const taken = await confirm({ title: "Remissvar om öppna data", slug: "oppna-data-i-kommunerna" }, editor);
    expect(taken.status).toBe(400);
    const takenHtml = await taken.text();
    expect(takenHtml).toContain("Ett annat utkast har redan den adressen");
    expect(takenHtml).toContain("1 bild togs inte med");
    expect(await countRows("documents")).toBe(documentsBefore);

    const created = await confirm({ title: "Remissvar om öppna data", slug: "remissvar-om-oppna-data" }, editor);
    expect(created.status).toBe(302);
    expect(created.headers.get("location")).toBe("/d/remissvar-om-oppna-data");
    const draft = await page("/d/remissvar-om-oppna-data");
    expect(draft.html).toContain("Genomförande");
    expect(await countRows("draft_imports")).toBe(0);
    // Confirming twice creates nothing more: the converted file is gone.
    expect((await confirm({ title: "Remissvar igen", slug: "remissvar-igen" }, editor)).status).toBe(400);
  });

  it("choosing another file forgets the converted one", async () => {
    const converted = await postDraft({ title: "", source: "markdown" }, editor, new File(["# Anteckningar\n\nEtt stycke."], "anteckningar.md"));
    expect(converted.status).toBe(200);
    const review = await converted.text();
    expect(review).toContain("Allt behölls.");
    const importId = /name="importId" value="([^"]+)"/.exec(review)?.[1] ?? "";
    const another = await postForm(server.url, "/drafts/new", { importId, intent: "another", language: "sv", contributionLicence: "CC-BY-4.0", source: "markdown" }, editor);
    expect(another.status).toBe(200);
    expect(await another.text()).toMatch(/type="file"/);
    expect(await countRows("draft_imports")).toBe(0);
  });

  it("an archived draft stays readable but refuses a comment and every socket's edit, on open sockets and new ones; unarchiving lets edits in again", async () => {
    const created = await postDraft({ title: "Att arkivera" }, editor);
    expect(created.status).toBe(302);
    const document = await findDocumentBySlug(server.services.db, "att-arkivera");
    if (!document) throw new Error("the draft was not created");
    const reader = await connectClient(server.url, document.id);
    clients.push(reader);
    const paragraph = paragraphIds(reader.doc)[0] ?? "";
    const draftText = async () => JSON.stringify(await server.services.readDocumentContent(document.id));
    const collabAddress = `${server.url.replace(/^http/, "ws")}/collab/${document.id}`;
    /** An update that writes `text` into the (empty) paragraph, made on a fresh copy of the draft, ready to send. */
    const editOf = async (text: string) => {
      const copy = await connectClient(server.url, document.id);
      clients.push(copy);
      copy.provider.disconnect();
      const updates: Uint8Array[] = [];
      copy.doc.on("update", (update: Uint8Array) => updates.push(update));
      findBlock(copy.doc, paragraph).insert(0, [new Y.XmlText(text)]);
      return updates[0] ?? new Uint8Array();
    };
    const before = await openRawClient(collabAddress, { cookie: editor });
    raws.push(before);

    expect((await postForm(server.url, "/d/att-arkivera/manage", { intent: "archive" }, editor)).status).toBe(403);
    const archived = await postForm(server.url, "/d/att-arkivera/manage", { intent: "archive" }, admin);
    expect(archived.status).toBe(302);

    const droppedBefore = server.collabStats().droppedReadOnlyUpdates;
    before.socket.send(encodeSyncUpdate(await editOf("FÖRE ARKIVERINGEN ")));
    await before.handled();
    const after = await openRawClient(collabAddress, { cookie: editor });
    raws.push(after);
    after.socket.send(encodeSyncUpdate(await editOf("EFTER ARKIVERINGEN ")));
    await after.handled();
    expect(server.collabStats().droppedReadOnlyUpdates).toBe(droppedBefore + 2);
    expect(await draftText()).not.toContain("ARKIVERINGEN");

    const comment = await postForm(server.url, "/d/att-arkivera", { intent: "create-thread", blockId: paragraph, body: "En synpunkt.", acceptLicence: "on" }, member);
    expect(comment.status).toBe(400);
    const threads = await server.services.db.selectFrom("comment_threads").select("id").where("document_id", "=", document.id).execute();
    expect(threads).toEqual([]);
    const readable = await page("/d/att-arkivera", member);
    expect(readable.status).toBe(200);
    expect(readable.html).toContain("Utkastet arkiverades");
    expect(readable.html).not.toContain('name="body"');
    expect((await page("/")).html).toMatch(/href="\/d\/att-arkivera"[^]*?Arkiverat/);

    expect((await postForm(server.url, "/d/att-arkivera/manage", { intent: "unarchive" }, admin)).status).toBe(302);
    after.socket.send(encodeSyncUpdate(await editOf("ÅTERSTÄLLT ")));
    await eventually(async () => expect(await draftText()).toContain("ÅTERSTÄLLT"));
  });

  it("deletes an archived empty draft after confirmation, and refuses one with a thread", async () => {
    expect((await postDraft({ title: "Ska bort" }, editor)).status).toBe(302);
    expect((await postForm(server.url, "/d/ska-bort/manage", { intent: "archive" }, admin)).status).toBe(302);
    const manage = await page("/d/ska-bort/manage", admin);
    expect(manage.html).toContain('name="confirm"');
    const unconfirmed = await postForm(server.url, "/d/ska-bort/manage", { intent: "delete" }, admin);
    expect(unconfirmed.status).toBe(400);
    expect(await unconfirmed.text()).toContain("Kryssa i rutan");
    const deleted = await postForm(server.url, "/d/ska-bort/manage", { intent: "delete", confirm: "on" }, admin);
    expect(deleted.status).toBe(302);
    expect((await page("/d/ska-bort")).status).toBe(404);


    const commented = await findDocumentBySlug(server.services.db, "oppna-data-i-kommunerna");
    if (!commented) throw new Error("the draft of the first test is missing");
    const blockId = String((await server.services.readDocumentContent(commented.id)).content?.[0]?.attrs?.id);
    const comment = await postForm(server.url, "/d/oppna-data-i-kommunerna", { intent: "create-thread", blockId, body: "En synpunkt.", acceptLicence: "on" }, member);
    expect(comment.status).toBe(302);
    expect((await postForm(server.url, "/d/oppna-data-i-kommunerna/manage", { intent: "archive" }, admin)).status).toBe(302);
    expect((await page("/d/oppna-data-i-kommunerna/manage", admin)).html).not.toContain('name="confirm"');
    const refused = await postForm(server.url, "/d/oppna-data-i-kommunerna/manage", { intent: "delete", confirm: "on" }, admin);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("kan inte tas bort");
    expect((await page("/d/oppna-data-i-kommunerna")).status).toBe(200);
  });
});
