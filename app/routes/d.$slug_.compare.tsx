import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/i18n/translation";
import { requireDocument } from "~/models/document.server";
import { blocksOf, parseVersionRef } from "~/models/versions.server";
import { diffVersions, type BlockChange } from "~/versions/diff";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.document.title} – Samråd` : "Samråd" }];

/** `/d/<slug>/compare?from=2&to=live`: what changed between two versions, or a version and the live draft. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const document = await requireDocument(context, params.slug);
  const url = new URL(request.url);
  const from = parseVersionRef(url.searchParams.get("from"));
  const to = parseVersionRef(url.searchParams.get("to") ?? "live");
  const [before, after] = await Promise.all([
    from === null ? null : blocksOf(context.services, document.id, from),
    to === null ? null : blocksOf(context.services, document.id, to),
  ]);
  if (from === null || to === null || !before || !after) throw new Response("Not found", { status: 404 });
  const diff = diffVersions(before, after);
  return {
    document: { slug: document.slug, title: document.title, language: document.language },
    from,
    to,
    summary: diff.summary,
    // Unchanged blocks are left out: the page is about what changed.
    changes: diff.changes.filter((change) => change.kind !== "unchanged"),
  };
}

export default function Compare() {
  const { t } = useTranslation();
  const { document, from, to, summary, changes } = useLoaderData<typeof loader>();
  const name = (ref: number | "live") => (ref === "live" ? t("compare.live") : t("compare.version", { number: ref }));
  return (
    <main id="main" className="page">
      <p>
        <Link to={`/d/${document.slug}/versions`}>{t("versions.title", { title: document.title })}</Link>
      </p>
      <h1>{t("compare.title", { from: name(from), to: name(to) })}</h1>
      {changes.length === 0 ? (
        <p className="note">{t("compare.none")}</p>
      ) : (
        <p className="lead">
          {t("compare.summary", {
            sections: summary.sectionsChanged,
            edited: summary.edited,
            added: summary.added,
            removed: summary.removed,
            moved: summary.moved,
          })}
        </p>
      )}
      <ol className="change-list" lang={document.language}>
        {changes.map((change, index) => (
          <li key={`${change.kind}:${change.block.id}:${index}`} id={`change-${index + 1}`} className={`change change--${change.kind}`}>
            <ChangeView change={change} />
          </li>
        ))}
      </ol>
    </main>
  );
}

function ChangeView({ change }: { change: BlockChange }) {
  const { t } = useTranslation();
  switch (change.kind) {
    case "added":
      return (
        <>
          <p className="change__kind">
            {t("compare.added")}
            {change.splitFrom ? ` (${t("compare.splitFrom")})` : ""}
          </p>
          <ins>{change.block.text}</ins>
        </>
      );
    case "removed":
      return (
        <>
          <p className="change__kind">
            {t("compare.removed")}
            {change.mergedInto ? ` (${t("compare.mergedInto")})` : ""}
          </p>
          <del>{change.block.text}</del>
        </>
      );
    case "moved":
      return (
        <>
          <p className="change__kind">{t("compare.moved")}</p>
          <p>{change.block.text}</p>
        </>
      );
    case "changed":
      return (
        <>
          <p className="change__kind">{change.moved ? `${t("compare.changed")}, ${t("compare.moved").toLowerCase()}` : t("compare.changed")}</p>
          <p>
            {change.words.map((word, index) =>
              word.kind === "added" ? <ins key={index}>{word.text}</ins> : word.kind === "removed" ? <del key={index}>{word.text}</del> : word.text,
            )}
          </p>
        </>
      );
    case "unchanged":
      return <p>{change.block.text}</p>;
  }
}
