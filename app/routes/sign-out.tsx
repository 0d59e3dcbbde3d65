import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { signOut } from "#app/models/accounts/sign-in.server";
import { clearSessionCookie, parseSessionCookie } from "#app/models/sessions.server";

export async function action({ request, context }: ActionFunctionArgs) {
  const token = parseSessionCookie(request.headers.get("Cookie"));
  if (token) await signOut(context.services, token);
  return redirect("/", { headers: { "Set-Cookie": clearSessionCookie({ secure: context.services.secureCookies }) } });
}

export async function loader() {
  return redirect("/");
}
