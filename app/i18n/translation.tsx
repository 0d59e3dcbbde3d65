import { createContext, Fragment, useContext, type ReactNode } from "react";
import { createTranslate, type Locale, type Translate } from "./i18n";

export type { Translate } from "./i18n";

interface Translation {
  t: Translate;
  i18n: { language: Locale };
}

const TranslationContext = createContext<Translation | null>(null);

// One per language for the life of the process: the catalogues never change while it runs.
const translations = new Map<Locale, Translation>();

/** The catalogue of one language, shared by components and by routes' `meta`. */
export function translationFor(locale: Locale): Translation {
  let translation = translations.get(locale);
  if (!translation) {
    translation = { t: createTranslate(locale), i18n: { language: locale } };
    translations.set(locale, translation);
  }
  return translation;
}

/** Makes the interface language's catalogue available to every component below. */
export function TranslationProvider({ locale, children }: { locale: Locale; children: ReactNode }) {
  return <TranslationContext.Provider value={translationFor(locale)}>{children}</TranslationContext.Provider>;
}

/** The translation function and the interface language. */
export function useTranslation(): Translation {
  const translation = useContext(TranslationContext);
  if (!translation) throw new Error("useTranslation needs a TranslationProvider above it");
  return translation;
}

/**
 * A catalogue text whose placeholders are elements, not strings: for content in another language than the
 * interface, which needs an element of its own to carry `lang` (a Swedish draft's title in an English heading).
 */
export function Translated({ k, values }: { k: string; values: Record<string, ReactNode> }) {
  const { t } = useTranslation();
  // Strings and numbers go in as they are (a number still chooses the plural form); elements leave a marker.
  const options = Object.fromEntries(
    Object.entries(values).map(([name, value]) => [name, typeof value === "string" || typeof value === "number" ? value : `\uE000${name}\uE000`]),
  );
  // A split with a capturing group alternates text and marker names: even indexes text, odd names.
  const parts = t(k, options).split(/\uE000(\w+)\uE000/);
  return (
    <>
      {parts.map((part, index) => (
        <Fragment key={index}>{index % 2 === 1 ? values[part] : part}</Fragment>
      ))}
    </>
  );
}
