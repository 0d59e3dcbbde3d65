import { useTranslation } from "#app/i18n/translation";
import { COMMENT_MAX_LENGTH, REASON_MAX_LENGTH, type CommentActionData } from "#app/comments/types";

type Failure = Extract<CommentActionData, { ok: false }>;

/** The translated message of a failed comment submission, for the field it names or `null` for the form. */
export function useFailureMessage(failure: Failure | null) {
  const { t } = useTranslation();
  return (field: Failure["field"]): string | null =>
    failure && failure.field === field ? t(`comments.errors.${failure.error}`, { max: field === "reason" ? REASON_MAX_LENGTH : COMMENT_MAX_LENGTH }) : null;
}

/** A form-level error, announced when it appears. */
export function FormMessage({ message }: { message: string | null }) {
  return message ? (
    <p className="form-error" role="alert">
      {message}
    </p>
  ) : null;
}
