import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { CompactThreadList } from "#app/components/comments/ThreadSummaryList";
import { changeElementId, useChangeKeys } from "#app/components/use-change-keys";
import { notFoundDocument, VersionNotFound } from "#app/components/VersionNotFound";
import { formatReference, type BlockReference } from "#app/comments/references";
import { pageTitle } from "#app/i18n/title";
import { Translated, useTranslation, type Translate } from "#app/i18n/translation";
import { requireDocument } from "#app/http/document.server";
import { loadThreadsOnChanges } from "#app/models/version-threads.server";
import { blocksOf, parseVersionRef, type VersionRef } from "#app/models/versions.server";
import { WordChanges } from "#app/components/WordChanges";
import { changeReferences, diffVersions, type BlockChange } from "#app/versions/diff";
import { phrases } from "#app/versions/phrases";
import { changesBySection, type SectionChanges } from "#app/versions/sections";
import type { ThreadSummary } from "#app/versions/threads";

export const meta: MetaFunction<typeof loader> = ({ data, error, matches }) =>
  data ? pageTitle(matches, "compare", data.document.title) : pageTitle(matches, "compareNotFound", notFoundDocument(error)?.title);

/** Inline (the default) shows each change once with its words marked; side by side shows before | after. */
const viewSchema = z.enum(["inline", "side-by-side"]).catch("inline");
type View = z.infer<typeof viewSchema>;

/**
 * `/d/<slug>/compare?from=2&to=live[&view=side-by-side]`: what changed between two versions, or a version and the
 * live draft, and under each change the comments that were on its text before.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const document = await requireDocument(context, params.slug);
  const url = new URL(request.url);
  const from = parseVersionRef(url.searchParams.get("from"));
  const to = parseVersionRef(url.searchParams.get("to") ?? "live");
  const [before, after] = await Promise.all([
    from === null ? null : blocksOf(context.services, document.id, from),
    to === null ? null : blocksOf(context.services, document.id, to),
  ]);
  if (from === null || to === null || !before || !after) {
    throw data({ document: { slug: document.slug, title: document.title } }, { status: 404 });
  }
  const diff = diffVersions(before, after);
  const references = changeReferences(before, after, diff.changes);
  const threads = await loadThreadsOnChanges(context.services, document.id, { from, to, before, changes: diff.changes });
  return {
    document: { slug: document.slug, title: document.title, language: document.language },
    from,
    to,
    view: viewSchema.parse(url.searchParams.get("view") ?? undefined),
    summary: diff.summary,
    sections: changesBySection(diff.changes),
    // Unchanged blocks are left out: the page is about what changed.
    changes: diff.changes
      .map((change, index) => ({ change, reference: references[index] ?? null, threads: threads[index] ?? [] }))
      .filter(({ change }) => change.kind !== "unchanged"),
  };
}

export function ErrorBoundary() {
  const { t } = useTranslation();
  return <VersionNotFound message={t("compare.unknown")} />;
}

export default function Compare() {
  const { t } = useTranslation();
  const { document, from, to, view, summary, sections, changes } = useLoaderData<typeof loader>();
  useChangeKeys(changes.length);
  const name = (ref: VersionRef) => (ref === "live" ? t("compare.live") : t("compare.version", { number: ref }));
  const viewHref = (target: View) => `?from=${from}&to=${to}${target === "inline" ? "" : `&view=${target}`}`;
  return (
    <main id="main" className="page compare-page">
      <p>
        <Link to={`/d/${document.slug}/versions`}>
          <Translated k="versions.title" values={{ title: <span lang={document.language}>{document.title}</span> }} />
        </Link>
      </p>
      <h1>{t("compare.title", { from: name(from), to: name(to) })}</h1>
      {changes.length === 0 ? (
        <p className="note">{t("compare.none")}</p>
      ) : (
        <>
          <p className="lead">
            {t("compare.summary", {
              sections: summary.sectionsChanged,
              edited: summary.edited,
              added: summary.added,
              removed: summary.removed,
              moved: summary.moved,
            })}
          </p>
          <SectionOverview sections={sections} language={document.language} />
          <nav aria-label={t("compare.views")} className="view-switch">
            {(["inline", "side-by-side"] as const).map((option) => (
              <Link key={option} to={viewHref(option)} aria-current={option === view ? "page" : undefined}>
                {option === "inline" ? t("compare.inline") : t("compare.sideBySide")}
              </Link>
            ))}
          </nav>
          <p className="hint">
            <a href={`#${changeElementId(1)}`}>{t("compare.firstChange")}</a> · {t("compare.keyHint")}
          </p>
        </>
      )}
      {view === "side-by-side" && changes.length > 0 ? (
        <div className="side-by-side__columns" aria-hidden="true">
          <p>{t("compare.beforeColumn", { name: name(from) })}</p>
          <p>{t("compare.afterColumn", { name: name(to) })}</p>
        </div>
      ) : null}
      <ol className={`change-list change-list--${view}`}>
        {changes.map(({ change, reference, threads }, index) => {
          const number = index + 1;
          const labelId = `${changeElementId(number)}-label`;
          return (
            <li
              key={`${change.kind}:${change.block.id}:${index}`}
              id={changeElementId(number)}
              className={`change change--${change.kind}`}
              tabIndex={-1}
              aria-labelledby={labelId}
            >
              <h2 id={labelId} className="change__kind">
                {changeLabel(t, change, reference, number, changes.length)}
              </h2>
              <div lang={document.language}>
                {view === "side-by-side" ? (
                  <SideBySide change={change} beforeName={name(from)} afterName={name(to)} />
                ) : (
                  <Inline change={change} />
                )}
              </div>
              {threads.length > 0 ? (
                <ChangeThreads threads={threads} slug={document.slug} fromName={name(from)} id={`${changeElementId(number)}-threads`} />
              ) : null}
              <ChangeSteps number={number} total={changes.length} />
            </li>
          );
        })}
      </ol>
    </main>
  );
}

/** "Change 3 of 12: paragraph edited, 3.2 ¶2": what and where, so the item makes sense on its own when focused. */
function changeLabel(t: Translate, change: BlockChange, reference: BlockReference | null, number: number, total: number): string {
  const kind = change.kind === "changed" && change.moved ? "changedAndMoved" : change.kind;
  const detail =
    change.kind === "added" && change.splitFrom
      ? ` (${t("compare.splitFrom")})`
      : change.kind === "removed" && change.mergedInto
        ? ` (${t("compare.mergedInto")})`
        : "";
  return (
    t("compare.changeLabel", {
      number,
      total,
      kind: t(`compare.kinds.${kind}`),
      block: t(`compare.blocks.${change.block.type}`),
      reference: reference ? formatReference(reference, t("comments.titleReference")) : "",
    }).trim() + detail
  );
}

