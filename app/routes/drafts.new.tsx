import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { useEffect, useId, useRef } from "react";
import { Field } from "#app/components/Field";
import { CONTRIBUTION_LICENCE_IDS, licenceOf } from "#app/comments/licences";
import {
  DRAFT_SLUG_MAX_LENGTH,
  DRAFT_SOURCE_MAX_BYTES,
  DRAFT_SOURCES,
  DRAFT_TITLE_MAX_LENGTH,
  isDraftField,
  type DraftError,
  type DraftField,
  type DraftFieldErrors,
  type DraftFormValues,
} from "#app/drafts/types";
import { requirePermission } from "#app/http/auth.server";
import { LOCALES } from "#app/i18n/i18n";
import { pageTitle } from "#app/i18n/title";
import { useTranslation } from "#app/i18n/translation";
import { checkDraftSource, createDraft, validateDraft } from "#app/models/drafts.server";
import { readForm } from "#app/models/forms.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "newDraft");

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, "create-draft");
  return null;
}

type Refusal = DraftError & { values?: DraftFormValues };

export async function action({ request, context }: ActionFunctionArgs) {
  const current = await requirePermission(request, context, "create-draft");
  const { fields, files, refused } = await readForm(request);
  const values: DraftFormValues = { title: fields.title, slug: fields.slug, language: fields.language, contributionLicence: fields.contributionLicence, source: fields.source };
  const refuse = (fieldErrors: DraftFieldErrors) => Response.json({ ok: false, error: "invalid-input", fieldErrors, values } satisfies Refusal, { status: 400 });
  if (refused) return refuse({ [isDraftField(refused) ? refused : "title"]: "control-characters" });
  // The lead wires the Word and Markdown importers here: read files.file, convert it, and pass its content on.
  const sourceErrors = checkDraftSource(fields.source, files.file);
  if (Object.keys(sourceErrors).length > 0) {
    const valid = validateDraft(fields);
    return refuse({ ...(valid.ok ? {} : valid.fieldErrors), ...sourceErrors });
  }
  const result = await createDraft(context.services, {
    title: fields.title ?? "",
    slug: fields.slug,
    language: fields.language ?? "",
    contributionLicence: fields.contributionLicence ?? "",
    createdBy: current,
  });
  if (result.ok) return redirect(`/d/${result.document.slug}`);
  return Response.json({ ...result, values } satisfies Refusal, { status: result.error === "not-allowed" ? 403 : 400 });
}

const FIELD_ORDER: readonly DraftField[] = ["title", "slug", "language", "contributionLicence", "source", "file"];

