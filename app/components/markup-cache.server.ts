import type { ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import type { ServerRender } from "./server-only";

const markupByKey = new WeakMap<object, Map<string, string>>();

/** ServerRender.markupOnce: kept in a WeakMap, so markup goes when the loader's object does. */
export const markupOnce: ServerRender["markupOnce"] = (key: object, variant: string, render: () => ReactElement) => {
  let byVariant = markupByKey.get(key);
  if (!byVariant) {
    byVariant = new Map();
    markupByKey.set(key, byVariant);
  }
  let markup = byVariant.get(variant);
  if (markup === undefined) {
    markup = renderToStaticMarkup(render());
    byVariant.set(variant, markup);
  }
  return markup;
};
