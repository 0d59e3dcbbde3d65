import { WordChanges } from "#app/components/WordChanges";
import { diffWords } from "#app/versions/diff";
import { phrases } from "#app/versions/phrases";

/** A proposal shown phrase by phrase against the text it would replace. */
export function SuggestionDiff({ before, after }: { before: string; after: string }) {
  return (
    <p className="suggestion-diff">
      <WordChanges words={phrases(diffWords(before, after))} />
    </p>
  );
}
