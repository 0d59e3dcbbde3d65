import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useEffect, useRef } from "react";
import type { DraftAdminError } from "#app/drafts/types";
import { requirePermission } from "#app/http/auth.server";
import { requireDocument } from "#app/http/document.server";
import { formatTimestamp } from "#app/i18n/format";
import { pageTitle } from "#app/i18n/title";
import { useTranslation } from "#app/i18n/translation";
import { deleteEmptyDraft, isDraftEmpty, setDraftArchived } from "#app/models/drafts.server";
import { readForm } from "#app/models/forms.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageTitle(matches, "manageDraft", data?.document.title);

/** `/d/<slug>/manage`: admins archive a draft, bring it back, or delete it while nobody has taken part in it. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, "manage-drafts");
  const document = await requireDocument(context, params.slug);
  return {
    document: { slug: document.slug, title: document.title, language: document.language, archivedAt: document.archived_at?.toISOString() ?? null },
    empty: await isDraftEmpty(context.services.db, document.id),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const current = await requirePermission(request, context, "manage-drafts");
  const slug = params.slug ?? "";
  const { fields } = await readForm(request);
  const intent = fields.intent;
  if (intent === "delete") {
    const result = await deleteEmptyDraft(context.services, current, slug, fields.confirm === "on");
    if (result.ok) return redirect("/");
    return Response.json(result, { status: result.error === "not-found" ? 404 : 400 });
  }
  if (intent !== "archive" && intent !== "unarchive") return Response.json({ ok: false, error: "not-found" }, { status: 400 });
  const result = await setDraftArchived(context.services, current, slug, intent === "archive");
  if (result.ok) return redirect(`/d/${result.document.slug}/manage`);
  return Response.json(result, { status: result.error === "not-found" ? 404 : 400 });
}

export default function ManageDraft() {
  const { t, i18n } = useTranslation();
  const { document, empty } = useLoaderData<typeof loader>();
  const result = useActionData<{ ok: false; error: DraftAdminError }>();
  const alert = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (result) alert.current?.focus();
  }, [result]);
  return (
    <main id="main" className="page narrow">
      <p>
        <Link to={`/d/${document.slug}`}>{t("drafts.backToDraft")}</Link>
      </p>
      <h1>
        {t("drafts.manageTitle")}: <span lang={document.language === i18n.language ? undefined : document.language}>{document.title}</span>
      </h1>
      {result ? (
        <p role="alert" className="form-error" tabIndex={-1} ref={alert}>
          {t(`drafts.adminErrors.${result.error}`)}
        </p>
      ) : null}

      <section aria-labelledby="archive-heading">
        <h2 id="archive-heading">{t("drafts.archiveHeading")}</h2>
        {document.archivedAt ? (
          <>
            <p>{t("drafts.archivedSince", { date: formatTimestamp(i18n.language, document.archivedAt) })}</p>
            <Form method="post">
              <input type="hidden" name="intent" value="unarchive" />
              <button type="submit">{t("drafts.unarchive")}</button>
            </Form>
          </>
        ) : (
          <>
            <p>{t("drafts.archiveExplained")}</p>
            <Form method="post">
              <input type="hidden" name="intent" value="archive" />
              <button type="submit">{t("drafts.archive")}</button>
            </Form>
          </>
        )}
      </section>

      <section aria-labelledby="delete-heading">
        <h2 id="delete-heading">{t("drafts.deleteHeading")}</h2>
        {!empty ? (
          <p>{t("drafts.deleteNotEmpty")}</p>
        ) : !document.archivedAt ? (
          <p>{t("drafts.deleteArchiveFirst")}</p>
        ) : (
          <Form method="post" className="stacked-form">
            <input type="hidden" name="intent" value="delete" />
            <p>{t("drafts.deleteExplained")}</p>
            <label className="checkbox">
              <input type="checkbox" name="confirm" required /> {t("drafts.deleteConfirm", { title: document.title })}
            </label>
            <button type="submit">
              {t("drafts.delete")}
            </button>
          </Form>
        )}
      </section>
    </main>
  );
}
