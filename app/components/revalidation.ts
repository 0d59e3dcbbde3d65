import type { ShouldRevalidateFunction } from "@remix-run/react";

/**
 * After a submission that never reached the server (a clientAction answered it with `error: "network"`), there is
 * nothing new to load, and loading would fail too and replace the page, typed text and all, with the error page.
 */
export const skipAfterNetworkFailure: ShouldRevalidateFunction = ({ actionResult, defaultShouldRevalidate }) => {
  const failed = typeof actionResult === "object" && actionResult !== null && (actionResult as { error?: unknown }).error === "network";
  return failed ? false : defaultShouldRevalidate;
};
