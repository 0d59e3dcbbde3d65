import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useMatches,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { useEffect, type ReactNode } from "react";
import { skipAfterNetworkFailure } from "#app/components/revalidation";
import { useNonce } from "#app/components/nonce";
import { COMMENTS_TARGET, wantsSkipToComments } from "#app/components/skip-links";
import { DEFAULT_LOCALE, LOCALES, type Locale } from "#app/i18n/i18n";
import { pageTitle } from "#app/i18n/title";
import { TranslationProvider, useTranslation } from "#app/i18n/translation";
import { localeFromRequest } from "#app/i18n/locale.server";
import { getCurrentSession } from "#app/http/auth.server";
import { can } from "#app/models/authorization.server";
import { countUnread } from "#app/models/notifications.server";
import stylesheet from "#app/styles/app.css?url";
import { SiteFooter } from "#app/components/SiteFooter";

// Inline icon: no extra request, and no 404 for browsers that ask for one.
const ICON =
  "data:image/svg+xml," +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#1f5f99"/><path d="M8 11h16M8 16h16M8 21h10" stroke="#fff" stroke-width="3" stroke-linecap="round"/></svg>',
  );

export const links: LinksFunction = () => [
  { rel: "icon", href: ICON, type: "image/svg+xml" },
  { rel: "stylesheet", href: stylesheet },
];

/** Used only where no route below gives a title: the error page of an address that matches no route. */
export const meta: MetaFunction = ({ error, matches }) =>
  pageTitle(matches, isRouteErrorResponse(error) && error.status === 404 ? "notFound" : "error");

export const shouldRevalidate = skipAfterNetworkFailure;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const current = await getCurrentSession(request, context);
  const viewer = current
    ? {
        name: current.user.name,
        role: current.role,
        canManageAccounts: can(current.role, "manage-accounts"),
        unreadNotifications: await countUnread(context.services.db, current.user.id),
      }
    : null;
  return { locale: localeFromRequest(request), viewer };
}

type Viewer = Awaited<ReturnType<typeof loader>>["viewer"];

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const locale: Locale = data?.locale ?? DEFAULT_LOCALE;
  const nonce = useNonce();
  // Marks the page as running its scripts, for the browser tests (and styles) that need to know. Set on the element,
  // not through state: state would render the page's whole frame (header, title, footer) a second time right after
  // hydrating, which a slow phone pays for before it answers the first tap (npm run bench:reader).
  useEffect(() => {
    document.documentElement.dataset.hydrated = "";
  }, []);
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <TranslationProvider locale={locale}>
          <SiteHeader locale={locale} viewer={data?.viewer ?? null} />
          {children}
          <SiteFooter locale={locale} />
        </TranslationProvider>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

function SiteHeader({ locale, viewer }: { locale: Locale; viewer: Viewer }) {
  const { t } = useTranslation();
  const location = useLocation();
  const returnTo = location.pathname + location.search + location.hash;
  const skipToComments = useMatches().some((match) => wantsSkipToComments(match.handle));
  return (
    <header className="site-header">
      <a className="skip-link" href="#main">
        {t("app.skipToContent")}
      </a>
      {skipToComments ? (
        <a className="skip-link" href={`#${COMMENTS_TARGET}`}>
          {t("app.skipToComments")}
        </a>
      ) : null}
      <nav aria-label={t("app.mainNavigation")} className="site-nav">
        <Link to="/" className="site-name">
          {t("app.name")}
        </Link>
        <div className="account-nav">
          {viewer ? (
            <>
              <Link to="/account">{t("auth.signedInAs", { name: viewer.name })}</Link>
              <Link to="/my-feedback">{t("myFeedback.headerLink")}</Link>
              <Link to="/notifications">
                {viewer.unreadNotifications > 0
                  ? `${t("notifications.headerLink")} (${t("notifications.unread", { count: viewer.unreadNotifications })})`
                  : t("notifications.headerLink")}
              </Link>
              {viewer.canManageAccounts ? <Link to="/admin/accounts">{t("admin.accountsTitle")}</Link> : null}
              <Form method="post" action="/sign-out">
                <button type="submit">{t("auth.signOut")}</button>
              </Form>
            </>
          ) : (
            <>
              <Link to={`/sign-in?redirectTo=${encodeURIComponent(location.pathname)}`}>{t("auth.signIn")}</Link>
              <Link to="/sign-up">{t("auth.signUp")}</Link>
            </>
          )}
        </div>
        <Form method="post" action="/language" className="language-switch">
          <input type="hidden" name="returnTo" value={returnTo} />
          <span id="language-label" className="visually-hidden">
            {t("language.change")}
          </span>
          {LOCALES.map((option) => (
            <button
              key={option}
              type="submit"
              name="locale"
              value={option}
              lang={option}
              aria-pressed={option === locale}
              aria-describedby="language-label"
            >
              {t(`language.${option}`)}
            </button>
          ))}
        </Form>
      </nav>
    </header>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const { t } = useTranslation();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  return (
    <main id="main" className="page error-page">
      <h1>{notFound ? t("errors.notFoundTitle") : t("errors.genericTitle")}</h1>
      <p>{notFound ? t("errors.notFoundBody") : t("errors.genericBody")}</p>
      <p>
        <Link to="/">{t("errors.backHome")}</Link>
      </p>
    </main>
  );
}
