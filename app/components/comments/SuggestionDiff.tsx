import { useTranslation } from "~/i18n/translation";
import { diffWords } from "~/versions/diff";

/**
 * A proposal shown word by word against the text it would replace. Removed and added words are struck through and
 * underlined, and also say so in words for screen readers and anyone who cannot tell the colours apart.
 */
export function SuggestionDiff({ before, after }: { before: string; after: string }) {
  const { t } = useTranslation();
  return (
    <p className="suggestion-diff">
      {diffWords(before, after).map((word, index) => {
        if (word.kind === "same") return word.text;
        const Tag = word.kind === "added" ? "ins" : "del";
        return (
          <Tag key={index}>
            <span className="visually-hidden">{t(word.kind === "added" ? "suggestions.added" : "suggestions.removed")} </span>
            {word.text}
          </Tag>
        );
      })}
    </p>
  );
}
