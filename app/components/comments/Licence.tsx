import { useId } from "react";
import { useTranslation } from "#app/i18n/translation";
import type { Licence } from "#app/comments/licences";

/** A licence by its name, linked to its text when Samråd knows where that is. */
export function LicenceName({ licence }: { licence: Licence }) {
  return licence.url ? (
    <a href={licence.url} rel="license noopener noreferrer">
      {licence.name}
    </a>
  ) : (
    <>{licence.name}</>
  );
}

/** Shown in every comment box: what publishing means. */
export function LicenceNotice({ licence }: { licence: Licence }) {
  const { t } = useTranslation();
  const [before, after = ""] = t("comments.licenceNotice", { licence: "\u0000" }).split("\u0000");
  return (
    <p className="hint licence-notice">
      {before}
      <LicenceName licence={licence} />
      {after}
    </p>
  );
}

/** For accounts that have not yet agreed (those made on the command line): asked once, with the first comment. */
export function LicenceConsent({ licence, error }: { licence: Licence; error: string | null }) {
  const { t } = useTranslation();
  const errorId = useId();
  const [before, after = ""] = t("comments.acceptLicence", { licence: "\u0000" }).split("\u0000");
  return (
    <div className={error ? "field field--invalid" : "field"}>
      {error ? (
        <p id={errorId} className="field-error">
          {error}
        </p>
      ) : null}
      <label className="checkbox">
        <input type="checkbox" name="acceptLicence" required aria-describedby={error ? errorId : undefined} />
        <span>
          {before}
          <LicenceName licence={licence} />
          {after}
        </span>
      </label>
    </div>
  );
}
