import CollaborationCaret from "@tiptap/extension-collaboration-caret";
import type { Plugin } from "@tiptap/pm/state";
import { yCursorPlugin, yCursorPluginKey } from "@tiptap/y-tiptap";
import { isCaretState } from "./presence";

/** Draws another editor's caret for this awareness entry: never our own, never one that would throw. */
export function drawsCaret(ownClientId: number, clientId: number, state: unknown): boolean {
  return ownClientId !== clientId && isCaretState(state);
}

/**
 * Tiptap's CollaborationCaret with y-tiptap's cursor plugin given a state filter, which the stock extension does not
 * pass on. The server relays only well-formed presence, so this guards against a server that does not (an older
 * one, or another relay) rather than against other people.
 */
export const Carets = CollaborationCaret.extend({
  addProseMirrorPlugins() {
    const inherited: Plugin[] = this.parent?.() ?? [];
    const { provider, render, selectionRender } = this.options;
    return [
      // The stock cursor plugin is replaced, not added to: ProseMirror refuses two plugins with one key.
      ...inherited.filter((plugin) => plugin.spec.key !== yCursorPluginKey),
      yCursorPlugin(provider.awareness, {
        awarenessStateFilter: drawsCaret,
        cursorBuilder: (user) => render(user),
        selectionBuilder: (user) => selectionRender(user),
      }),
    ];
  },
});
