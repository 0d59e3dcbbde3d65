import { Form } from "@remix-run/react";
import { useId } from "react";
import { useTranslation } from "#app/i18n/translation";
import {
  MEETING_URL_MAX_LENGTH,
  WORKSHOP_DESCRIPTION_MAX_LENGTH,
  WORKSHOP_ORGANISERS_MAX_LENGTH,
  WORKSHOP_TITLE_MAX_LENGTH,
  type WorkshopField,
  type WorkshopFieldErrors,
  type WorkshopFormValues,
} from "#app/workshops/types";
import { Field } from "./Field";

interface WorkshopFormProps {
  /** What the form shows: the stored workshop, or what was typed when it was refused. */
  values?: Partial<WorkshopFormValues>;
  fieldErrors?: WorkshopFieldErrors;
  submitLabel: string;
}

/** The workshop's facts, for creating one and for editing it. Works without JavaScript. */
export function WorkshopForm({ values = {}, fieldErrors = {}, submitLabel }: WorkshopFormProps) {
  const { t } = useTranslation();
  const descriptionId = useId();
  const fieldError = (field: WorkshopField) => {
    const code = fieldErrors[field];
    return code ? t(`workshop.errors.${code}`) : undefined;
  };
  const descriptionError = fieldError("description");
  return (
    <>
      {Object.keys(fieldErrors).length > 0 ? (
        <p role="alert" className="form-error">
          {t("workshop.errors.summary")}
        </p>
      ) : null}
      <Form method="post" className="stacked-form">
        <Field
          label={t("workshop.fields.title")}
          name="title"
          required
          maxLength={WORKSHOP_TITLE_MAX_LENGTH}
          defaultValue={values.title}
          error={fieldError("title")}
        />
        <Field
          label={t("workshop.fields.date")}
          name="date"
          type="date"
          required
          hint={t("workshop.hints.date")}
          defaultValue={values.date}
          error={fieldError("date")}
        />
        <Field
          label={t("workshop.fields.startTime")}
          name="startTime"
          type="time"
          required
          hint={t("workshop.hints.time")}
          defaultValue={values.startTime}
          error={fieldError("startTime")}
        />
        <Field
          label={t("workshop.fields.endTime")}
          name="endTime"
          type="time"
          required
          hint={t("workshop.hints.time")}
          defaultValue={values.endTime}
          error={fieldError("endTime")}
        />
        <div className={descriptionError ? "field field--invalid" : "field"}>
          <label htmlFor={descriptionId}>{t("workshop.fields.description")}</label>
          {descriptionError ? (
            <p id={`${descriptionId}-error`} className="field-error">
              {descriptionError}
            </p>
          ) : null}
          <textarea
            id={descriptionId}
            name="description"
            rows={5}
            maxLength={WORKSHOP_DESCRIPTION_MAX_LENGTH}
            defaultValue={values.description}
            aria-invalid={descriptionError ? true : undefined}
            aria-describedby={descriptionError ? `${descriptionId}-error` : undefined}
          />
        </div>
        <Field
          label={t("workshop.fields.organisers")}
          name="organisers"
          maxLength={WORKSHOP_ORGANISERS_MAX_LENGTH}
          hint={t("workshop.hints.organisers")}
          defaultValue={values.organisers}
          error={fieldError("organisers")}
        />
        <Field
          label={t("workshop.fields.meetingUrl")}
          name="meetingUrl"
          type="url"
          inputMode="url"
          maxLength={MEETING_URL_MAX_LENGTH}
          hint={t("workshop.hints.meetingUrl")}
          defaultValue={values.meetingUrl}
          error={fieldError("meetingUrl")}
        />
        <button type="submit" className="primary">
          {submitLabel}
        </button>
      </Form>
    </>
  );
}
