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
  type DraftField,
  type DraftFieldErrors,
  type DraftFormValues,
  type DraftImportReview,
} from "#app/drafts/types";
import { describeImportError, describeImportNote, type ImportErrorCode } from "#app/drafts/import-report";
import { requirePermission } from "#app/http/auth.server";
import { LOCALES } from "#app/i18n/i18n";
import { pageTitle } from "#app/i18n/title";
import { useTranslation } from "#app/i18n/translation";
import { confirmDraftImport, discardDraftImport, prepareDraftImport, startsFromFile } from "#app/models/draft-imports.server";
import { createDraft } from "#app/models/drafts.server";
import { readForm } from "#app/models/forms.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "newDraft");

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, "create-draft");
  return null;
}

/**
 * What the action answers when no draft was created: the form again with what is wrong, or, once a file is converted,
 * its review (the import report and an outline), with the title and slug to confirm.
 */
interface NewDraftState {
  fieldErrors: DraftFieldErrors;
  /** Why the file was refused; shown at the file field. */
  importError?: ImportErrorCode;
  values: DraftFormValues;
  review?: DraftImportReview;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const current = await requirePermission(request, context, "create-draft");
  const { fields, files, refused } = await readForm(request);
  const values: DraftFormValues = { title: fields.title, slug: fields.slug, language: fields.language, contributionLicence: fields.contributionLicence, source: fields.source };
  const answer = (state: Omit<NewDraftState, "values"> & { values?: DraftFormValues }, status = 400) => Response.json({ values, ...state } satisfies NewDraftState, { status });
  const deps = context.services;
  if (refused) return answer({ fieldErrors: { [isDraftField(refused) ? refused : "title"]: "control-characters" } });

  // The second step: the file was converted and reviewed; create the draft from it, or go back for another file.
  if (fields.importId !== undefined) {
    if (fields.intent === "another") {
      await discardDraftImport(deps, fields.importId, current);
      // The title and slug were likely the file's own: the next file proposes its own.
      return answer({ fieldErrors: {}, values: { ...values, title: undefined, slug: undefined } }, 200);
    }
    const confirmed = await confirmDraftImport(deps, { importId: fields.importId, fields: values, createdBy: current });
    if (confirmed.ok) return redirect(`/d/${confirmed.document.slug}`);
    if (confirmed.error === "not-allowed") return answer({ fieldErrors: {} }, 403);
    return answer({ fieldErrors: confirmed.fieldErrors, review: confirmed.review });
  }

  if (startsFromFile(fields.source, files.file)) {
    const prepared = await prepareDraftImport(deps, { fields: values, file: files.file, createdBy: current });
    if (prepared.ok) return answer({ fieldErrors: prepared.fieldErrors, review: prepared.review, values: { ...values, title: prepared.title, slug: prepared.slug } }, 200);
    if (prepared.error === "not-allowed") return answer({ fieldErrors: {} }, 403);
    return answer({ fieldErrors: prepared.fieldErrors, importError: prepared.importError });
  }

  const result = await createDraft(deps, {
    title: fields.title ?? "",
    slug: fields.slug,
    language: fields.language ?? "",
    contributionLicence: fields.contributionLicence ?? "",
    createdBy: current,
  });
  if (result.ok) return redirect(`/d/${result.document.slug}`);
  return answer({ fieldErrors: result.error === "invalid-input" ? result.fieldErrors : {} }, result.error === "not-allowed" ? 403 : 400);
}

const FIELD_ORDER: readonly DraftField[] = ["title", "slug", "language", "contributionLicence", "source", "file"];

export default function NewDraft() {
  const state = useActionData<NewDraftState>();
  // Keyed, so that each step's fields start from the values the action answered with.
  return state?.review ? <ReviewImport key={state.review.id} state={state} review={state.review} /> : <ChooseSource key="choose" state={state} />;
}

/** The text of a field's error code, or undefined. */
function useFieldError(fieldErrors: DraftFieldErrors, importError?: ImportErrorCode) {
  const { t } = useTranslation();
  return (field: DraftField) => {
    if (field === "file" && importError) return describeImportError(importError, t);
    const code = fieldErrors[field];
    return code ? t(`drafts.errors.${code}`, { max: DRAFT_SOURCE_MAX_BYTES / (1024 * 1024) }) : undefined;
  };
}

