import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";
import { useTranslation } from "#app/i18n/translation";

/** What a version route throws with its 404 when the document exists: enough to lead back to it. */
export interface VersionNotFoundData {
  document: { slug: string; title: string };
}

function documentOf(data: unknown): VersionNotFoundData["document"] | null {
  if (typeof data !== "object" || data === null || !("document" in data)) return null;
  const document = (data as Partial<VersionNotFoundData>).document;
  return typeof document?.slug === "string" && typeof document.title === "string" ? document : null;
}

/** The document a version route's 404 names, if it threw one: for the error page and for its title. */
export function notFoundDocument(error: unknown): VersionNotFoundData["document"] | null {
  return isRouteErrorResponse(error) && error.status === 404 ? documentOf(error.data) : null;
}

/**
 * The error page of the version and compare routes. A version number that does not exist is a dead end only if
 * the page says nothing more: it leads back to the draft and its versions when the document exists.
 */
export function VersionNotFound({ message }: { message: string }) {
  const error = useRouteError();
  const { t } = useTranslation();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  const document = notFoundDocument(error);
  return (
    <main id="main" className="page error-page">
      <h1>{notFound ? t("errors.notFoundTitle") : t("errors.genericTitle")}</h1>
      <p>{notFound ? (document ? message : t("errors.notFoundBody")) : t("errors.genericBody")}</p>
      <ul className="ways-back">
        {document ? (
          <>
            <li>
              <Link to={`/d/${document.slug}/versions`}>{t("versions.backToVersions", { title: document.title })}</Link>
            </li>
            <li>
              <Link to={`/d/${document.slug}`}>{t("versions.backToDraft")}</Link>
            </li>
          </>
        ) : null}
        <li>
          <Link to="/">{t("errors.backHome")}</Link>
        </li>
      </ul>
    </main>
  );
}
