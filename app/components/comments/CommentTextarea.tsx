import { useId, useState } from "react";
import { useTranslation } from "#app/i18n/translation";
import { COMMENT_MAX_LENGTH } from "#app/comments/types";

interface Props {
  label: string;
  name?: string;
  defaultValue?: string;
  /** Already translated. */
  error?: string | null;
  hint?: string;
  autoFocus?: boolean;
  max?: number;
}

/**
 * A labelled text area with a live character counter. It has no maxLength: a pasted text longer than allowed is
 * kept whole, the counter turns red and the server says what to shorten, so nothing typed is cut off silently.
 */
export function CommentTextarea({ label, name = "body", defaultValue = "", error, hint, autoFocus, max = COMMENT_MAX_LENGTH }: Props) {
  const { t } = useTranslation();
  const id = useId();
  const [length, setLength] = useState(defaultValue.length);
  const over = length > max;
  const describedBy = [hint ? `${id}-hint` : null, `${id}-counter`, error ? `${id}-error` : null].filter(Boolean).join(" ");
  return (
    <div className={error || over ? "field field--invalid" : "field"}>
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      ) : null}
      <textarea
        id={id}
        name={name}
        rows={4}
        defaultValue={defaultValue}
        required
        // Focus moves here when the person asked for this form (a button press), never on page load.
        autoFocus={autoFocus}
        aria-invalid={error || over ? true : undefined}
        aria-describedby={describedBy}
        onInput={(event) => setLength(event.currentTarget.value.replace(/\r\n?/g, "\n").length)}
      />
      <p id={`${id}-counter`} className={over ? "counter counter--over" : "counter"}>
        {t("comments.counter", { count: length, max })}
      </p>
    </div>
  );
}
