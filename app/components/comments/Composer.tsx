import { useTranslation } from "~/i18n/translation";
import type { Licence } from "~/comments/licences";
import { POSITIONS } from "~/comments/types";
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
  return (
    <section className="composer" id="new-comment" aria-labelledby="new-comment-title">
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
        <CommentTextarea
          label={t("comments.bodyLabel")}
          hint={t("comments.bodyHint")}
          defaultValue={failure?.values?.body}
          error={message("body")}
          autoFocus={enhanced}
        />
        <PositionField />
        {mustAcceptLicence ? <LicenceConsent licence={licence} error={message("acceptLicence")} /> : <LicenceNotice licence={licence} />}
        <div className="form-actions">
          <button type="submit" className="primary" disabled={busy}>
            {t("comments.publish")}
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
