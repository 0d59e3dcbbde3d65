import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { useTranslation } from "~/i18n/translation";
import { Field } from "~/components/Field";
import { publicBaseUrl } from "~/models/auth.server";
import { PASSWORD_RESET_VALID_MINUTES, requestPasswordReset } from "~/models/password-reset.server";

export const meta: MetaFunction = () => [{ title: "Samråd" }];

type ForgotPasswordResult = { sent: true; minutes: number; email: string } | { sent: false; error: "rate-limited"; minutes: number; email: string };

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const email = String(form.get("email") ?? "");
  const { services, clientIp } = context;

  const requested = await requestPasswordReset(services, email, { baseUrl: publicBaseUrl(request, services), ip: clientIp });
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
      {result?.sent === false ? (
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
        <Field label={t("auth.email")} name="email" type="email" autoComplete="email" required defaultValue={result?.email} />
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
