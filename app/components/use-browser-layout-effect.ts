import { useEffect, useLayoutEffect } from "react";

/**
 * useLayoutEffect in the browser (it runs before paint), and useEffect, which does nothing, on the server: for
 * components the server renders too, where useLayoutEffect would warn on every page.
 */
export const useBrowserLayoutEffect = typeof window === "undefined" ? useEffect : useLayoutEffect;
