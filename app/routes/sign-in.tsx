import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "#app/i18n/translation";
import { Field } from "#app/components/Field";
import { signIn } from "#app/models/accounts/sign-in.server";
import { safeRedirectPath } from "#app/input/redirect";
import { getCurrentSession } from "#app/http/auth.server";
import { readForm } from "#app/models/forms.server";
import { parseSessionCookie, sessionCookie } from "#app/models/sessions.server";
import { pageTitle } from "#app/i18n/title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "signIn");

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (await getCurrentSession(request, context)) throw redirect("/");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { fields, refused } = await readForm(request);
  const email = fields.email ?? "";
  const password = fields.password ?? "";
  const redirectTo = safeRedirectPath(fields.redirectTo);
  const { services, clientIp } = context;
  if (refused) return Response.json({ error: "control-characters", minutes: 0, email }, { status: 400 });

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
        <Field
          label={t("auth.email")}
          name="email"
          type="email"
          autoComplete="email"
          required
          defaultValue={failed?.email}
          error={failed?.error === "control-characters" ? t("auth.errors.control-characters") : undefined}
        />
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
