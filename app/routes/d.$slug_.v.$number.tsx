import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { StaticDocument } from "~/editor/StaticDocument";
import { formatTimestamp } from "~/i18n/format";
import { useTranslation } from "~/i18n/translation";
import { loadVersionContent } from "~/models/versions.server";
import { findDocumentBySlug } from "#db/repositories/documents";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.version.name} – ${data.document.title} – Samråd` : "Samråd" },
];

/** A frozen version, read-only, at a stable address. */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const document = await findDocumentBySlug(context.services.db, params.slug ?? "");
  const loaded = document ? await loadVersionContent(context.services.db, document.id, Number(params.number)) : null;
  if (!document || !loaded) throw new Response("Not found", { status: 404 });
  const { version, content } = loaded;
  return {
    document: { slug: document.slug, title: document.title, language: document.language },
    version: { number: version.number, name: version.name, changeNote: version.change_note, createdAt: version.created_at.toISOString() },
    content,
  };
}

export default function Version() {
  const { t, i18n } = useTranslation();
  const { document, version, content } = useLoaderData<typeof loader>();
  return (
    <main id="main" className="page">
      <div className="note version-banner" role="note">
        <p>{t("versions.banner", { number: version.number, name: version.name, date: formatTimestamp(i18n.language, version.createdAt) })}</p>
        <p>
          <Link to={`/d/${document.slug}`}>{t("versions.backToDraft")}</Link> ·{" "}
          <Link to={`/d/${document.slug}/compare?from=${version.number}&to=live`}>{t("versions.compareWithLive")}</Link> ·{" "}
          <Link to={`/d/${document.slug}/versions`}>{t("versions.title", { title: document.title })}</Link>
        </p>
      </div>
      <div lang={document.language}>
        <StaticDocument content={content} />
      </div>
    </main>
  );
}
