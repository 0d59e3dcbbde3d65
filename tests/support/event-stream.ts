/** An open server-sent events stream, read as text until what a test waits for has arrived. */
export async function openStream(url: string) {
  const controller = new AbortController();
  const response = await fetch(url, { signal: controller.signal });
  const reader = response.body?.getReader();
  if (!reader) throw new Error("no event stream");
  const decoder = new TextDecoder();
  let received = "";
  return {
    response,
    received: () => received,
    waitFor(text: string) {
      return this.waitUntil((sofar) => sofar.includes(text), text);
    },
    /** Reads until `arrived` holds for what was received; `what` names it if the stream ends first. */
    async waitUntil(arrived: (received: string) => boolean, what = "what the test waits for") {
      while (!arrived(received)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`the stream ended before ${what}`);
        received += decoder.decode(value, { stream: true });
      }
    },
    close: () => controller.abort(),
  };
}
