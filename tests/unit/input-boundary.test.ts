import { describe, expect, it } from "vitest";
import { LARGEST_VERSION_NUMBER, parseVersionNumber } from "#app/input/numbers";
import { safeRedirectPath } from "#app/input/redirect";
import { hasControlCharacters, withoutControlCharacters } from "#app/input/text";
import { mailLinkOrigin } from "#app/http/auth.server";
import { bodyLimitFor } from "#server/body-limit";
import { localOrigins } from "#server/local-origins";
import { urlProblem } from "#server/request-guards";

describe("safeRedirectPath", () => {
  it("keeps paths on the site, with their query and fragment", () => {
    expect(safeRedirectPath("/d/utkast?comment=b1#comment-2")).toBe("/d/utkast?comment=b1#comment-2");
    expect(safeRedirectPath("/")).toBe("/");
    expect(safeRedirectPath("/d/%09x")).toBe("/d/%09x");
  });

  it("falls back for anything a browser could read as another site or that cannot be a header", () => {
    const hostile = [
      "//evil.example",
      "/\\evil.example",
      "\\\\evil.example",
      "/\t/evil.example",
      "/\n/evil.example",
      "/\r\n/evil.example",
      "/\u0000/evil.example",
      "/ok\r\nSet-Cookie: x=y",
      "https://evil.example/",
      "javascript:alert(1)",
      " /evil",
      "evil",
      "",
      `/${"a".repeat(3000)}`,
    ];
    for (const target of hostile) expect(safeRedirectPath(target, "/start"), JSON.stringify(target)).toBe("/start");
    expect(safeRedirectPath(undefined)).toBe("/");
    expect(safeRedirectPath(["/a"])).toBe("/");
  });
});

describe("control characters in form text", () => {
  it("finds NUL and the other controls, but not tab or line breaks", () => {
    expect(hasControlCharacters("före\u0000efter")).toBe(true);
    expect(hasControlCharacters("a\u001Bb")).toBe(true);
    expect(hasControlCharacters("a\u007Fb")).toBe(true);
    expect(hasControlCharacters("a\u0085b")).toBe(true);
    expect(hasControlCharacters("rad ett\r\nrad två\tmed tabb")).toBe(false);
    expect(hasControlCharacters("Åsa Öberg – ”citat”")).toBe(false);
    // The pattern is global: a second call must not continue where the first stopped.
    expect(hasControlCharacters("\u0000")).toBe(true);
    expect(hasControlCharacters("\u0000")).toBe(true);
  });

  it("removes them and keeps the rest", () => {
    expect(withoutControlCharacters("fö\u0000re\u0008\n\tefter\u009F")).toBe("före\n\tefter");
  });
});

describe("parseVersionNumber", () => {
  it("accepts whole numbers a PostgreSQL integer holds", () => {
    expect(parseVersionNumber("1")).toBe(1);
    expect(parseVersionNumber(String(LARGEST_VERSION_NUMBER))).toBe(LARGEST_VERSION_NUMBER);
    expect(parseVersionNumber(7)).toBe(7);
  });

  it("refuses everything else", () => {
    for (const value of [String(2 ** 31), String(2 ** 53), "-1", "0", "1.5", "1e3", "0x10", " 1", "01", "", null, undefined, 2 ** 31, 1.5]) {
      expect(parseVersionNumber(value), String(value)).toBeNull();
    }
  });
});

describe("request targets", () => {
  it("refuses bad percent-encoding and control characters", () => {
    expect(urlProblem("/d/%FF")).not.toBeNull();
    expect(urlProblem("/d/%00")).not.toBeNull();
    expect(urlProblem("/d/a?q=%E0%A4%A")).not.toBeNull();
    expect(urlProblem("/admin/accounts?q=%00")).not.toBeNull();
  });

  it("lets ordinary addresses through, tabs and line breaks in a query too", () => {
    expect(urlProblem("/d/utkast/compare?from=1&to=live")).toBeNull();
    expect(urlProblem("/sign-in?redirectTo=%2Fd%2Futkast%0A")).toBeNull();
    expect(urlProblem("/d/v%C3%A4gledning?q=a+b%09c")).toBeNull();
  });
});

describe("body limits", () => {
  it("gives every path the default unless a larger limit names it", () => {
    const limits = { defaultBytes: 1024, larger: [{ path: /^\/d\/[^/]+\/import$/, maxBytes: 10 * 1024 * 1024 }] };
    expect(bodyLimitFor("/sign-in", limits)).toBe(1024);
    expect(bodyLimitFor("/d/utkast/import", limits)).toBe(10 * 1024 * 1024);
    expect(bodyLimitFor("/d/utkast/import/x", limits)).toBe(1024);
  });
});

describe("origins of mailed links", () => {
  const request = (url: string) => new Request(url, { method: "POST" });
  const own = localOrigins("127.0.0.1", 3000);

  it("uses PUBLIC_URL whatever Host the request named", () => {
    expect(mailLinkOrigin(request("http://evil.example/forgot-password"), { publicUrl: "https://samrad.example.se", localOrigins: own })).toBe(
      "https://samrad.example.se"
    );
  });

  it("without PUBLIC_URL, uses only the server's own origins", () => {
    expect(mailLinkOrigin(request("http://localhost:3000/forgot-password"), { publicUrl: undefined, localOrigins: own })).toBe(
      "http://localhost:3000"
    );
    expect(mailLinkOrigin(request("http://127.0.0.1:3000/forgot-password"), { publicUrl: undefined, localOrigins: own })).toBe(
      "http://127.0.0.1:3000"
    );
    expect(mailLinkOrigin(request("http://evil.example:3000/forgot-password"), { publicUrl: undefined, localOrigins: own })).toBeNull();
    expect(mailLinkOrigin(request("http://localhost:4000/forgot-password"), { publicUrl: undefined, localOrigins: own })).toBeNull();
  });

  it("counts every interface's address as the server's own when it listens on all of them", () => {
    const all = localOrigins("0.0.0.0", 3000);
    expect(all.has("http://localhost:3000")).toBe(true);
    expect(all.has("http://[::1]:3000")).toBe(true);
  });
});
