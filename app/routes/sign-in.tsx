import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "~/i18n/translation";
import { Field } from "~/components/Field";
import { signIn } from "~/models/accounts/sign-in.server";
import { getCurrentSession, safeRedirectPath } from "~/models/auth.server";
import { parseSessionCookie, sessionCookie } from "~/models/sessions.server";

export const meta: MetaFunction = () => [{ title: "Samråd" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (await getCurrentSession(request, context)) throw redirect("/");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const email = String(form.get("email") ?? "");
  const password = String(form.get("password") ?? "");
  const redirectTo = safeRedirectPath(form.get("redirectTo"));
  const { services, clientIp } = context;

  const result = await signIn(services, { email, password }, { ip: clientIp, previousToken: parseSessionCookie(request.headers.get("Cookie")) });
  if (!result.ok && result.error === "rate-limited") {
    return Response.json({ error: result.error, minutes: Math.ceil(result.retryAfterSeconds / 60), email }, { status: 429 });
  }
  if (!result.ok) return Response.json({ error: result.error, minutes: 0, email }, { status: 400 });
  return redirect(redirectTo, { headers: { "Set-Cookie": sessionCookie(result.token, { secure: services.secureCookies }) } });
}

export default function SignIn() {
  const { t } = useTranslation();
  const failed = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  return (
    <main id="main" className="page narrow">
      <h1>{t("auth.signInTitle")}</h1>
      {searchParams.get("reset") === "1" && !failed ? (
        <p role="status" className="note">
          {t("account.passwordReset")}
        </p>
      ) : null}
      {failed ? (
        <p role="alert" className="form-error">
          {t(`auth.errors.${failed.error}`, { minutes: failed.minutes })}
        </p>
      ) : null}
      <Form method="post" className="stacked-form">
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? "/"} />
        <Field label={t("auth.email")} name="email" type="email" autoComplete="email" required defaultValue={failed?.email} />
        <Field label={t("auth.password")} name="password" type="password" autoComplete="current-password" required />
        <button type="submit" className="primary">
          {t("auth.signIn")}
        </button>
      </Form>
      <p>
        <Link to="/forgot-password">{t("account.forgotPasswordLink")}</Link>
      </p>
      <p>
        {t("auth.noAccount")} <Link to="/sign-up">{t("auth.signUp")}</Link>
      </p>
    </main>
  );
}
