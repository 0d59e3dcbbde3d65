import { useEffect, useLayoutEffect, useRef, useState, type RefObject } from "react";
import { useAnnounce } from "#app/components/announcer";
import { useTranslation } from "#app/i18n/translation";
import type { SelectedPassage } from "#app/comments/types";

interface Props {
  selection: SelectedPassage | null;
  /** The element the button is placed in (positioned), around the text. */
  container: RefObject<HTMLElement | null>;
  button: RefObject<HTMLButtonElement>;
  /** Escape on it or in the text hides it until the selection changes. */
  dismissed: boolean;
  onDismiss: () => void;
  onComment: () => void;
}

/**
 * "Comment" beside the selected passage (as Hypothesis's adder): placed under the selection's last line, said by the
 * live region when it appears, reached with Tab from the text, hidden with Escape. On a phone it is what selecting
 * offers, since the comments' own button for it is in the closed drawer.
 */
export function SelectionAdder({ selection, container, button, dismissed, onDismiss, onComment }: Props) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const [place, setPlace] = useState<{ top: number; left: number } | null>(null);
  const shown = selection !== null && !dismissed;

  useLayoutEffect(() => {
    const root = container.current;
    const range = shown && (window.getSelection()?.rangeCount ?? 0) > 0 ? window.getSelection()?.getRangeAt(0) : null;
    if (!root || !range) {
      // Where the selection is can only be measured in the DOM, once rendered.
      // eslint-disable-next-line react-hooks/set-state-in-effect
      setPlace(null);
      return;
    }
    const rects = range.getClientRects();
    const last = rects[rects.length - 1] ?? range.getBoundingClientRect();
    const origin = root.getBoundingClientRect();
    const width = button.current?.offsetWidth ?? 120;
    setPlace({
      top: last.bottom - origin.top + 6,
      left: Math.max(0, Math.min(last.right - origin.left - width / 2, origin.width - width)),
    });
  }, [shown, selection, container, button]);

  const announced = useRef(false);
  useEffect(() => {
    if (shown && !announced.current) announce(t("reading.adderShown"));
    announced.current = shown;
  }, [shown, announce, t]);

  if (!shown) return null;
  return (
    <button
      ref={button}
      type="button"
      className="primary selection-adder"
      style={place ? { top: place.top, left: place.left } : { visibility: "hidden" }}
      aria-keyshortcuts="Control+Alt+M"
      // Pressing it must not take the selection away before it is read.
      onMouseDown={(event) => event.preventDefault()}
      onClick={onComment}
      onKeyDown={(event) => {
        if (event.key !== "Escape") return;
        event.preventDefault();
        event.stopPropagation();
        onDismiss();
      }}
    >
      {t("reading.comment")}
    </button>
  );
}
