import type { TFunction } from "i18next";
import { createContext, useContext, useMemo, type ReactNode } from "react";
import { createI18n, type Locale } from "./i18n";

interface Translation {
  t: TFunction;
  i18n: { language: Locale };
}

const TranslationContext = createContext<Translation | null>(null);

/** Makes the interface language's catalogue available to every component below. */
export function TranslationProvider({ locale, children }: { locale: Locale; children: ReactNode }) {
  const value = useMemo<Translation>(() => ({ t: createI18n(locale).getFixedT(locale), i18n: { language: locale } }), [locale]);
  return <TranslationContext.Provider value={value}>{children}</TranslationContext.Provider>;
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
