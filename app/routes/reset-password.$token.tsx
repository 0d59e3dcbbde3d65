import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "#app/i18n/translation";
import { Field } from "#app/components/Field";
import type { FieldErrors } from "#app/models/accounts/fields.server";
import { readForm } from "#app/models/forms.server";
import { resetPassword } from "#app/models/password-reset.server";
import { isWellFormedSecretToken } from "#app/models/sessions.server";
import { pageTitle } from "#app/i18n/title";

export const meta: MetaFunction = ({ matches }) => [...pageTitle(matches, "resetPassword"), { name: "robots", content: "noindex" }];

// The route's path must match PASSWORD_RESET_PATH, which builds the mailed links.

export async function loader({ params }: LoaderFunctionArgs) {
  // Whether the link is still unused and unexpired is only known when it is used: checking needs the token consumed.
  if (!isWellFormedSecretToken(params.token ?? "")) return Response.json({ linkValid: false }, { status: 400 });
  return { linkValid: true };
}

interface ResetFailure {
  error: "invalid-input" | "invalid-or-expired-link";
  fieldErrors: FieldErrors<"password">;
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { fields, refused } = await readForm(request);
  const { services, clientIp } = context;
  if (refused) {
    return Response.json({ error: "invalid-input", fieldErrors: { password: "control-characters" } } satisfies ResetFailure, { status: 400 });
  }
  const result = await resetPassword(services, params.token ?? "", fields.password ?? "", { ip: clientIp });
  if (!result.ok) {
    return Response.json(
      { error: result.error, fieldErrors: result.error === "invalid-input" ? result.fieldErrors : {} } satisfies ResetFailure,
      { status: 400 },
    );
  }
  // Every session of the account has ended; the person signs in again with the new password.
  return redirect("/sign-in?reset=1");
}

export default function ResetPassword() {
  const { t } = useTranslation();
  const { linkValid } = useLoaderData<{ linkValid: boolean }>();
  const failed = useActionData<ResetFailure>();
  const passwordError = failed?.fieldErrors.password;

  if (!linkValid || failed?.error === "invalid-or-expired-link") {
    return (
      <main id="main" className="page narrow">
        <h1>{t("account.resetPasswordTitle")}</h1>
        <p role="alert" className="form-error">
          {t("account.errors.invalid-or-expired-link")}
        </p>
        <p>
          <Link to="/forgot-password">{t("account.requestNewLink")}</Link>
        </p>
      </main>
    );
  }
  return (
    <main id="main" className="page narrow">
      <h1>{t("account.resetPasswordTitle")}</h1>
      {failed ? (
        <p role="alert" className="form-error">
          {t("auth.errors.summary")}
        </p>
      ) : null}
      <Form method="post" className="stacked-form">
        <Field
          label={t("account.newPassword")}
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={10}
          hint={t("account.newPasswordHint")}
          error={passwordError ? t(`auth.errors.${passwordError}`) : undefined}
        />
        <button type="submit" className="primary">
          {t("account.saveNewPassword")}
        </button>
      </Form>
    </main>
  );
}
