import { createContext, useContext, type ReactNode } from "react";
import { createTranslate, type Locale, type Translate } from "./i18n";

export type { Translate } from "./i18n";

interface Translation {
  t: Translate;
  i18n: { language: Locale };
}

const TranslationContext = createContext<Translation | null>(null);

// One per language for the life of the process: the catalogues never change while it runs.
const translations = new Map<Locale, Translation>();

function translationFor(locale: Locale): Translation {
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
