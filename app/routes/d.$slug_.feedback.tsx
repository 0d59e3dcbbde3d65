import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { threadPath } from "#app/comments/links";
import { Timestamp } from "#app/components/comments/Timestamp";
import { useStepKeys } from "#app/components/use-change-keys";
import { useHydrated } from "#app/components/use-hydrated";
import { formatReference } from "#app/comments/references";
import { COMMENT_MAX_LENGTH, OUTCOMES } from "#app/comments/types";
import { Pages } from "#app/components/feedback/Pages";
import { sectionLabel } from "#app/components/feedback/section-label";
import { BOARD_SORTS, BOARD_STATUSES, QUERY_TEXT_MAX_LENGTH, type BoardQuery, type SectionHeat } from "#app/feedback/board";
import { Translated, useTranslation } from "#app/i18n/translation";
import { requirePermission } from "#app/http/auth.server";
import { requireDocument } from "#app/http/document.server";
import { loadFeedbackBoard, setThreadsStatus, type BoardRowView, type BulkStatusResult } from "#app/models/feedback.server";
import { readForm } from "#app/models/forms.server";
import stylesheet from "#app/styles/feedback.css?url";
import { pageTitle } from "#app/i18n/title";
import { TableScroll } from "#app/components/TableScroll";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: stylesheet }];

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageTitle(matches, "feedback", data?.document.title);

