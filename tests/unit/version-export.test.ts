import { describe, expect, it } from "vitest";
import { licenceOf } from "#app/comments/licences";
import type { ContentNode } from "#app/editor/content";
import { escapeMarkdown, versionToHtml, versionToMarkdown, type VersionExport } from "#app/versions/export";

const text = (value: string, marks: string[] = [], href?: string): ContentNode => ({
  type: "text",
  text: value,
  ...(marks.length > 0 ? { marks: marks.map((type) => (type === "link" ? { type, attrs: { href } } : { type })) } : {}),
});
const block = (type: string, content: ContentNode[], attrs?: Record<string, unknown>): ContentNode => ({ type, content, ...(attrs ? { attrs } : {}) });

const HOSTILE = "<script>alert(1)</script> # *inte* [länk](javascript:x) & 1. _";

const version = (content: ContentNode[]): VersionExport => ({
  title: "Vägledning <om> licenser",
  language: "sv",
  facts: [
    { label: "Version", value: "Version 2: Efter workshoppen" },
    { label: "Sparad", value: "1 sep. 2020 10:00" },
    { label: "Visad vid workshop", value: "Öppna licenser, 1 september 2020" },
    { label: "Licens för bidrag", licence: licenceOf("CC-BY-4.0") },
  ],
  content: { type: "doc", content },
});

const everyNode = version([
  block("heading", [text("Om vägledningen")], { level: 2, id: "h" }),
  block("paragraph", [text("Fet", ["bold"]), text(" och "), text("kursiv ", ["italic"]), text("och "), text("struken", ["strike"]), text(" och "), text("kod`s", ["code"])]),
  block("paragraph", [text("Läs "), text("PRV:s sida", ["link"], "https://www.prv.se/(x)"), text(" eller "), text("den här", ["link"], "javascript:alert(1)")]),
  block("paragraph", [text("Rad ett"), { type: "hardBreak" }, text("rad två")]),
  block("bulletList", [block("listItem", [block("paragraph", [text("Punkt")]), block("paragraph", [text("Mer om punkten")])]), block("listItem", [block("paragraph", [text("Andra")])])]),
  block("orderedList", [block("listItem", [block("paragraph", [text("Tredje")])])], { start: 3 }),
  block("blockquote", [block("paragraph", [text("Citat")]), block("paragraph", [text("Mer")])]),
  block("codeBlock", [text("const a = ```;\n<b>")]),
  { type: "horizontalRule" },
]);

describe("a version as Markdown", () => {
  it("opens with a title block: the title as a heading and the facts as a list", () => {
    const markdown = versionToMarkdown(version([]));
    expect(markdown).toBe(
      [
        "# Vägledning \\<om\\> licenser",
        "",
        "- **Version:** Version 2: Efter workshoppen",
        "- **Sparad:** 1 sep. 2020 10:00",
        "- **Visad vid workshop:** Öppna licenser, 1 september 2020",
        "- **Licens för bidrag:** [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/deed.sv)",
        "",
        "---",
        "",
      ].join("\n"),
    );
  });

  it("writes every node and mark the draft has", () => {
    const body = versionToMarkdown(everyNode).split("---\n\n")[1];
    expect(body).toBe(
      [
        "## Om vägledningen",
        "",
        "**Fet** och *kursiv* och ~~struken~~ och ``kod`s``",
        "",
        "Läs [PRV:s sida](https://www.prv.se/%28x%29) eller den här",
        "",
        "Rad ett\\",
        "rad två",
        "",
        "- Punkt",
        "",
        "  Mer om punkten",
        "- Andra",
        "",
        "3. Tredje",
        "",
        "> Citat",
        ">",
        "> Mer",
        "",
        "````",
        "const a = ```;",
        "<b>",
        "````",
        "",
        "---",
        "",
      ].join("\n"),
    );
  });

  it("escapes text so it cannot change the structure", () => {
    const markdown = versionToMarkdown(version([block("paragraph", [text(HOSTILE)]), block("paragraph", [text("# Ingen rubrik")]), block("paragraph", [text("2020. Inget listnummer")])]));
    expect(markdown).toContain("\\<script\\>alert(1)\\</script\\> # \\*inte\\* \\[länk\\](javascript:x) \\& 1. \\_");
    expect(markdown).toContain("\n\\# Ingen rubrik\n");
    expect(markdown).toContain("\n2020\\. Inget listnummer\n");
    expect(escapeMarkdown("- punkt\n+ plus\n> citat")).toBe("\\- punkt\n\\+ plus\n\\> citat");
    const heading = block("heading", [text("Rubrik"), { type: "hardBreak" }, text("# med radbrytning")], { level: 2 });
    expect(versionToMarkdown(version([heading]))).toContain("\n## Rubrik # med radbrytning\n");
  });
});

describe("a version as HTML", () => {
  it("is a standalone page in the document's language, with the title block first", () => {
    const html = versionToHtml(version([]));
    expect(html.startsWith('<!doctype html>\n<html lang="sv">')).toBe(true);
    expect(html).toContain("<title>Vägledning &#60;om&#62; licenser</title>");
    expect(html).toContain('<header class="title-block">\n<h1>Vägledning &#60;om&#62; licenser</h1>');
    expect(html).toContain("<dt>Version</dt><dd>Version 2: Efter workshoppen</dd>");
    expect(html).toContain("<dt>Visad vid workshop</dt><dd>Öppna licenser, 1 september 2020</dd>");
    expect(html).toContain('<dt>Licens för bidrag</dt><dd><a href="https://creativecommons.org/licenses/by/4.0/deed.sv" rel="license">CC BY 4.0</a></dd>');
    expect(html).toContain("@media print");
    expect(html).toContain("break-after: page");
    expect(html).not.toContain("<script");
  });

  it("writes every node and mark, escaping every text and dropping unsafe links", () => {
    const html = versionToHtml(everyNode);
    expect(html).toContain("<h2>Om vägledningen</h2>");
    expect(html).toContain("<p><strong>Fet</strong> och <em>kursiv </em>och <s>struken</s> och <code>kod`s</code></p>");
    expect(html).toContain('<a href="https://www.prv.se/(x)" rel="noopener noreferrer nofollow">PRV:s sida</a> eller den här</p>');
    expect(html).not.toContain("javascript:");
    expect(html).toContain("<p>Rad ett<br>rad två</p>");
    expect(html).toContain('<ol start="3">');
    expect(html).toContain("<pre><code>const a = ```;\n&#60;b&#62;</code></pre>");
    expect(html).toContain("<hr>");

    const hostile = versionToHtml(version([block("paragraph", [text(HOSTILE)])]));
    expect(hostile).toContain("<p>&#60;script&#62;alert(1)&#60;/script&#62; # *inte* [länk](javascript:x) &#38; 1. _</p>");
    expect(hostile).not.toContain("<script");
  });
});
