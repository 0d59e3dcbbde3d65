import english from "#docs/accessibility-statement.en.md?raw";
import swedish from "#docs/accessibility-statement.sv.md?raw";
import type { Locale } from "#app/i18n/i18n";
import { parseMarkdown, type Block } from "./markdown";

/**
 * The accessibility statement (tillgänglighetsredogörelse) as the team keeps it in docs/, in each language. Built
 * into the server, so it is read once and the pages never touch the file system.
 */
const STATEMENTS: Record<Locale, Block[]> = { sv: parseMarkdown(swedish), en: parseMarkdown(english) };

export function accessibilityStatement(locale: Locale): Block[] {
  return STATEMENTS[locale];
}
