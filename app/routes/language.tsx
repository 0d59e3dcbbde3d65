import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { LOCALES } from "#app/i18n/i18n";
import { localeCookie } from "#app/i18n/locale.server";
import { safeRedirectPath } from "#app/input/redirect";
import { readForm } from "#app/models/forms.server";

const LanguageForm = z.object({
  locale: z.enum(LOCALES),
  returnTo: z.unknown().transform((value) => safeRedirectPath(value)),
});

export async function action({ request }: ActionFunctionArgs) {
  const parsed = LanguageForm.safeParse((await readForm(request)).fields);
  if (!parsed.success) return redirect("/");
  return redirect(parsed.data.returnTo, { headers: { "Set-Cookie": localeCookie(parsed.data.locale) } });
}

export async function loader() {
  return redirect("/");
}
