import { useTranslation } from "#app/i18n/translation";
import type { WordChange } from "#app/versions/diff";

/**
 * A text's changes, phrase by phrase (see app/versions/phrases.ts): removed phrases struck through, added ones
 * underlined, each also saying in words where it starts and ends, for screen readers and anyone who cannot tell
 * the colours apart. `show` leaves out the other side's changes (a side-by-side column).
 */
export function WordChanges({ words, show = "both" }: { words: readonly WordChange[]; show?: "both" | "before" | "after" }) {
  const { t } = useTranslation();
  return words.map((word, index) => {
    if (word.kind === "same") return word.text;
    if (show === (word.kind === "added" ? "before" : "after")) return null;
    const Tag = word.kind === "added" ? "ins" : "del";
    return (
      <Tag key={index}>
        <span className="visually-hidden">{t(`wordChanges.${word.kind}`)} </span>
        {word.text}
        <span className="visually-hidden"> {t(`wordChanges.${word.kind}End`)}</span>
      </Tag>
    );
  });
}
