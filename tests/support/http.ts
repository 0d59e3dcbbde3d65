/** A form post as a browser on the site itself sends it (same Origin), optionally signed in, without following redirects. */
export function postForm(baseUrl: string, path: string, fields: Record<string, string>, cookie?: string): Promise<Response> {
  return fetch(`${baseUrl}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: baseUrl, ...(cookie ? { Cookie: cookie } : {}) },
    body: new URLSearchParams(fields),
  });
}
