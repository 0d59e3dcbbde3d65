import { useLoaderData } from "@remix-run/react";
import { MarkdownBlocks } from "#app/components/MarkdownBlocks";
import { LOCALES, type Locale } from "#app/i18n/i18n";
import { translationFor } from "#app/i18n/translation";
import { ACCESSIBILITY_STATEMENT_PATH } from "#app/statement/paths";
import type { Block } from "#app/statement/markdown";

/**
 * The accessibility statement in one language, whatever the interface's: its text carries its own `lang`, and it
 * links to the statement in the other language, named in that language.
 */
export function AccessibilityStatementPage() {
  const { locale, blocks } = useLoaderData<{ locale: Locale; blocks: Block[] }>();
  return (
    <main id="main" className="page statement-page" lang={locale}>
      {LOCALES.filter((other) => other !== locale).map((other) => (
        <p key={other}>
          <a href={ACCESSIBILITY_STATEMENT_PATH[other]} hrefLang={other} lang={other}>
            {translationFor(other).t("accessibility.readIn")}
          </a>
        </p>
      ))}
      <MarkdownBlocks blocks={blocks} />
    </main>
  );
}
