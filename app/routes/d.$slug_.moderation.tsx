import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "#app/i18n/translation";
import { CommentBody } from "#app/components/comments/CommentBody";
import { CommentTextarea } from "#app/components/comments/CommentTextarea";
import { Timestamp } from "#app/components/comments/Timestamp";
import { REASON_MAX_LENGTH } from "#app/comments/types";
import { requirePermission } from "#app/http/auth.server";
import { loadModerationQueue, moderate, type ModerationResult } from "#app/models/comments/moderation.server";
import { requireDocument } from "#app/http/document.server";
import { readForm } from "#app/models/forms.server";
import { pageTitle } from "#app/i18n/title";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageTitle(matches, "moderation", data?.document.title);

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, "moderate-comments");
  const document = await requireDocument(context, params.slug);
  return {
    document: { slug: document.slug, title: document.title },
    flags: await loadModerationQueue(context.services.db, document.id),
    now: new Date().toISOString(),
  };
}

type ModerationAnswer = ModerationResult | { ok: false; flagId: string; error: "control-characters" };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const current = await requirePermission(request, context, "moderate-comments");
  const document = await requireDocument(context, params.slug);
  const { fields, refused } = await readForm(request);
  const result: ModerationAnswer = refused
    ? { ok: false, flagId: fields.flagId ?? "", error: "control-characters" }
    : await moderate(context.services, current, document.id, fields, { ip: context.clientIp });
  if (result.ok) return result;
  return Response.json({ ...result, reason: fields.reason ?? "" }, { status: result.error === "flag-not-found" ? 409 : 400 });
}

export default function Moderation() {
  const { t } = useTranslation();
  const { document, flags, now } = useLoaderData<typeof loader>();
  const result = useActionData<ModerationAnswer & { reason?: string }>();
  const navigation = useNavigation();
  const failed = result && !result.ok ? result : null;
  return (
    <main id="main" className="page">
      <p>
        <Link to={`/d/${document.slug}`}>{t("moderation.backToDraft")}</Link>
      </p>
      <h1>{t("moderation.title")}</h1>
      <p className="lead">{t("moderation.intro")}</p>
      {result?.ok ? (
        <p role="status" className="note">
          {t("moderation.done")}
        </p>
      ) : null}
      {failed && !flags.some((flag) => flag.id === failed.flagId) ? (
        <p role="alert" className="form-error">
          {t(`moderation.errors.${failed.error}`, { max: REASON_MAX_LENGTH })}
        </p>
      ) : null}
      {flags.length === 0 ? <p>{t("moderation.empty")}</p> : null}
      <ol className="thread-list">
        {flags.map((flag) => {
          const error = failed?.flagId === flag.id ? t(`moderation.errors.${failed.error}`, { max: REASON_MAX_LENGTH }) : null;
          return (
            <li key={flag.id}>
              <article className="thread" aria-labelledby={`flag-${flag.id}`}>
                <h2 id={`flag-${flag.id}`} className="thread__title">
                  {t("moderation.comment", { name: flag.commentAuthorName })}
                </h2>
                <CommentBody text={flag.commentBody} />
                <p className="thread__summary">
                  {t("moderation.flaggedBy", { name: flag.flaggedByName })} · <Timestamp instant={flag.createdAt} now={now} />
                </p>
                <p>{t("moderation.reason", { reason: flag.reason })}</p>
                <Form method="post" className="stacked-form">
                  <input type="hidden" name="flagId" value={flag.id} />
                  <CommentTextarea
                    label={t("moderation.hideReason")}
                    name="reason"
                    max={REASON_MAX_LENGTH}
                    defaultValue={failed?.flagId === flag.id ? failed.reason : undefined}
                    error={error}
                  />
                  <div className="form-actions">
                    <button type="submit" name="intent" value="hide" className="primary" disabled={navigation.state !== "idle"}>
                      {t("moderation.hide")}
                    </button>
                    {/* Dismissing needs no reason: the browser must not insist on the field. */}
                    <button type="submit" name="intent" value="dismiss" formNoValidate disabled={navigation.state !== "idle"}>
                      {t("moderation.dismiss")}
                    </button>
                  </div>
                </Form>
              </article>
            </li>
          );
        })}
      </ol>
    </main>
  );
}
