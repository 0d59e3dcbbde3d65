import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import { lazy, Suspense, useCallback, useState } from "react";
import { useTranslation } from "react-i18next";
import { useHydrated } from "~/components/use-hydrated";
import { StaticDocument } from "~/editor/StaticDocument";
import { loadDocumentPage } from "~/models/document.server";

// The editor (Tiptap, Yjs, the websocket client) is only needed once the page is interactive.
const CollaborativeEditor = lazy(() =>
  import("~/editor/CollaborativeEditor").then((module) => ({ default: module.CollaborativeEditor })),
);

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.document.title} – Samråd` : "Samråd" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const page = await loadDocumentPage(request, context, params.slug ?? "");
  if (!page) throw new Response("Not found", { status: 404 });
  return page;
}

export default function DocumentRoute() {
  const { document, content, access, identity } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const location = useLocation();
  const hydrated = useHydrated();
  const [live, setLive] = useState(false);
  const onLive = useCallback((isLive: boolean) => setLive(isLive), []);

  return (
    <main id="main" className="page document-page">
      {access.canEdit ? null : (
        <p className="note" id="read-only-note">
          {access.signedIn ? t("document.readOnlyMember") : t("document.readOnlyVisitor")}{" "}
          {access.signedIn ? null : <Link to={`/sign-in?redirectTo=${encodeURIComponent(location.pathname)}`}>{t("auth.signIn")}</Link>}
        </p>
      )}
      {hydrated ? (
        <Suspense fallback={null}>
          <CollaborativeEditor key={document.id} documentId={document.id} language={document.language} identity={identity} onLive={onLive} />
        </Suspense>
      ) : access.canEdit ? (
        <noscript>
          <p className="note">{t("document.readingNote")}</p>
        </noscript>
      ) : null}
      {live ? null : (
        <div lang={document.language}>
          <StaticDocument content={content} />
        </div>
      )}
    </main>
  );
}
