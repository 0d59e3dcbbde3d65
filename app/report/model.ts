/**
 * The consultation report (remissammanställning): every piece of feedback on a document, or on one of its
 * versions, in the order of the text it is about, grouped by section, with what the editors answered, and counted
 * per organisation and per status. Built once from the stored threads; each file format (./csv, ./markdown,
 * ./html, ./docx, ./annotations) renders the same model.
 *
 * A report is public, like the comments it lists: only what every reader of the draft sees goes in. A comment that
 * a moderator hid or its author deleted never does, and neither does a thread whose opening comment is gone: the
 * suggestion and the editors' answer belong to that comment, and replies to it have nothing left to stand on.
 */
import type { StoredAnchor, TextQuote } from "#app/comments/anchoring";
import { formatReference } from "#app/comments/references";
import { commentPath, threadPath } from "#app/comments/links";
import type { Outcome, Position } from "#app/comments/types";
import { versionBlockReferences, type VersionBlock } from "#app/versions/diff";
import type { CommentRecord } from "#db/repositories/comments";
import { type LocatedThread } from "#app/models/comments/threads.server";

export interface ConsultationReport {
  title: string;
  /** BCP 47 tag of the document's language, which the report is worded in. */
  language: string;
  /** Absolute address of the text the threads are placed in: the live draft, or the version's page. */
  sourceUrl: string;
  /** The version reported on; null for every thread of the document. */
  version: { number: number; name: string } | null;
  generatedAt: string;
  /** Sections with feedback, in the order of the text; threads on text no longer there come last. */
  sections: ReportSection[];
  counts: ReportCounts;
}

export interface ReportSection {
  /**
   * "section": a level-2 heading and what follows it up to the next one; "opening": the title and whatever comes
   * before the first level-2 heading; "removed": threads whose text is no longer in the draft.
   */
  kind: "section" | "opening" | "removed";
  /** The section's number ("3") and heading text; null unless kind is "section". */
  number: string | null;
  heading: string | null;
  threads: ReportThread[];
}

/** What became of a thread: still open, resolved by its author, or closed by the editors with an outcome. */
export type ReportStatus = "open" | "resolved" | Outcome;
export const REPORT_STATUSES: readonly ReportStatus[] = ["open", "resolved", "accepted", "partly-accepted", "rejected", "answered"];

export interface ReportThread {
  id: string;
  /** Absolute address of the thread on the live draft. */
  url: string;
  /** "3.2 ¶2"; null when its text is no longer there. */
  reference: string | null;
  /** The passage commented on, or the whole block's text. */
  quote: string;
  /** The stored W3C text quote of a passage; null for a comment on a whole block. */
  passage: TextQuote | null;
  /** The block the thread is on in the text reported on; null when it is no longer there. */
  blockId: string | null;
  kind: "comment" | "suggestion";
  /** A suggestion's replacement text ("" proposes deleting the text); null for a comment. */
  suggestedText: string | null;
  status: ReportStatus;
  response: { text: string; byName: string; at: string } | null;
  incorporatedIn: number | null;
  /** The version the draft was based on when the thread was started, and the workshop that version was shown at. */
  version: number | null;
  workshop: string | null;
  agreements: number;
  opening: ReportComment;
  replies: ReportComment[];
}

export interface ReportComment {
  id: string;
  url: string;
  authorName: string;
  /** "" when its author gave none. */
  authorOrganisation: string;
  body: string;
  position: Position | null;
  createdAt: string;
  editedAt: string | null;
}

export interface ReportCounts {
  threads: number;
  replies: number;
  /** Threads started and replies written per organisation, most threads first. */
  byOrganisation: { organisation: string; threads: number; replies: number }[];
  /** Threads per status, every status listed (zeros too), in REPORT_STATUSES order. */
  byStatus: { status: ReportStatus; threads: number }[];
}

/** What the report is made from: the threads placed in one text (the live draft's, or a version's). */
export interface ReportSource {
  title: string;
  slug: string;
  language: string;
  /** Origin of absolute addresses, e.g. "https://samrad.example.se". */
  baseUrl: string;
  version: { number: number; name: string } | null;
  /** The text's blocks in order. */
  blocks: readonly VersionBlock[];
  /** The threads to report, placed in that text in document order (see locateThreads). */
  located: readonly LocatedThread[];
  commentsByThread: ReadonlyMap<string, readonly CommentRecord[]>;
  agreements: ReadonlyMap<string, ReadonlySet<string>>;
  /** Title of the workshop each version was shown at. */
  workshops: ReadonlyMap<number, string>;
  /** How the title's reference reads in the document's language. */
  titleLabel: string;
  generatedAt: Date;
}

