import type { ReactNode } from "react";

/**
 * A table wider than a phone's screen scrolls inside its own box rather than the page sideways. The box is a named
 * region that takes focus, so it can be scrolled with the arrow keys too; its name is the table's heading.
 */
export function TableScroll({
  labelledBy,
  children,
}: {
  labelledBy: string;
  children: ReactNode;
}) {
  return (
    <div
      className="table-scroll"
      role="region"
      aria-labelledby={labelledBy}
      tabIndex={0}
    >
      {children}
    </div>
  );
}
