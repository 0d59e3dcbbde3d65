import { describe, expect, it } from "vitest";
import { isCommentShortcut } from "#app/components/document/use-keyboard-selection";

describe("the key that comments on the selection", () => {
  const press = (code: string, modifiers: { ctrl?: boolean; alt?: boolean; meta?: boolean; shift?: boolean }) => ({
    code,
    ctrlKey: modifiers.ctrl ?? false,
    altKey: modifiers.alt ?? false,
    metaKey: modifiers.meta ?? false,
    shiftKey: modifiers.shift ?? false,
  });

  it("is Ctrl+Alt+M, or ⌘+Option+M on a Mac, whatever character the layout gives M with Alt", () => {
    expect(isCommentShortcut(press("KeyM", { ctrl: true, alt: true }))).toBe(true);
    expect(isCommentShortcut(press("KeyM", { meta: true, alt: true }))).toBe(true);
  });

  it("is not M alone, with one modifier, with Shift too, or another key", () => {
    expect(isCommentShortcut(press("KeyM", {}))).toBe(false);
    expect(isCommentShortcut(press("KeyM", { ctrl: true }))).toBe(false);
    expect(isCommentShortcut(press("KeyM", { alt: true }))).toBe(false);
    expect(isCommentShortcut(press("KeyM", { ctrl: true, alt: true, shift: true }))).toBe(false);
    expect(isCommentShortcut(press("KeyN", { ctrl: true, alt: true }))).toBe(false);
  });
});
