import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
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

export async function loader({ params, context }: LoaderFunctionArgs) {
  const page = await loadDocumentPage(context.services, params.slug ?? "");
  if (!page) throw new Response("Not found", { status: 404 });
  return page;
}

export default function DocumentRoute() {
  const { document, content } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const hydrated = useHydrated();
  const [live, setLive] = useState(false);
  const onLive = useCallback((isLive: boolean) => setLive(isLive), []);

  return (
    <main id="main" className="page document-page">
      {hydrated ? (
        <Suspense fallback={null}>
          <CollaborativeEditor key={document.id} documentId={document.id} language={document.language} onLive={onLive} />
        </Suspense>
      ) : (
        <noscript>
          <p className="note">{t("document.readingNote")}</p>
        </noscript>
      )}
      {live ? null : (
        <div lang={document.language}>
          <StaticDocument content={content} />
        </div>
      )}
    </main>
  );
}
