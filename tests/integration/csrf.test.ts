import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "#tests/support/server";

describe("cross-site request forgery", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.dispose());

  const postLanguage = (headers: Record<string, string>) =>
    fetch(`${server.url}/language`, {
      method: "POST",
      body: new URLSearchParams({ locale: "en", returnTo: "/" }),
      redirect: "manual",
      headers,
    });

  it("refuses a form post from another site, and changes nothing", async () => {
    const response = await postLanguage({ Origin: "https://evil.example" });
    expect(response.status).toBe(403);
    expect(response.headers.get("set-cookie")).toBeNull();
  });

  it("refuses a post from an opaque origin", async () => {
    expect((await postLanguage({ Origin: "null" })).status).toBe(403);
  });

  it("accepts the same post from the site itself", async () => {
    const response = await postLanguage({ Origin: server.url });
    expect(response.status).toBe(302);
    expect(response.headers.get("set-cookie")).toContain("lang=en");
  });
});
