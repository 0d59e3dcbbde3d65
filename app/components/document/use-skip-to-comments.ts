import { useEffect } from "react";
import { COMMENTS_TARGET } from "#app/components/skip-links";

/**
 * The header's "Go to comments" link: with JavaScript it opens the comments (a closed drawer on narrow screens, where
 * following the link alone would land on nothing visible) and puts focus on their heading.
 */
export function useSkipToComments(openComments: () => void): void {
  useEffect(() => {
    const onClick = (event: MouseEvent) => {
      const link = event.target instanceof Element ? event.target.closest(`a[href="#${COMMENTS_TARGET}"]`) : null;
      if (!link) return;
      event.preventDefault();
      openComments();
      requestAnimationFrame(() => {
        const heading = document.getElementById("comments-heading");
        heading?.scrollIntoView({ block: "start" });
        heading?.focus({ preventScroll: true });
      });
    };
    document.addEventListener("click", onClick);
    return () => document.removeEventListener("click", onClick);
  }, [openComments]);
}
