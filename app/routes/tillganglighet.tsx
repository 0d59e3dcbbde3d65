import type { MetaFunction } from "@remix-run/node";
import { AccessibilityStatementPage } from "#app/components/AccessibilityStatementPage";
import { pageTitle } from "#app/i18n/title";
import { accessibilityStatement } from "#app/statement/statements.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "accessibility");

/** `/tillganglighet`: the accessibility statement in Swedish, as the DOS law asks of public-sector sites. */
export function loader() {
  return { locale: "sv" as const, blocks: accessibilityStatement("sv") };
}

export default AccessibilityStatementPage;
