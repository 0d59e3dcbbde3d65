import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { blockReferences, formatReference, type OutlineEntry } from "#app/comments/references";
import { CommentBody } from "#app/components/comments/CommentBody";
import { buildSeedDraft } from "#app/seed/draft";

const heading = (id: string, level: number): OutlineEntry => ({ id, headingLevel: level });
const block = (id: string): OutlineEntry => ({ id, headingLevel: null });
const formatted = (entries: OutlineEntry[]) =>
  Object.fromEntries([...blockReferences(entries)].map(([id, reference]) => [id, formatReference(reference, "Rubrik")]));

describe("paragraph references", () => {
  it("numbers sections from level-2 headings, subsections from level 3, and paragraphs after each heading", () => {
    expect(
      formatted([
        heading("title", 1),
        block("intro"),
        heading("s1", 2),
        block("p1"),
        block("p2"),
        heading("s2", 2),
        heading("s21", 3),
        block("p3"),
        heading("s22", 3),
        block("p4"),
        block("p5"),
        heading("s3", 2),
        block("p6"),
      ]),
    ).toEqual({
      title: "Rubrik",
      intro: "¶1",
      s1: "1",
      p1: "1 ¶1",
      p2: "1 ¶2",
      s2: "2",
      s21: "2.1",
      p3: "2.1 ¶1",
      s22: "2.2",
      p4: "2.2 ¶1",
      p5: "2.2 ¶2",
      s3: "3",
      p6: "3 ¶1",
    });
  });

  it("gives a subsection without a section above it a section number all the same", () => {
    expect(formatted([heading("orphan", 3), block("p")])).toEqual({ orphan: "1.1", p: "1.1 ¶1" });
  });

  it("matches the numbers the seeded draft's headings carry in their text", () => {
    let counter = 0;
    const draft = buildSeedDraft(() => `b${(counter++).toString(36)}`);
    const entries: OutlineEntry[] = [];
    const headings = new Map<string, string>();
    const walk = (node: NonNullable<typeof draft.content>[number]) => {
      const id = node.attrs?.id;
      if ((node.type === "heading" || node.type === "paragraph") && typeof id === "string") {
        const level = node.type === "heading" ? Number(node.attrs?.level) : null;
        entries.push({ id, headingLevel: level });
        if (level === 2) headings.set(id, node.content?.map((child) => child.text ?? "").join("") ?? "");
        return;
      }
      node.content?.forEach(walk);
    };
    draft.content?.forEach(walk);
    const references = formatted(entries);
    for (const [id, text] of headings) expect(text.startsWith(`${references[id]}. `)).toBe(true);
  });
});

describe("a comment's text", () => {
  const render = (text: string) => renderToStaticMarkup(createElement(CommentBody, { text }));

  it("turns web addresses into links, leaving the sentence's punctuation outside", () => {
    expect(render("Se https://example.org/a?b=1. Och (http://x.se/y).")).toBe(
      '<p class="comment-body">Se <a href="https://example.org/a?b=1" rel="nofollow ugc noopener noreferrer">https://example.org/a?b=1</a>. ' +
        'Och (<a href="http://x.se/y" rel="nofollow ugc noopener noreferrer">http://x.se/y</a>).</p>',
    );
  });

  it("never lets markup through, and links nothing but http(s)", () => {
    const html = render('<img src=x onerror="alert(1)"> javascript:alert(1) <a href="https://evil">x</a>');
    expect(html).not.toContain("<img");
    expect(html).not.toContain('<a href="javascript');
    expect(html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
  });

  it("keeps line breaks as typed (shown by CSS), not as <br> markup", () => {
    expect(render("rad ett\nrad två")).toBe('<p class="comment-body">rad ett\nrad två</p>');
  });
});
