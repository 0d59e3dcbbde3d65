import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { useTranslation } from "#app/i18n/translation";
import { Field } from "#app/components/Field";
import { createLogger } from "#app/log.server";
import { mailLinkOrigin } from "#app/http/auth.server";
import { readForm } from "#app/models/forms.server";
import { PASSWORD_RESET_VALID_MINUTES, requestPasswordReset } from "#app/models/password-reset.server";
import { pageTitle } from "#app/i18n/title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "forgotPassword");

type ForgotPasswordResult =
  | { sent: true; minutes: number; email: string }
  | { sent: false; error: "rate-limited" | "control-characters"; minutes: number; email: string };

const log = createLogger("password-reset");

export async function action({ request, context }: ActionFunctionArgs) {
  const { fields, refused } = await readForm(request);
  const email = fields.email ?? "";
  const { services, clientIp } = context;
  if (refused) {
    return Response.json({ sent: false, error: "control-characters", minutes: 0, email } satisfies ForgotPasswordResult, { status: 400 });
  }

  const origin = mailLinkOrigin(request, services);
  if (!origin) {
    // The answer stays the same, so the form tells nobody whether the address has an account.
    log.warn("no reset link mailed: the request was made to a Host that is not this server's own and PUBLIC_URL is not set", {
      host: new URL(request.url).host,
    });
  }
  const requested = await requestPasswordReset(services, email, { baseUrl: origin, ip: clientIp });
  if (!requested.ok) {
    return Response.json(
      { sent: false, error: requested.error, minutes: Math.ceil(requested.retryAfterSeconds / 60), email } satisfies ForgotPasswordResult,
      { status: 429 },
    );
  }
  // The same answer whether or not the address has an account.
  return { sent: true, minutes: PASSWORD_RESET_VALID_MINUTES, email } satisfies ForgotPasswordResult;
}

export default function ForgotPassword() {
  const { t } = useTranslation();
  const result = useActionData<ForgotPasswordResult>();
  return (
    <main id="main" className="page narrow">
      <h1>{t("account.forgotPasswordTitle")}</h1>
      <p>{t("account.forgotPasswordIntro")}</p>
      {result?.sent === false && result.error === "rate-limited" ? (
        <p role="alert" className="form-error">
          {t(`auth.errors.${result.error}`, { minutes: result.minutes })}
        </p>
      ) : null}
      {result?.sent ? (
        <p role="status" className="note">
          {t("account.resetLinkSent", { minutes: result.minutes })}
        </p>
      ) : null}
      <Form method="post" className="stacked-form">
        <Field
          label={t("auth.email")}
          name="email"
          type="email"
          autoComplete="email"
          required
          defaultValue={result?.email}
          error={result?.sent === false && result.error === "control-characters" ? t("auth.errors.control-characters") : undefined}
        />
        <button type="submit" className="primary">
          {t("account.sendResetLink")}
        </button>
      </Form>
      <p>
        <Link to="/sign-in">{t("account.backToSignIn")}</Link>
      </p>
    </main>
  );
}