/** The comments that were on a changed block's text before the change: the feedback that may have led to it. */
function ChangeThreads({ threads, slug, fromName, id }: { threads: readonly ThreadSummary[]; slug: string; fromName: string; id: string }) {
  const { t } = useTranslation();
  return (
    <div className="change__threads">
      <p id={id}>{t("compare.threadsOnBlock", { count: threads.length, name: fromName })}</p>
      <CompactThreadList threads={threads} slug={slug} labelledBy={id} />
    </div>
  );
}

function ChangeSteps({ number, total }: { number: number; total: number }) {
  const { t } = useTranslation();
  if (total < 2) return null;
  return (
    <nav aria-label={t("compare.changeNavigation", { number })} className="change__steps">
      {number > 1 ? <a href={`#${changeElementId(number - 1)}`}>{t("compare.previousChange")}</a> : null}
      {number < total ? <a href={`#${changeElementId(number + 1)}`}>{t("compare.nextChange")}</a> : null}
    </nav>
  );
}

/** Each section with changes, what changed in it, and a link to its first change. */
function SectionOverview({ sections, language }: { sections: readonly SectionChanges[]; language: string }) {
  const { t } = useTranslation();
  return (
    <nav aria-labelledby="sections-changed" className="section-changes">
      <h2 id="sections-changed">{t("compare.sections.title")}</h2>
      <ul>
        {sections.map((section) => (
          <li key={section.firstChange}>
            <a href={`#${changeElementId(section.firstChange)}`}>
              {section.heading === null ? t("compare.sections.beforeFirst") : <span lang={language}>{section.heading}</span>}
            </a>
            {t("compare.sections.separator")}
            {(["edited", "added", "removed", "moved"] as const)
              .filter((kind) => section[kind] > 0)
              .map((kind) => t(`compare.sections.${kind}`, { count: section[kind] }))
              .join(t("compare.sections.and"))}
          </li>
        ))}
      </ul>
    </nav>
  );
}

function Inline({ change }: { change: BlockChange }) {
  switch (change.kind) {
    case "added":
      return (
        <p>
          <WordChanges words={[{ kind: "added", text: change.block.text }]} />
        </p>
      );
    case "removed":
      return (
        <p>
          <WordChanges words={[{ kind: "removed", text: change.block.text }]} />
        </p>
      );
    case "changed":
      return (
        <p>
          <WordChanges words={phrases(change.words)} />
        </p>
      );
    case "moved":
    case "unchanged":
      return <p>{change.block.text}</p>;
  }
}

/** Before | after: the old text with its removed words, the new with its added ones; each side says which it is. */
function SideBySide({ change, beforeName, afterName }: { change: BlockChange; beforeName: string; afterName: string }) {
  const { t } = useTranslation();
  const side = (which: "before" | "after", content: React.ReactNode) => (
    <div className={`side-by-side__side side-by-side__side--${which}`}>
      <p className="visually-hidden">{which === "before" ? t("compare.beforeColumn", { name: beforeName }) : t("compare.afterColumn", { name: afterName })}</p>
      {content}
    </div>
  );
  const missing = (text: string) => <p className="side-by-side__missing">{text}</p>;
  const [before, after] =
    change.kind === "added"
      ? [missing(t("compare.notBefore")), <Inline key="after" change={change} />]
      : change.kind === "removed"
        ? [<Inline key="before" change={change} />, missing(t("compare.notAfter"))]
        : change.kind === "changed"
          ? [
              <p key="before">
                <WordChanges words={phrases(change.words)} show="before" />
              </p>,
              <p key="after">
                <WordChanges words={phrases(change.words)} show="after" />
              </p>,
            ]
          : [<p key="before">{change.block.text}</p>, <p key="after">{change.block.text}</p>];
  return (
    <div className="side-by-side">
      {side("before", before)}
      {side("after", after)}
    </div>
  );
}
