import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "#app/i18n/translation";
import { Field } from "#app/components/Field";
import type { FieldErrors } from "#app/models/accounts/fields.server";
import { signUp, type SignUpField } from "#app/models/accounts/sign-up.server";
import { readForm } from "#app/models/forms.server";
import { getCurrentSession } from "#app/http/auth.server";
import { readInvite } from "#app/models/invites.server";
import { parseSessionCookie, sessionCookie } from "#app/models/sessions.server";
import { pageTitle } from "#app/i18n/title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "signUp");

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (await getCurrentSession(request, context)) throw redirect("/");
  const inviteToken = new URL(request.url).searchParams.get("invite");
  if (!inviteToken) return { inviteToken: null, invite: null };
  return { inviteToken, invite: await readInvite(context.services.db, inviteToken) };
}

interface SignUpFailure {
  error: "invalid-input" | "email-taken" | "invalid-or-expired-invite" | "rate-limited";
  minutes: number;
  fieldErrors: FieldErrors<SignUpField>;
  values: { name: string; email: string; organisation: string; acceptContributionLicence: boolean };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { fields, refused } = await readForm(request);
  const values = {
    name: fields.name ?? "",
    email: fields.email ?? "",
    organisation: fields.organisation ?? "",
    acceptContributionLicence: fields.acceptContributionLicence === "on",
  };
  const inviteToken = fields.inviteToken;
  const { services, clientIp } = context;
  const failure = (failed: Omit<SignUpFailure, "values" | "minutes" | "fieldErrors"> & Partial<SignUpFailure>, status: number) =>
    Response.json({ minutes: 0, fieldErrors: {}, ...failed, values } satisfies SignUpFailure, { status });

  // Refused before it counts against the limit: nothing was tried.
  if (refused) return failure({ error: "invalid-input", fieldErrors: { [refused]: "control-characters" } }, 400);
  const result = await signUp(
    services,
    { ...values, password: fields.password ?? "", inviteToken: inviteToken || undefined },
    { ip: clientIp, previousToken: parseSessionCookie(request.headers.get("Cookie")) },
  );
  if (!result.ok && result.error === "rate-limited") return failure({ error: result.error, minutes: Math.ceil(result.retryAfterSeconds / 60) }, 429);
  if (!result.ok) return failure({ error: result.error, fieldErrors: result.error === "invalid-input" ? result.fieldErrors : {} }, 400);
  return redirect("/", { headers: { "Set-Cookie": sessionCookie(result.token, { secure: services.secureCookies }) } });
}

export default function SignUp() {
  const { t } = useTranslation();
  const { inviteToken, invite } = useLoaderData<typeof loader>();
  const failed = useActionData<SignUpFailure>();
  const fieldError = (field: SignUpField) => {
    const code = failed?.fieldErrors[field];
    return code ? t(`auth.errors.${code}`) : undefined;
  };
  const inviteProblem = invite && invite.state !== "valid";
  return (
    <main id="main" className="page narrow">
      <h1>{t("auth.signUpTitle")}</h1>
      <p>{t("auth.signUpIntro")}</p>
      {invite?.state === "valid" ? <p className="note">{t("auth.invitedAs", { role: t(`roles.${invite.role}`) })}</p> : null}
      {inviteProblem ? (
        <p role="alert" className="form-error">
          {t("auth.errors.invalid-or-expired-invite")}
        </p>
      ) : null}
      {failed ? (
        <p role="alert" className="form-error">
          {failed.error === "invalid-input" ? t("auth.errors.summary") : t(`auth.errors.${failed.error}`, { minutes: failed.minutes })}
        </p>
      ) : null}
      <Form method="post" className="stacked-form">
        {inviteToken && !inviteProblem ? <input type="hidden" name="inviteToken" value={inviteToken} /> : null}
        <Field label={t("auth.name")} name="name" autoComplete="name" required maxLength={100} defaultValue={failed?.values.name} error={fieldError("name")} />
        <Field label={t("auth.email")} name="email" type="email" autoComplete="email" required defaultValue={failed?.values.email} error={fieldError("email")} />
        <Field
          label={t("auth.organisation")}
          name="organisation"
          autoComplete="organization"
          maxLength={150}
          hint={t("auth.organisationHint")}
          defaultValue={failed?.values.organisation}
          error={fieldError("organisation")}
        />
        <Field
          label={t("auth.password")}
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={10}
          hint={t("auth.passwordHint")}
          error={fieldError("password")}
        />
        <div className={fieldError("acceptContributionLicence") ? "field field--invalid" : "field"}>
          {fieldError("acceptContributionLicence") ? (
            <p id="licence-error" className="field-error">
              {fieldError("acceptContributionLicence")}
            </p>
          ) : null}
          <label className="checkbox">
            <input
              type="checkbox"
              name="acceptContributionLicence"
              required
              defaultChecked={failed?.values.acceptContributionLicence}
              aria-describedby={fieldError("acceptContributionLicence") ? "licence-error" : undefined}
            />
            {t("auth.acceptLicence")}
          </label>
        </div>
        <button type="submit" className="primary">
          {t("auth.signUp")}
        </button>
      </Form>
      <p>
        {t("auth.haveAccount")} <Link to="/sign-in">{t("auth.signIn")}</Link>
      </p>
    </main>
  );
}
