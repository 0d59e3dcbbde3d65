import { type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { commentPath, threadPath } from "#app/comments/links";
import { formatReference } from "#app/comments/references";
import { Pages } from "#app/components/feedback/Pages";
import { sectionLabel } from "#app/components/feedback/section-label";
import { BOARD_STATUSES, QUERY_TEXT_MAX_LENGTH } from "#app/feedback/board";
import { pageTitle } from "#app/i18n/title";
import { Translated, useTranslation } from "#app/i18n/translation";
import { requireDocument } from "#app/http/document.server";
import { searchComments, type CommentSearch, type FoundThread } from "#app/models/comment-search.server";
import stylesheet from "#app/styles/feedback.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: stylesheet }];

interface CommentSearchPageData {
  document: { slug: string; title: string; language: string };
  search: CommentSearch | null;
  error: "too-long" | null;
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  pageTitle(matches, "commentSearch", (data as CommentSearchPageData | undefined)?.document.title);

/**
 * `/d/<slug>/comments?q=…&section=…&status=…`: the comments of a draft searched by anyone who may read it, with a
 * GET form that works without JavaScript; each thread found links to its place on the draft page.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const document = await requireDocument(context, params.slug);
  const found = await searchComments(context.services, document.id, new URL(request.url).searchParams);
  const page: CommentSearchPageData = {
    document: { slug: document.slug, title: document.title, language: document.language },
    search: found.ok ? found.search : null,
    error: found.ok ? null : found.error,
  };
  // An overlong search is answered with the form and what was wrong, not with every comment.
  return Response.json(page, { status: found.ok ? 200 : 400 });
}

export default function CommentSearchPage() {
  const { t } = useTranslation();
  const { document, search, error } = useLoaderData<CommentSearchPageData>();
  return (
    <main id="main" className="page comment-search-page">
      <p>
        <Link to={`/d/${document.slug}`}>{t("feedback.backToDraft")}</Link>
      </p>
      <h1>
        <Translated k="commentSearch.title" values={{ title: <span lang={document.language}>{document.title}</span> }} />
      </h1>
      <p className="lead">{t("commentSearch.intro")}</p>
      <SearchForm search={search} slug={document.slug} invalid={error !== null} />
      {search ? <Results search={search} slug={document.slug} language={document.language} /> : null}
    </main>
  );
}

function SearchForm({ search, slug, invalid }: { search: CommentSearch | null; slug: string; invalid: boolean }) {
  const { t } = useTranslation();
  const query = search?.query ?? {};
  const sections = search?.sections ?? [];
  return (
    <Form method="get" className="feedback-filters" role="search" aria-labelledby="comment-search-title">
      <h2 id="comment-search-title" className="visually-hidden">
        {t("commentSearch.legend")}
      </h2>
      <div className={invalid ? "field field--invalid" : "field"}>
        <label htmlFor="search-q">{t("commentSearch.search")}</label>
        {invalid ? (
          <p className="field-error" id="search-q-error">
            {t("commentSearch.tooLong", { max: QUERY_TEXT_MAX_LENGTH })}
          </p>
        ) : null}
        <input
          id="search-q"
          type="search"
          name="q"
          defaultValue={query.q ?? ""}
          maxLength={QUERY_TEXT_MAX_LENGTH}
          aria-invalid={invalid ? true : undefined}
          aria-describedby={invalid ? "search-q-error" : undefined}
        />
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor="search-section">{t("feedback.filters.section")}</label>
          <select id="search-section" name="section" defaultValue={query.section ?? ""}>
            <option value="">{t("feedback.filters.any")}</option>
            {sections.map(({ section }) => (
              <option key={section} value={section}>
                {sectionLabel(t, section, sections)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="search-status">{t("feedback.filters.status")}</label>
          <select id="search-status" name="status" defaultValue={query.status ?? ""}>
            <option value="">{t("feedback.filters.any")}</option>
            {BOARD_STATUSES.map((status) => (
              <option key={status} value={status}>
                {t(`feedback.statuses.${status}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <p>
        <button type="submit">{t("commentSearch.submit")}</button> <Link to={`/d/${slug}/comments`}>{t("feedback.filters.clear")}</Link>
      </p>
    </Form>
  );
}

function Results({ search, slug, language }: { search: CommentSearch; slug: string; language: string }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="comment-search-results">
      <h2 id="comment-search-results">{t("commentSearch.results", { count: search.selected, total: search.total })}</h2>
      {search.selected === 0 ? <p>{t("commentSearch.none")}</p> : null}
      <ol className="comment-search-results">
        {search.threads.map((thread) => (
          <FoundThreadItem key={thread.id} thread={thread} slug={slug} language={language} />
        ))}
      </ol>
      <Pages page={search.page} pages={search.pages} />
    </section>
  );
}

function FoundThreadItem({ thread, slug, language }: { thread: FoundThread; slug: string; language: string }) {
  const { t } = useTranslation();
  const reference = thread.reference ? formatReference(thread.reference, t("comments.titleReference")) : t("feedback.removedText");
  return (
    <li>
      <h3>
        <Link to={threadPath(slug, thread.id)}>
          {t("commentSearch.thread", { kind: t(`feedback.kinds.${thread.kind}`), reference })}
        </Link>{" "}
        <span className={`badge badge--${thread.status}`}>{t(`feedback.statuses.${thread.status}`)}</span>
      </h3>
      <blockquote lang={language}>{thread.quote}</blockquote>
      <ul>
        {thread.comments.map((comment) => (
          <li key={comment.id}>
            <Link to={commentPath(slug, comment.id)}>
              {comment.authorOrganisation
                ? t("commentSearch.commentByOf", { name: comment.authorName, organisation: comment.authorOrganisation })
                : t("commentSearch.commentBy", { name: comment.authorName })}
            </Link>
            {t("commentSearch.separator")}
            {comment.excerpt}
          </li>
        ))}
      </ul>
    </li>
  );
}
