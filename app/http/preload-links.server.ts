import type { EntryContext } from "@remix-run/node";
import stylesheet from "#app/styles/app.css?url";

/**
 * A Link header naming the stylesheet and every script the page's <head> will ask for. The browser starts those
 * fetches as soon as the response's headers arrive instead of after the HTML has arrived and been parsed: on a slow
 * mobile connection that is a few hundred milliseconds sooner before the page works (npm run bench:reader).
 * `modulepreload` (not `preload; as=script`) so the fetch matches the module script's own and is used.
 */
export function preloadLinks({ manifest, staticHandlerContext }: EntryContext): string {
  const modules = new Set([manifest.entry.module, ...manifest.entry.imports]);
  for (const match of staticHandlerContext.matches) {
    const route = manifest.routes[match.route.id];
    if (!route) continue;
    modules.add(route.module);
    for (const imported of route.imports ?? []) modules.add(imported);
  }
  return [`<${stylesheet}>; rel=preload; as=style`, ...[...modules].map((module) => `<${module}>; rel=modulepreload`)].join(", ");
}
