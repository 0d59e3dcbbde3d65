import { REMOVED_SECTION, sectionHeading, START_SECTION } from "#app/feedback/board";
import type { Translate } from "#app/i18n/translation";

/** A section as the board's filters and overview name it: "3 Upphovsrätt…", before the first section, or removed text. */
export function sectionLabel(t: Translate, section: string, sections: readonly { section: string; title: string }[]): string {
  if (section === START_SECTION) return t("feedback.startSection");
  if (section === REMOVED_SECTION) return t("feedback.removedText");
  const title = sections.find((heading) => heading.section === section)?.title;
  return title ? sectionHeading(section, title) : t("feedback.overview.section", { section });
}
