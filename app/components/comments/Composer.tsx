import { useEffect, useId, useRef, useState } from "react";
import { useTranslation } from "#app/i18n/translation";
import type { Licence } from "#app/comments/licences";
import { COMMENT_MAX_LENGTH, POSITIONS } from "#app/comments/types";
import { CommentTextarea } from "./CommentTextarea";
import { FormMessage, useFailureMessage } from "./FormMessage";
import { LicenceConsent, LicenceNotice } from "./Licence";
import { useCommentForm } from "./use-comment-form";

/** What a new thread is about: a block, or a passage of it (offsets in the block's text as this page sees it). */
export interface ComposeTarget {
  blockId: string;
  reference: string;
  passage: { from: number; to: number; exact: string } | null;
}

interface Props {
  target: ComposeTarget;
  licence: Licence;
  mustAcceptLicence: boolean;
  /** Whether the page runs JavaScript: without it the action redirects to the new comment after posting. */
  enhanced: boolean;
  onCancel?: () => void;
  onPosted: (threadId: string) => void;
}

export function Composer({ target, licence, mustAcceptLicence, enhanced, onCancel, onPosted }: Props) {
  const { t } = useTranslation();
  const { fetcher, failure, busy } = useCommentForm("new-thread", (result) => onPosted(result.threadId));
  const message = useFailureMessage(failure);
  const [kind, setKind] = useState<"comment" | "suggestion">(failure?.values?.kind === "suggestion" ? "suggestion" : "comment");
  const suggesting = kind === "suggestion";
  return (
    // On a phone a passage's box is a sheet at the bottom of the screen, under the selection (see app.css).
    <section className={target.passage ? "composer composer--passage" : "composer"} id="new-comment" aria-labelledby="new-comment-title">
      <h3 id="new-comment-title">{target.reference ? t("comments.newTitle", { reference: target.reference }) : t("comments.newTitleNoBlock")}</h3>
      <fetcher.Form method="post" className="stacked-form">
        <input type="hidden" name="intent" value="create-thread" />
        <input type="hidden" name="enhanced" value={enhanced ? "1" : ""} />
        <input type="hidden" name="blockId" value={target.blockId} />
        {target.passage ? (
          <>
            <input type="hidden" name="from" value={target.passage.from} />
            <input type="hidden" name="to" value={target.passage.to} />
            <input type="hidden" name="exact" value={target.passage.exact} />
            <figure className="quote">
              <figcaption>{t("comments.quoteLabel")}</figcaption>
              <blockquote>{target.passage.exact}</blockquote>
            </figure>
          </>
        ) : (
          <p className="hint">{t("comments.wholeBlock")}</p>
        )}
        <FormMessage message={message(null)} />
        <fieldset className="positions">
          <legend>{t("suggestions.kindLegend")}</legend>
          <label className="checkbox">
            <input type="radio" name="kind" value="comment" checked={!suggesting} onChange={() => setKind("comment")} />
            {t("suggestions.kindComment")}
          </label>
          <label className="checkbox">
            <input type="radio" name="kind" value="suggestion" checked={suggesting} onChange={() => setKind("suggestion")} />
            {t("suggestions.kindSuggestion")}
          </label>
        </fieldset>
        {/* Without JavaScript the choice cannot show or hide it, so it is there; the server ignores it for a comment. */}
        {suggesting || !enhanced ? (
          <SuggestionTextarea
            label={t("suggestions.textLabel")}
            hint={t("suggestions.textHint")}
            defaultValue={failure?.values?.suggestion ?? target.passage?.exact}
            fillFromBlock={target.passage ? undefined : target.blockId}
            error={message("suggestion")}
          />
        ) : null}
        <CommentTextarea
          label={suggesting ? t("suggestions.reasonLabel") : t("comments.bodyLabel")}
          hint={t("comments.bodyHint")}
          defaultValue={failure?.values?.body}
          error={message("body")}
          autoFocus={enhanced}
        />
        <PositionField />
        {mustAcceptLicence ? <LicenceConsent licence={licence} error={message("acceptLicence")} /> : <LicenceNotice licence={licence} />}
        <div className="form-actions">
          <button type="submit" className="primary" disabled={busy}>
            {suggesting ? t("suggestions.publish") : t("comments.publish")}
          </button>
          {onCancel ? (
            <button type="button" onClick={onCancel}>
              {t("comments.cancel")}
            </button>
          ) : null}
        </div>
      </fetcher.Form>
    </section>
  );
}

/** Supports, opposes, neutral or none: optional, so "none" is checked unless the person picks one. */
export function PositionField() {
  const { t } = useTranslation();
  return (
    <fieldset className="positions">
      <legend>{t("comments.positionLegend")}</legend>
      <label className="checkbox">
        <input type="radio" name="position" value="" defaultChecked />
        {t("comments.positions.none")}
      </label>
      {POSITIONS.map((position) => (
        <label className="checkbox" key={position}>
          <input type="radio" name="position" value={position} />
          {t(`comments.positions.${position}`)}
        </label>
      ))}
    </fieldset>
  );
}

interface SuggestionTextareaProps {
  label: string;
  hint: string;
  defaultValue: string | undefined;
  /** Already translated. */
  error: string | null;
  /** A block whose current text starts the box off when it has no text of its own (read from the page, with JavaScript). */
  fillFromBlock?: string;
}

/**
 * The wording a suggestion proposes. Unlike a comment it may be empty (a proposal to delete the text), so it is not
 * required; longer text than allowed is kept and refused by the server, as in CommentTextarea.
 */
export function SuggestionTextarea({ label, hint, defaultValue, error, fillFromBlock }: SuggestionTextareaProps) {
  const { t } = useTranslation();
  const id = useId();
  const ref = useRef<HTMLTextAreaElement>(null);
  const [length, setLength] = useState(defaultValue?.length ?? 0);
  useEffect(() => {
    const textarea = ref.current;
    if (!textarea || defaultValue !== undefined || fillFromBlock === undefined) return;
    textarea.value = document.getElementById(fillFromBlock)?.textContent ?? "";
    setLength(textarea.value.length);
  }, [defaultValue, fillFromBlock]);
  const over = length > COMMENT_MAX_LENGTH;
  return (
    <div className={error || over ? "field field--invalid" : "field"}>
      <label htmlFor={id}>{label}</label>
      <p id={`${id}-hint`} className="hint">
        {hint}
      </p>
      {error ? (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      ) : null}
      <textarea
        id={id}
        ref={ref}
        name="suggestion"
        rows={4}
        defaultValue={defaultValue}
        aria-invalid={error || over ? true : undefined}
        aria-describedby={[`${id}-hint`, `${id}-counter`, error ? `${id}-error` : null].filter(Boolean).join(" ")}
        onInput={(event) => setLength(event.currentTarget.value.replace(/\r\n?/g, "\n").length)}
      />
      <p id={`${id}-counter`} className={over ? "counter counter--over" : "counter"}>
        {t("comments.counter", { count: length, max: COMMENT_MAX_LENGTH })}
      </p>
    </div>
  );
}
