import type { MetaFunction } from "@remix-run/node";
import { AccessibilityStatementPage } from "#app/components/AccessibilityStatementPage";
import { pageTitle } from "#app/i18n/title";
import { accessibilityStatement } from "#app/statement/statements.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "accessibilityEnglish");

/** `/accessibility`: the accessibility statement in English. */
export function loader() {
  return { locale: "en" as const, blocks: accessibilityStatement("en") };
}

export default AccessibilityStatementPage;