/** The first step: the draft's facts and what it starts from. */
function ChooseSource({ state }: { state: NewDraftState | undefined }) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  const fieldErrors: DraftFieldErrors = { ...state?.fieldErrors, ...(state?.importError ? { file: "invalid" as const } : {}) };
  const values = state?.values ?? {};
  const fieldError = useFieldError(fieldErrors, state?.importError);
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
  }, [state, firstInvalid]);

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
          maxLength={DRAFT_TITLE_MAX_LENGTH}
          hint={t("drafts.hints.title")}
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

/** The second step: what the import could not keep, an outline of the text, and the title and slug to confirm. */
function ReviewImport({ state, review }: { state: NewDraftState; review: DraftImportReview }) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  const { fieldErrors, values } = state;
  const fieldError = useFieldError(fieldErrors);
  const heading = useRef<HTMLHeadingElement>(null);
  const form = useRef<HTMLFormElement>(null);
  const notKeptId = useId();
  const previewId = useId();
  const firstInvalid = (["title", "slug", "file"] as const).find((field) => fieldErrors[field]);

  // With a script the page is not reloaded: start the keyboard and screen reader at the review, or at what to mend.
  useEffect(() => {
    if (firstInvalid === undefined) heading.current?.focus();
    else form.current?.querySelector<HTMLElement>(`[name="${firstInvalid}"]`)?.focus();
  }, [state, firstInvalid]);

  return (
    <main id="main" className="page narrow">
      <p>
        <Link to="/">{t("drafts.allDrafts")}</Link>
      </p>
      <h1 ref={heading} tabIndex={-1}>
        {t("draftImport.reviewTitle")}
      </h1>
      <p>{t("draftImport.reviewIntro", { fileName: review.fileName })}</p>
      {firstInvalid ? (
        <p role="alert" className="form-error">
          {fieldErrors.file ? fieldError("file") : t("drafts.errors.summary")}
        </p>
      ) : null}
      <section aria-labelledby={notKeptId}>
        <h2 id={notKeptId}>{t("draftImport.notKeptHeading")}</h2>
        {review.report.notes.length > 0 ? (
          <ul>
            {review.report.notes.map((note) => (
              <li key={note.kind}>{describeImportNote(note, t)}</li>
            ))}
          </ul>
        ) : (
          <p>{t("draftImport.everythingKept")}</p>
        )}
      </section>
      <section aria-labelledby={previewId}>
        <h2 id={previewId}>{t("draftImport.previewHeading")}</h2>
        <p>{t("draftImport.blockCount", { count: review.blockCount })}</p>
        {review.headings.length > 0 ? (
          <ol className="import-outline" aria-label={t("draftImport.headingsLabel")}>
            {review.headings.map((outlineHeading, index) => (
              <li key={index} className={`import-outline__level-${outlineHeading.level}`}>
                <span className="visually-hidden">{t("draftImport.headingLevel", { level: outlineHeading.level })} </span>
                {outlineHeading.text}
              </li>
            ))}
          </ol>
        ) : null}
        {review.moreHeadings ? <p>{t("draftImport.moreHeadings")}</p> : null}
      </section>
      <Form method="post" className="stacked-form" ref={form}>
        <input type="hidden" name="importId" value={review.id} />
        <input type="hidden" name="language" value={values.language ?? ""} />
        <input type="hidden" name="contributionLicence" value={values.contributionLicence ?? ""} />
        <input type="hidden" name="source" value={values.source ?? ""} />
        <Field
          label={t("drafts.fields.title")}
          name="title"
          required
          maxLength={DRAFT_TITLE_MAX_LENGTH}
          hint={t("draftImport.titleHint")}
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
        <div className="form-actions">
          <button type="submit" name="intent" value="create" className="primary" disabled={navigation.state === "submitting"}>
            {t("drafts.create")}
          </button>
          <button type="submit" name="intent" value="another" formNoValidate disabled={navigation.state === "submitting"}>
            {t("draftImport.chooseAnother")}
          </button>
        </div>
      </Form>
    </main>
  );
}
