import type { Kysely } from "kysely";
import QRCode from "qrcode";
import type * as Y from "yjs";
import { z } from "zod";
import { DocumentIndex } from "#app/comments/anchoring";
import { yDocToContent, type ContentNode } from "#app/editor/content";
import { MEETING_TIME_ZONE } from "#app/i18n/format";
import type { PresenterBus } from "#app/present/events";
import { diffVersions, type VersionBlock } from "#app/versions/diff";
import { listVersions, type VersionListing } from "#db/repositories/versions";
import { listWorkshops } from "#db/repositories/workshops";
import type { Database, WorkshopRow } from "#db/schema";
import type { CommentEventBus } from "#app/comments/events";
import type { CommentCache } from "./comment-cache.server";
import { locateThreads, openThreadCounts } from "./comments/threads.server";
import { blocksOf, versionBlocks } from "./versions.server";
import type { PresentPageData, Section } from "#app/present/view";

/** What present mode needs from the server; tests pass their own. */
export interface PresentDeps {
  db: Kysely<Database>;
  readDocument<T>(documentId: string, read: (doc: Y.Doc) => T): Promise<T>;
  commentCache: CommentCache;
  commentEvents: CommentEventBus;
  presenterEvents: PresenterBus;
}

/**
 * The draft cut into sections at its headings of the top-most level used below the title (in the seed draft,
 * the numbered level-2 headings). A leading level-1 heading is the title: it opens the first section together with
 * whatever comes before the first section heading (the introduction). Without headings the draft is one section.
 */
export function splitSections(draft: ContentNode): Section[] {
  const nodes = draft.content ?? [];
  const hasTitle = nodes[0] !== undefined && headingLevel(nodes[0]) === 1;
  const levels = nodes.slice(hasTitle ? 1 : 0).flatMap((node) => headingLevel(node) ?? []);
  const sectionLevel = levels.length > 0 ? Math.min(...levels) : null;
  const groups: ContentNode[][] = [];
  for (const node of nodes) {
    const last = groups.at(-1);
    const startsSection = sectionLevel !== null && headingLevel(node) === sectionLevel;
    if (last && !startsSection) last.push(node);
    else groups.push([node]);
  }
  return groups.map((group, index) => {
    const [first] = group;
    return {
      id: (first && firstBlockId(first)) ?? `section-${index + 1}`,
      title: first && headingLevel(first) !== null ? textOf(first) : null,
      content: { type: "doc", content: group },
    };
  });
}

function headingLevel(node: ContentNode): number | null {
  if (node.type !== "heading") return null;
  const level = node.attrs?.level;
  return typeof level === "number" ? level : 1;
}

function firstBlockId(node: ContentNode): string | null {
  const id = node.attrs?.id;
  if (typeof id === "string" && id) return id;
  for (const child of node.content ?? []) {
    const found = firstBlockId(child);
    if (found) return found;
  }
  return null;
}

function textOf(node: ContentNode): string {
  return node.text ?? (node.content ?? []).map(textOf).join("");
}

/**
 * The version presented at the previous workshop: of the versions linked to a workshop that has begun, the one
 * of the latest workshop (the last frozen, when several were linked to it). Null when there is none.
 */
export function previousWorkshopVersion<V extends Pick<VersionListing, "number" | "workshop_starts_at">>(versions: readonly V[], now: Date): V | null {
  let chosen: V | null = null;
  for (const version of versions) {
    const startsAt = version.workshop_starts_at;
    if (!startsAt || startsAt > now) continue;
    const chosenStart = chosen?.workshop_starts_at?.getTime() ?? -Infinity;
    if (!chosen || startsAt.getTime() > chosenStart || (startsAt.getTime() === chosenStart && version.number > chosen.number)) chosen = version;
  }
  return chosen;
}

