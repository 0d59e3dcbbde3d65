import { createContext, useContext, type ReactNode } from "react";
import { createI18n, type Locale } from "./i18n";

/** A catalogue lookup: the key's text in the interface language, with `options` interpolated. */
export type Translate = (key: string, options?: Record<string, unknown>) => string;

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
    const fixed = createI18n(locale).getFixedT(locale);
    // A page asks for the same labels hundreds of times ("Svara" on every thread); those without options are
    // looked up once. Calls with options (counts, names) go to i18next every time.
    const plain = new Map<string, string>();
    const t: Translate = (key, options) => {
      if (options) return fixed(key, options);
      let text = plain.get(key);
      if (text === undefined) {
        text = fixed(key);
        plain.set(key, text);
      }
      return text;
    };
    translation = { t, i18n: { language: locale } };
    translations.set(locale, translation);
  }
  return translation;
}

/** Makes the interface language's catalogue available to every component below. */
export function TranslationProvider({ locale, children }: { locale: Locale; children: ReactNode }) {
  return <TranslationContext.Provider value={translationFor(locale)}>{children}</TranslationContext.Provider>;
}

/**
 * The translation function and the interface language. Our own rather than react-i18next's hook, which copies
 * the whole i18next instance on every call while rendering on the server: a page with a long comment list makes
 * hundreds of calls, and that copying alone cost 20 ms per page.
 */
export function useTranslation(): Translation {
  const translation = useContext(TranslationContext);
  if (!translation) throw new Error("useTranslation needs a TranslationProvider above it");
  return translation;
}
