import { useTranslation } from "#app/i18n/translation";
import { diffWords, type WordChange } from "#app/versions/diff";

/**
 * A proposal shown word by word against the text it would replace. Removed and added words are struck through and
 * underlined, and also say so in words for screen readers and anyone who cannot tell the colours apart.
 */
export function SuggestionDiff({ before, after }: { before: string; after: string }) {
  const { t } = useTranslation();
  return (
    <p className="suggestion-diff">
      {grouped(diffWords(before, after)).map((word, index) => {
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

/**
 * Changes separated only by spaces read as one: "old words" struck through, then "new words", rather than each old
 * word next to the new one that happens to take its place.
 */
function grouped(words: readonly WordChange[]): WordChange[] {
  const result: WordChange[] = [];
  let removed = "";
  let added = "";
  const flush = () => {
    if (removed) result.push({ kind: "removed", text: removed });
    if (added) result.push({ kind: "added", text: added });
    removed = "";
    added = "";
  };
  words.forEach((word, index) => {
    const next = words[index + 1];
    if (word.kind === "removed") removed += word.text;
    else if (word.kind === "added") added += word.text;
    else if ((removed || added) && next && next.kind !== "same" && word.text.trim() === "") {
      removed += word.text;
      added += word.text;
    } else {
      flush();
      result.push(word);
    }
  });
  flush();
  return result;
}
