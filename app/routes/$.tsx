/**
 * Every address no other route matches. Without it such a request matches only the root, whose loader then does
 * not run: the error page had no interface language and stayed Swedish. Thrown from here, the 404 reaches the
 * root's error boundary with the root's data, so the page and its title follow the chosen language.
 */
export function loader(): never {
  throw new Response("Not found", { status: 404 });
}

export function action(): never {
  throw new Response("Not found", { status: 404 });
}

// A route without a component is a resource route, whose thrown response would be sent bare, not as a page.
export default function NotFound() {
  return null;
}
