import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { clearSessionCookie, parseSessionCookie, revokeSession } from "~/models/sessions.server";

export async function action({ request, context }: ActionFunctionArgs) {
  const token = parseSessionCookie(request.headers.get("Cookie"));
  if (token) await revokeSession(context.services.db, token);
  return redirect("/", { headers: { "Set-Cookie": clearSessionCookie({ secure: context.services.secureCookies }) } });
}

export async function loader() {
  return redirect("/");
}