export default function NewDraft() {
  const { t } = useTranslation();
  const result = useActionData<Refusal>();
  const navigation = useNavigation();
  const fieldErrors = result?.error === "invalid-input" ? result.fieldErrors : {};
  const values = result?.values ?? {};
  const fieldError = (field: DraftField) => {
    const code = fieldErrors[field];
    return code ? t(`drafts.errors.${code}`, { max: DRAFT_SOURCE_MAX_BYTES / (1024 * 1024) }) : undefined;
  };
  const form = useRef<HTMLFormElement>(null);
  const languageId = useId();
  const licenceId = useId();
  const sourceId = useId();
  const fileId = useId();
  const firstInvalid = FIELD_ORDER.find((field) => fieldErrors[field]);

  // With a script the page is not reloaded: take the keyboard to the first field to mend, as a reload would need.
  useEffect(() => {
    if (firstInvalid === undefined) return;
    form.current?.querySelector<HTMLElement>(`[name="${firstInvalid}"]`)?.focus();
  }, [result, firstInvalid]);

  const selectError = (id: string, field: DraftField) => {
    const error = fieldError(field);
    return error ? (
      <p id={`${id}-error`} className="field-error">
        {error}
      </p>
    ) : null;
  };
  const invalidProps = (id: string, field: DraftField, hinted = false) => ({
    "aria-invalid": fieldErrors[field] ? true : undefined,
    "aria-describedby": [hinted ? `${id}-hint` : null, fieldErrors[field] ? `${id}-error` : null].filter(Boolean).join(" ") || undefined,
  });

  return (
    <main id="main" className="page narrow">
      <p>
        <Link to="/">{t("drafts.allDrafts")}</Link>
      </p>
      <h1>{t("drafts.newTitle")}</h1>
      {firstInvalid ? (
        <p role="alert" className="form-error">
          {t("drafts.errors.summary")}
        </p>
      ) : null}
      <Form method="post" encType="multipart/form-data" className="stacked-form" ref={form}>
        <Field
          label={t("drafts.fields.title")}
          name="title"
          required
          maxLength={DRAFT_TITLE_MAX_LENGTH}
          defaultValue={values.title}
          error={fieldError("title")}
        />
        <Field
          label={t("drafts.fields.slug")}
          name="slug"
          maxLength={DRAFT_SLUG_MAX_LENGTH}
          pattern="[a-z0-9]+(-[a-z0-9]+)*"
          autoCapitalize="none"
          spellCheck={false}
          hint={t("drafts.hints.slug")}
          defaultValue={values.slug}
          error={fieldError("slug")}
        />
        <div className={fieldErrors.language ? "field field--invalid" : "field"}>
          <label htmlFor={languageId}>{t("drafts.fields.language")}</label>
          {selectError(languageId, "language")}
          <select id={languageId} name="language" defaultValue={values.language ?? "sv"} {...invalidProps(languageId, "language")}>
            {LOCALES.map((locale) => (
              <option key={locale} value={locale}>
                {t(`language.${locale}`)}
              </option>
            ))}
          </select>
        </div>
        <div className={fieldErrors.contributionLicence ? "field field--invalid" : "field"}>
          <label htmlFor={licenceId}>{t("drafts.fields.contributionLicence")}</label>
          <p id={`${licenceId}-hint`} className="hint">
            {t("drafts.hints.contributionLicence")}
          </p>
          {selectError(licenceId, "contributionLicence")}
          <select
            id={licenceId}
            name="contributionLicence"
            defaultValue={values.contributionLicence ?? CONTRIBUTION_LICENCE_IDS[0]}
            {...invalidProps(licenceId, "contributionLicence", true)}
          >
            {CONTRIBUTION_LICENCE_IDS.map((id) => (
              <option key={id} value={id}>
                {licenceOf(id).name}
              </option>
            ))}
          </select>
        </div>
        <fieldset className={fieldErrors.source ? "field-group field--invalid" : "field-group"} aria-describedby={fieldErrors.source ? `${sourceId}-error` : undefined}>
          <legend>{t("drafts.fields.source")}</legend>
          {selectError(sourceId, "source")}
          {DRAFT_SOURCES.map((source) => (
            <label key={source} className="checkbox">
              <input type="radio" name="source" value={source} defaultChecked={(values.source ?? "empty") === source} />{" "}
              {t(`drafts.sources.${source}`)}
            </label>
          ))}
        </fieldset>
        <div className={fieldErrors.file ? "field field--invalid" : "field"}>
          <label htmlFor={fileId}>{t("drafts.fields.file")}</label>
          <p id={`${fileId}-hint`} className="hint">
            {t("drafts.hints.file", { max: DRAFT_SOURCE_MAX_BYTES / (1024 * 1024) })}
          </p>
          {selectError(fileId, "file")}
          <input
            id={fileId}
            type="file"
            name="file"
            accept=".docx,.md,.markdown,application/vnd.openxmlformats-officedocument.wordprocessingml.document,text/markdown"
            {...invalidProps(fileId, "file", true)}
          />
        </div>
        <button type="submit" className="primary" disabled={navigation.state === "submitting"}>
          {t("drafts.create")}
        </button>
      </Form>
    </main>
  );
}