/** The ids of the blocks added, changed or moved since `before`: what "changed since the last workshop" marks. */
export function changedBlockIds(before: readonly VersionBlock[], after: readonly VersionBlock[]): string[] {
  return diffVersions(before, after).changes.flatMap((change) =>
    change.kind === "added" || change.kind === "changed" || change.kind === "moved" ? [change.block.id] : [],
  );
}

const meetingDay = new Intl.DateTimeFormat("sv-SE", { timeZone: MEETING_TIME_ZONE, dateStyle: "short" });

/**
 * The workshop a version frozen now was most likely presented at: the one held today (Swedish time), else the
 * next one, else the last one. `workshops` in programme order.
 */
export function workshopToPreselect<W extends Pick<WorkshopRow, "starts_at">>(workshops: readonly W[], now: Date): W | null {
  const today = meetingDay.format(now);
  return (
    workshops.find((workshop) => meetingDay.format(workshop.starts_at) === today) ??
    workshops.find((workshop) => workshop.starts_at > now) ??
    workshops.at(-1) ??
    null
  );
}

/** A QR code as one SVG path of unit squares on a `size` × `size` grid (quiet zone not included). */
export function qrCodeOf(url: string): { size: number; path: string } {
  const { modules } = QRCode.create(url, { errorCorrectionLevel: "M" });
  const squares: string[] = [];
  for (let row = 0; row < modules.size; row++) {
    for (let column = 0; column < modules.size; column++) {
      if (modules.get(row, column)) squares.push(`M${column} ${row}h1v1h-1z`);
    }
  }
  return { size: modules.size, path: squares.join("") };
}

/** Present mode's view of the live draft, the same for hosts and followers. */
export async function loadPresentation(deps: PresentDeps, documentId: string, now: Date): Promise<Omit<PresentPageData, "document" | "following" | "host">> {
  const [stored, versions] = await Promise.all([deps.commentCache.read(documentId), listVersions(deps.db, documentId)]);
  const previous = previousWorkshopVersion(versions, now);
  const previousBlocks = previous ? await blocksOf(deps, documentId, previous.number) : null;
  const live = await deps.readDocument(documentId, (doc) => ({
    content: yDocToContent(doc),
    counts: openThreadCounts(stored, locateThreads(stored, DocumentIndex.of(doc))),
    blocks: versionBlocks(doc),
  }));
  return {
    sections: splitSections(live.content),
    openThreadCounts: live.counts,
    changesSince:
      previous && previousBlocks
        ? {
            number: previous.number,
            name: previous.name,
            workshopTitle: previous.workshop_title ?? "",
            changedBlockIds: changedBlockIds(previousBlocks, live.blocks),
          }
        : null,
    presenterSectionId: (await deps.presenterEvents.current(documentId))?.sectionId ?? null,
    nextVersionName: `Version ${(versions[0]?.number ?? 0) + 1}`,
  };
}

/** What a host's present page adds: the workshops to link a frozen version to, with the likely one chosen. */
export async function loadWorkshopChoice(db: Kysely<Database>, now: Date) {
  const workshops = await listWorkshops(db);
  return {
    workshops: workshops.map((workshop) => ({ id: workshop.id, title: workshop.title, startsAt: workshop.starts_at.toISOString() })),
    preselectedWorkshopId: workshopToPreselect(workshops, now)?.id ?? null,
  };
}

const positionSchema = z.object({ sectionId: z.string().min(1).max(100) });

/**
 * Tells the followers that the presenter shows another section. Only the first block of a section of the draft
 * as it is now is a position; anything else is refused.
 */
export async function movePresenter(deps: PresentDeps, documentId: string, fields: Record<string, unknown>): Promise<{ ok: boolean }> {
  const parsed = positionSchema.safeParse(fields);
  if (!parsed.success) return { ok: false };
  const { sectionId } = parsed.data;
  const sectionIds = await deps.readDocument(documentId, (doc) => splitSections(yDocToContent(doc)).map((section) => section.id));
  if (!sectionIds.includes(sectionId)) return { ok: false };
  deps.presenterEvents.publish(documentId, { sectionId });
  return { ok: true };
}
