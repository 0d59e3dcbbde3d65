import type { WordChange } from "./diff";

/**
 * A word diff regrouped for reading. Myers' diff pairs every word that happens to recur, so a rewritten sentence
 * comes out as old and new words taking turns ("Skälen Hela för stycket att skrevs…"). People read changes as
 * phrases: the old phrase struck through, then the new one. Pure: the old side of the result (same + removed) is
 * the old text and the new side (same + added) the new text, word for word.
 */

/** A kept stretch between two changes this short is read as part of the change: at most two words of… */
const SHORT_GAP_WORDS = 2;
/** …at most this many letters each ("och", "att", "för", "inte"). */
const SHORT_WORD_LENGTH = 4;
/**
 * Below this share of the shorter text's words kept (in stretches longer than a short gap), the block reads as
 * rewritten: all of the old text, then all of the new.
 */
const REWRITTEN_BELOW = 0.5;

const WORD = /[\p{L}\p{N}]+/gu;

const wordsIn = (text: string): string[] => text.match(WORD) ?? [];

/** Nothing but spaces and punctuation, or a word or two short enough to belong to the change around them. */
function isShortGap(text: string): boolean {
  const words = wordsIn(text);
  return words.length <= SHORT_GAP_WORDS && words.every((word) => word.length <= SHORT_WORD_LENGTH);
}

/** The word diff as phrases: each run of change one removed phrase followed by one added phrase. */
export function phrases(words: readonly WordChange[]): WordChange[] {
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
    else if ((removed || added) && next && next.kind !== "same" && isShortGap(word.text)) {
      removed += word.text;
      added += word.text;
    } else {
      flush();
      result.push(word);
    }
  });
  flush();
  return isRewritten(result) ? rewritten(result) : result;
}

function isRewritten(grouped: readonly WordChange[]): boolean {
  let kept = 0;
  let before = 0;
  let after = 0;
  for (const { kind, text } of grouped) {
    const count = wordsIn(text).length;
    if (kind === "same") kept += count;
    if (kind !== "added") before += count;
    if (kind !== "removed") after += count;
  }
  const shorter = Math.min(before, after);
  // An empty side is one removal or one addition already; a text of punctuation alone has no words to weigh.
  return shorter > 0 && kept / shorter < REWRITTEN_BELOW;
}

function rewritten(grouped: readonly WordChange[]): WordChange[] {
  const side = (kind: "removed" | "added") =>
    grouped
      .filter((word) => word.kind !== (kind === "removed" ? "added" : "removed"))
      .map((word) => word.text)
      .join("");
  return [
    { kind: "removed", text: side("removed") },
    { kind: "added", text: side("added") },
  ];
}