/** `/d/<slug>/feedback`: the triage board, every thread of the document in one table, for editors. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, "resolve-threads");
  const document = await requireDocument(context, params.slug);
  return {
    document: { slug: document.slug, title: document.title, language: document.language },
    board: await loadFeedbackBoard(context.services, document.id, new URL(request.url).searchParams),
    now: new Date().toISOString(),
  };
}

type BulkActionData = BulkStatusResult & { values?: { status: string; response: string; threadIds: string[] } };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const current = await requirePermission(request, context, "resolve-threads");
  const document = await requireDocument(context, params.slug);
  const { fields, lists, refused } = await readForm(request);
  // A column of checkboxes posts threadId once per row.
  const threadIds = lists.threadId ?? [];
  const result: BulkStatusResult = refused
    ? { ok: false, error: "control-characters", field: refused === "response" ? "response" : null }
    : await setThreadsStatus(context.services, current, document.id, { ...fields, threadId: threadIds }, { ip: context.clientIp });
  if (result.ok) return Response.json(result);
  const text = (value: unknown) => (typeof value === "string" ? value : "");
  return Response.json(
    { ...result, values: { status: text(fields.status), response: text(fields.response), threadIds } },
    { status: result.error === "not-allowed" ? 403 : 400 },
  );
}

const ROW_PREFIX = "row";
// The row's link to the thread takes focus, so Enter opens it.
const rowLink = (row: HTMLElement) => row.querySelector<HTMLElement>("a[href]") ?? row;

export default function FeedbackBoard() {
  const { t } = useTranslation();
  const { document, board, now } = useLoaderData<typeof loader>();
  const result = useActionData<BulkActionData>();
  const bulkForm = useRef<HTMLFormElement>(null);
  // The keys need the page's script: their hint shows once it runs.
  const keysWork = useHydrated();
  useStepKeys(ROW_PREFIX, board.rows.length, { arrows: true, focusTarget: rowLink });
  useEffect(() => {
    if (result?.ok) bulkForm.current?.reset();
  }, [result]);
  const failed = result && !result.ok ? result : null;
  const errorText = failed ? t(`feedback.errors.${failed.error}`, { max: COMMENT_MAX_LENGTH }) : null;
  const sectionName = (section: string) => sectionLabel(t, section, board.overview);

  return (
    <main id="main" className="page feedback-page">
      <p>
        <Link to={`/d/${document.slug}`}>{t("feedback.backToDraft")}</Link> · <Link to={`/d/${document.slug}/versions`}>{t("review.backToVersions")}</Link>
      </p>
      <h1>
        <Translated k="feedback.title" values={{ title: <span lang={document.language}>{document.title}</span> }} />
      </h1>
      <p className="lead">{t("feedback.intro")}</p>
      {result?.ok ? (
        <p role="status" className="note">
          {t("feedback.bulk.done", { count: result.count })}
        </p>
      ) : null}
      {failed && failed.field === null ? (
        <p role="alert" className="form-error">
          {errorText}
        </p>
      ) : null}

      <Overview overview={board.overview} sectionName={sectionName} />

      <BoardFilters query={board.query} board={board} sectionName={sectionName} />

      {board.total === 0 ? <p>{t("feedback.noThreads")}</p> : null}
      <Form method="post" ref={bulkForm} className="feedback-bulk">
        {keysWork ? <p className="hint">{t("feedback.keyHint")}</p> : null}
        {failed?.field === "threadId" ? (
          <p role="alert" className="form-error" id="feedback-threads-error">
            {errorText}
          </p>
        ) : null}
        <TableScroll labelledBy="feedback-table-caption">
          <table className="feedback-table">
            <caption id="feedback-table-caption">{t("feedback.table.caption", { count: board.selected, total: board.total })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("feedback.table.place")}</th>
                <th scope="col">{t("feedback.table.quote")}</th>
                <th scope="col">{t("feedback.table.author")}</th>
                <th scope="col">{t("feedback.table.version")}</th>
                <th scope="col">{t("feedback.table.workshop")}</th>
                <th scope="col">{t("feedback.table.status")}</th>
                <th scope="col">{t("feedback.table.replies")}</th>
                <th scope="col">{t("feedback.table.age")}</th>
              </tr>
            </thead>
            <tbody>
              {board.rows.map((row, position) => (
                <BoardRowLine
                  key={row.id}
                  row={row}
                  number={position + 1}
                  slug={document.slug}
                  language={document.language}
                  now={now}
                  checked={failed?.values?.threadIds.includes(row.id) ?? false}
                />
              ))}
            </tbody>
          </table>
        </TableScroll>
        {board.selected === 0 && board.total > 0 ? <p>{t("feedback.empty")}</p> : null}
        <Pages page={board.page} pages={board.pages} />
        <fieldset className="field-group">
          <legend>{t("feedback.bulk.legend")}</legend>
          <div className={failed?.field === "status" ? "field field--invalid" : "field"}>
            <label htmlFor="bulk-status">{t("feedback.bulk.status")}</label>
            {failed?.field === "status" ? (
              <p className="field-error" id="bulk-status-error">
                {errorText}
              </p>
            ) : null}
            <select
              id="bulk-status"
              name="status"
              required
              defaultValue={failed?.values?.status ?? ""}
              aria-invalid={failed?.field === "status" ? true : undefined}
              aria-describedby={failed?.field === "status" ? "bulk-status-error" : undefined}
            >
              <option value="" disabled>
                {t("feedback.bulk.choose")}
              </option>
              {OUTCOMES.map((outcome) => (
                <option key={outcome} value={outcome}>
                  {t(`feedback.statuses.${outcome}`)}
                </option>
              ))}
              <option value="reopen">{t("feedback.bulk.reopen")}</option>
            </select>
          </div>
          <div className={failed?.field === "response" ? "field field--invalid" : "field"}>
            <label htmlFor="bulk-response">{t("feedback.bulk.response")}</label>
            <p className="hint" id="bulk-response-hint">
              {t("feedback.bulk.responseHint")}
            </p>
            {failed?.field === "response" ? (
              <p className="field-error" id="bulk-response-error">
                {errorText}
              </p>
            ) : null}
            <textarea
              id="bulk-response"
              name="response"
              rows={4}
              maxLength={COMMENT_MAX_LENGTH}
              defaultValue={failed?.values?.response}
              aria-invalid={failed?.field === "response" ? true : undefined}
              aria-describedby={failed?.field === "response" ? "bulk-response-hint bulk-response-error" : "bulk-response-hint"}
            />
          </div>
          <button type="submit" className="primary">
            {t("feedback.bulk.submit")}
          </button>
        </fieldset>
      </Form>
    </main>
  );
}

function Overview({ overview, sectionName }: { overview: SectionHeat[]; sectionName: (section: string) => string }) {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  if (overview.length === 0) return null;
  return (
    <section aria-labelledby="feedback-overview-title">
      <h2 id="feedback-overview-title">{t("feedback.overview.heading")}</h2>
      <p className="hint">{t("feedback.overview.intro")}</p>
      <ol className="heat-strip">
        {overview.map((heat) => (
          <li key={heat.section} className={`heat-strip__cell heat-strip__cell--${heat.heat}`}>
            <Link to={`${pathname}?section=${encodeURIComponent(heat.section)}&status=open`} aria-label={`${sectionName(heat.section)}: ${t("feedback.overview.filter")}`} className="heat-strip__name">
              {sectionName(heat.section)}
            </Link>
            <span className="heat-strip__open">
              <strong>{t("feedback.overview.open", { count: heat.open })}</strong> {t("feedback.overview.total", { count: heat.total })}
            </span>
            <span className="heat-strip__positions">
              {`${t("feedback.overview.supports", { count: heat.supports })} · ${t("feedback.overview.opposes", { count: heat.opposes })}`}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}

function BoardFilters({
  query,
  board,
  sectionName,
}: {
  query: BoardQuery;
  board: ReturnType<typeof useLoaderData<typeof loader>>["board"];
  sectionName: (section: string) => string;
}) {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const select = (name: keyof BoardQuery, label: string, choices: { value: string; label: string }[], withAny = true) => (
    <div className="field">
      <label htmlFor={`filter-${name}`}>{label}</label>
      <select id={`filter-${name}`} name={name} defaultValue={String(query[name] ?? "")}>
        {withAny ? <option value="">{t("feedback.filters.any")}</option> : null}
        {choices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <Form method="get" className="feedback-filters" role="search" aria-labelledby="feedback-filters-title">
      <h2 id="feedback-filters-title" className="visually-hidden">
        {t("feedback.filters.legend")}
      </h2>
      <div className="field-row">
        {select("status", t("feedback.filters.status"), BOARD_STATUSES.map((status) => ({ value: status, label: t(`feedback.statuses.${status}`) })))}
        {select("kind", t("feedback.filters.kind"), [
          { value: "comment", label: t("feedback.kinds.comment") },
          { value: "suggestion", label: t("feedback.kinds.suggestion") },
        ])}
        {select("section", t("feedback.filters.section"), board.overview.map((heat) => ({ value: heat.section, label: sectionName(heat.section) })))}
        {select("organisation", t("feedback.filters.organisation"), board.options.organisations.map((organisation) => ({ value: organisation, label: organisation })))}
        {select("version", t("feedback.filters.version"), board.options.versions.map((number) => ({ value: String(number), label: String(number) })))}
        {select("workshop", t("feedback.filters.workshop"), board.options.workshops.map((workshop) => ({ value: workshop.slug, label: workshop.title })))}
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor="filter-q">{t("feedback.filters.search")}</label>
          <input id="filter-q" type="search" name="q" defaultValue={query.q ?? ""} maxLength={QUERY_TEXT_MAX_LENGTH} />
        </div>
        {select("sort", t("feedback.filters.sort"), BOARD_SORTS.map((sort) => ({ value: sort, label: t(`feedback.sorts.${sort}`) })), false)}
      </div>
      <p>
        <button type="submit">{t("feedback.filters.apply")}</button> <Link to={pathname}>{t("feedback.filters.clear")}</Link>
      </p>
    </Form>
  );
}

function BoardRowLine({ row, number, slug, language, now, checked }: { row: BoardRowView; number: number; slug: string; language: string; now: string; checked: boolean }) {
  const { t } = useTranslation();
  const reference = row.reference ? formatReference(row.reference, t("comments.titleReference")) : t("feedback.removedText");
  return (
    <tr id={`${ROW_PREFIX}-${number}`}>
      <th scope="row">
        <input
          type="checkbox"
          name="threadId"
          value={row.id}
          defaultChecked={checked}
          aria-label={t("feedback.table.selectRow", { reference, name: row.authorName })}
        />{" "}
        <Link to={threadPath(slug, row.id)} aria-label={t("feedback.table.openThreadLabel", { reference })}>
          {reference}
        </Link>
        <br />
        <span className="hint">{t(`feedback.kinds.${row.kind}`)}</span>
      </th>
      <td lang={language}>{row.quote}</td>
      <td>
        {row.authorName}
        {row.authorOrganisation ? (
          <>
            <br />
            <span className="hint">{row.authorOrganisation}</span>
          </>
        ) : null}
      </td>
      <td>{row.versionNumber ?? t("feedback.table.none")}</td>
      <td>{row.workshop ? <Link to={`/workshops/${row.workshop.slug}`} lang="sv">{row.workshop.title}</Link> : t("feedback.table.none")}</td>
      <td>
        <span className={`badge badge--${row.status}`}>{t(`feedback.statuses.${row.status}`)}</span>
        {row.incorporatedIn !== null ? (
          <>
            <br />
            <span className="hint">{t("feedback.table.incorporated", { number: row.incorporatedIn })}</span>
          </>
        ) : null}
      </td>
      <td>{row.replies}</td>
      <td>
        <Timestamp instant={row.createdAt} now={now} />
      </td>
    </tr>
  );
}
