import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseMarkdown } from "#app/statement/markdown";

describe("the Markdown of the team's own pages", () => {
  it("reads headings, paragraphs over several lines, lists, links and bold", () => {
    const source = "# Titel\n\nEtt stycke\nsom fortsätter.\n\n## Del\n\n- En **viktig** punkt\n- En [länk](https://www.digg.se/tdosanmalan)\n  som fortsätter\n\n1. Första\n2. Andra\n";
    expect(parseMarkdown(source)).toEqual([
      { kind: "heading", level: 1, content: [{ kind: "text", text: "Titel" }] },
      { kind: "paragraph", content: [{ kind: "text", text: "Ett stycke som fortsätter." }] },
      { kind: "heading", level: 2, content: [{ kind: "text", text: "Del" }] },
      {
        kind: "list",
        ordered: false,
        items: [
          [{ kind: "text", text: "En " }, { kind: "strong", text: "viktig" }, { kind: "text", text: " punkt" }],
          [{ kind: "text", text: "En " }, { kind: "link", text: "länk", href: "https://www.digg.se/tdosanmalan" }, { kind: "text", text: " som fortsätter" }],
        ],
      },
      { kind: "list", ordered: true, items: [[{ kind: "text", text: "Första" }], [{ kind: "text", text: "Andra" }]] },
    ]);
  });

  it("keeps HTML as plain text and makes no link of an unsafe target", () => {
    const [paragraph] = parseMarkdown("<script>alert(1)</script> [klicka](javascript:alert) [e-post] [bra](/tillganglighet)");
    expect(paragraph).toEqual({
      kind: "paragraph",
      content: [
        { kind: "text", text: "<script>alert(1)</script> " },
        { kind: "text", text: "klicka" },
        { kind: "text", text: " [e-post] " },
        { kind: "link", text: "bra", href: "/tillganglighet" },
      ],
    });
  });

  it.each(["sv", "en"])("reads the accessibility statement in %s: one title, the sections of DIGG's model, the link for complaints", (locale) => {
    const blocks = parseMarkdown(readFileSync(`docs/accessibility-statement.${locale}.md`, "utf8"));
    expect(blocks.filter((block) => block.kind === "heading" && block.level === 1)).toHaveLength(1);
    expect(blocks.filter((block) => block.kind === "heading").length).toBeGreaterThanOrEqual(7);
    const links = blocks.flatMap((block) => (block.kind === "list" ? block.items.flat() : block.content)).filter((inline) => inline.kind === "link");
    expect(links.map((link) => link.kind === "link" && link.href)).toContain("https://www.digg.se/tdosanmalan");
  });
});