export function buildReport(source: ReportSource): ConsultationReport {
  const { blocks, baseUrl, slug } = source;
  const references = versionBlockReferences(blocks);
  const blockText = new Map(blocks.map((block) => [block.id, block.text]));
  // Each block's level-2 section: its heading's id, or null before the first one.
  const sectionOf = new Map<string, string | null>();
  let currentSection: string | null = null;
  for (const block of blocks) {
    if (block.type === "heading" && block.level !== null && block.level <= 2) currentSection = block.level === 2 ? block.id : null;
    sectionOf.set(block.id, currentSection);
  }

  const sections = new Map<string, ReportSection>();
  const sectionFor = (blockId: string | null): ReportSection => {
    const headingId = blockId === null ? undefined : (sectionOf.get(blockId) ?? null);
    const key = headingId === undefined ? "removed" : (headingId ?? "opening");
    let section = sections.get(key);
    if (!section) {
      section =
        headingId === undefined
          ? { kind: "removed", number: null, heading: null, threads: [] }
          : headingId === null
            ? { kind: "opening", number: null, heading: null, threads: [] }
            : { kind: "section", number: references.get(headingId)?.section ?? null, heading: (blockText.get(headingId) ?? "").replace(/\n/g, " "), threads: [] };
      sections.set(key, section);
    }
    return section;
  };

  const comment = (record: CommentRecord): ReportComment => ({
    id: record.id,
    url: `${baseUrl}${commentPath(slug, record.id)}`,
    authorName: record.author_name,
    authorOrganisation: record.author_organisation,
    body: record.body,
    position: record.position,
    createdAt: record.created_at.toISOString(),
    editedAt: record.edited_at?.toISOString() ?? null,
  });

  for (const { record, anchor, resolution } of source.located) {
    const [first, ...rest] = source.commentsByThread.get(record.id) ?? [];
    if (!first || !isPublic(first)) continue;
    const blockId = resolution.state === "removed" ? null : resolution.blockId;
    const reference = blockId === null ? undefined : references.get(blockId);
    sectionFor(blockId).threads.push({
      id: record.id,
      url: `${baseUrl}${threadPath(slug, record.id)}`,
      reference: reference ? formatReference(reference, source.titleLabel) : null,
      quote: quoteOf(anchor, blockId === null ? undefined : blockText.get(blockId)),
      passage: anchor.passage?.quote ?? null,
      blockId,
      kind: record.kind,
      suggestedText: record.kind === "suggestion" ? (record.suggested_text ?? "") : null,
      status: record.outcome ?? record.status,
      response:
        record.response !== null && record.responded_at
          ? { text: record.response, byName: record.responded_by_name ?? "", at: record.responded_at.toISOString() }
          : null,
      incorporatedIn: record.incorporated_in,
      version: record.version_number,
      workshop: record.version_number === null ? null : (source.workshops.get(record.version_number) ?? null),
      agreements: source.agreements.get(record.id)?.size ?? 0,
      opening: comment(first),
      replies: rest.filter(isPublic).map(comment),
    });
  }

  const ordered = [...sections.values()];
  return {
    title: source.title,
    language: source.language,
    sourceUrl: `${baseUrl}/d/${slug}${source.version ? `/v/${source.version.number}` : ""}`,
    version: source.version,
    generatedAt: source.generatedAt.toISOString(),
    sections: ordered,
    counts: countsOf(ordered.flatMap((section) => section.threads)),
  };
}

function isPublic(comment: CommentRecord): boolean {
  return comment.deleted_at === null && comment.hidden_at === null;
}

/** The passage as it was commented on; for a whole block its text now, or as it was when the block is gone. */
function quoteOf(anchor: StoredAnchor, currentBlockText: string | undefined): string {
  return anchor.passage?.quote.exact ?? currentBlockText ?? anchor.blockText;
}

function countsOf(threads: readonly ReportThread[]): ReportCounts {
  const organisations = new Map<string, { organisation: string; threads: number; replies: number }>();
  const entry = (organisation: string) => {
    let counted = organisations.get(organisation);
    if (!counted) {
      counted = { organisation, threads: 0, replies: 0 };
      organisations.set(organisation, counted);
    }
    return counted;
  };
  let replies = 0;
  for (const thread of threads) {
    entry(thread.opening.authorOrganisation).threads += 1;
    for (const reply of thread.replies) entry(reply.authorOrganisation).replies += 1;
    replies += thread.replies.length;
  }
  const collator = new Intl.Collator("sv");
  return {
    threads: threads.length,
    replies,
    byOrganisation: [...organisations.values()].sort(
      (a, b) => b.threads - a.threads || b.replies - a.replies || collator.compare(a.organisation, b.organisation),
    ),
    byStatus: REPORT_STATUSES.map((status) => ({ status, threads: threads.filter((thread) => thread.status === status).length })),
  };
}
