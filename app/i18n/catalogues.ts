import { en } from "./en";
import { sv, type Messages } from "./sv";

/**
 * Every language's catalogue, for the server. The browser build replaces this module with catalogues.page.ts
 * (vite.config.ts), which holds only the language of the page it runs in.
 */
export const CATALOGUES: Readonly<Partial<Record<string, Messages>>> = { sv, en };
