/**
 * Every thread of the report as W3C Web Annotations (https://www.w3.org/TR/annotation-model/), so other annotation
 * tools can read them: one AnnotationCollection whose first (and only) AnnotationPage embeds the annotations.
 *
 * - A thread is an Annotation on the text: motivation "commenting", or "editing" for a suggestion, whose bodies are
 *   the opening comment (purpose "commenting") and the suggested wording (purpose "editing"; "" proposes deleting
 *   the text).
 * - Its target is a SpecificResource of the draft (or the version's page): a passage by a TextQuoteSelector (the
 *   anchor's stored quote with its prefix and suffix); a whole block by a FragmentSelector naming the block's
 *   element id, with a TextQuoteSelector of its text as an alternative for tools that match text only.
 * - Each reply, and the editors' response, is an Annotation of its own whose target is the thread's annotation, as
 *   the model's "replying" motivation describes; the response's outcome is a second body with purpose "assessing".
 *
 * The annotations' ids are the addresses of the threads and comments on the live draft. Creators are named as on
 * the page, "Name (Organisation)"; no other personal data goes out.
 */
import type { ConsultationReport, ReportComment, ReportThread } from "./model";
import { authorLabel, type ReportWording } from "./wording";

export const WEB_ANNOTATION_CONTEXT = "http://www.w3.org/ns/anno.jsonld";
export const WEB_ANNOTATION_CONTENT_TYPE = `application/ld+json; profile="${WEB_ANNOTATION_CONTEXT}"`;
// The model's value for a FragmentSelector on an HTML page: a fragment identifier as RFC 3986 defines it.
const HTML_FRAGMENT = "http://tools.ietf.org/rfc/rfc3986";

type TextualBody = { type: "TextualBody"; value: string; format: "text/plain"; language?: string; purpose: string };
type Selector =
  | { type: "TextQuoteSelector"; exact: string; prefix?: string; suffix?: string }
  | { type: "FragmentSelector"; conformsTo: string; value: string };

export interface WebAnnotation {
  id: string;
  type: "Annotation";
  motivation: "commenting" | "editing" | "replying";
  creator?: { type: "Person"; name: string };
  created: string;
  modified?: string;
  body: TextualBody[];
  target: string | { type: "SpecificResource"; source: string; selector: Selector | Selector[] };
}

export interface AnnotationCollection {
  "@context": typeof WEB_ANNOTATION_CONTEXT;
  id: string;
  type: "AnnotationCollection";
  label: string;
  total: number;
  first?: { id: string; type: "AnnotationPage"; startIndex: 0; items: WebAnnotation[] };
}

/** `collectionUrl`: the absolute address the collection is served at. */
export function reportToAnnotations(report: ConsultationReport, wording: ReportWording, collectionUrl: string): AnnotationCollection {
  const items = report.sections.flatMap((section) => section.threads.flatMap((thread) => threadAnnotations(report, thread, wording)));
  return {
    "@context": WEB_ANNOTATION_CONTEXT,
    id: collectionUrl,
    type: "AnnotationCollection",
    label: wording.t("report.title", { title: report.title }),
    total: items.length,
    // The model gives a collection without annotations no pages.
    ...(items.length > 0 ? { first: { id: `${collectionUrl}#page-1`, type: "AnnotationPage", startIndex: 0, items } } : {}),
  };
}

function threadAnnotations(report: ConsultationReport, thread: ReportThread, wording: ReportWording): WebAnnotation[] {
  // People may write in any language: only the report's own words are tagged with the document's.
  const text = (value: string, purpose: string, language?: string): TextualBody => ({
    type: "TextualBody",
    value,
    format: "text/plain",
    ...(language ? { language } : {}),
    purpose,
  });
  const annotation: WebAnnotation = {
    ...authored(thread.opening, thread.url),
    motivation: thread.kind === "suggestion" ? "editing" : "commenting",
    body: [text(thread.opening.body, "commenting"), ...(thread.suggestedText !== null ? [text(thread.suggestedText, "editing")] : [])],
    target: targetOf(report, thread),
  };
  const replies = thread.replies.map(
    (reply): WebAnnotation => ({ ...authored(reply, reply.url), motivation: "replying", body: [text(reply.body, "replying")], target: thread.url }),
  );
  const { response } = thread;
  const answer: WebAnnotation[] = response
    ? [
        {
          id: thread.url.replace(/#.*$/, `#response-${thread.id}`),
          type: "Annotation",
          motivation: "replying",
          // A response whose editor is not recorded stays, unsigned.
          ...(response.byName ? { creator: { type: "Person", name: response.byName } } : {}),
          created: response.at,
          body: [text(response.text, "replying"), text(wording.t(`report.statuses.${thread.status}`), "assessing", report.language)],
          target: thread.url,
        },
      ]
    : [];
  return [annotation, ...answer, ...replies];
}

function authored(comment: ReportComment, id: string): Pick<WebAnnotation, "id" | "type" | "creator" | "created" | "modified"> {
  return {
    id,
    type: "Annotation",
    creator: { type: "Person", name: authorLabel(comment) },
    created: comment.createdAt,
    ...(comment.editedAt ? { modified: comment.editedAt } : {}),
  };
}

/** The part of the text a thread is on; the whole text when nothing is left to select (an empty block that is gone). */
function targetOf(report: ConsultationReport, thread: ReportThread): WebAnnotation["target"] {
  const { passage } = thread;
  const selectors: Selector[] = passage
    ? [{ type: "TextQuoteSelector", exact: passage.exact, prefix: passage.prefix, suffix: passage.suffix }]
    : [
        ...(thread.blockId !== null ? [{ type: "FragmentSelector", conformsTo: HTML_FRAGMENT, value: thread.blockId } as const] : []),
        // A quote selects some text: an empty block is found by its id alone.
        ...(thread.quote !== "" ? [{ type: "TextQuoteSelector", exact: thread.quote } as const] : []),
      ];
  const [only, ...more] = selectors;
  if (!only) return report.sourceUrl;
  return { type: "SpecificResource", source: report.sourceUrl, selector: more.length === 0 ? only : selectors };
}
