import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "#app/i18n/translation";
import { Field } from "#app/components/Field";
import { type FieldErrors } from "#app/models/accounts/fields.server";
import { changePassword } from "#app/models/accounts/password-change.server";
import { signOutEverywhere } from "#app/models/accounts/sign-in.server";
import { requirePermission } from "#app/http/auth.server";
import { readForm } from "#app/models/forms.server";
import { loadEmailSettings, saveEmailSettings } from "#app/models/notifications.server";
import { clearSessionCookie } from "#app/models/sessions.server";
import { pageTitle } from "#app/i18n/title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "account");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user, role } = await requirePermission(request, context, "read");
  return { name: user.name, email: user.email, organisation: user.organisation, role, emailSettings: await loadEmailSettings(context.services.db, user.id) };
}

type PasswordField = "currentPassword" | "newPassword";

type EmailSettingsResult = { emailSettings: "saved" | "failed" };

type ChangePasswordResult =
  | { ok: true }
  | { ok: false; error: "invalid-input" | "wrong-password" | "not-found" | "rate-limited"; minutes: number; fieldErrors: FieldErrors<PasswordField> };

export async function action({ request, context }: ActionFunctionArgs) {
  const current = await requirePermission(request, context, "read");
  const { services, clientIp } = context;
  const { fields, refused } = await readForm(request);

  if (refused) {
    const field = refused === "currentPassword" ? "currentPassword" : "newPassword";
    return Response.json({ ok: false, error: "invalid-input", minutes: 0, fieldErrors: { [field]: "control-characters" } } satisfies ChangePasswordResult, {
      status: 400,
    });
  }

  if (fields.intent === "email-settings") {
    const saved = await saveEmailSettings(services.db, current.user.id, fields);
    return Response.json({ emailSettings: saved.ok ? "saved" : "failed" } satisfies EmailSettingsResult, { status: saved.ok ? 200 : 400 });
  }

  if (fields.intent === "sign-out-everywhere") {
    await signOutEverywhere(services, current.user.id, { ip: clientIp });
    return redirect("/", { headers: { "Set-Cookie": clearSessionCookie({ secure: services.secureCookies }) } });
  }

  const failure = (failed: Omit<Extract<ChangePasswordResult, { ok: false }>, "ok" | "minutes"> & { minutes?: number }, status: number) =>
    Response.json({ ok: false, minutes: 0, ...failed } satisfies ChangePasswordResult, { status });
  const result = await changePassword(
    services,
    current.user.id,
    { currentPassword: fields.currentPassword ?? "", newPassword: fields.newPassword ?? "" },
    { ip: clientIp, keepSessionId: current.session.id },
  );
  if (!result.ok && result.error === "rate-limited") {
    return failure({ error: result.error, minutes: Math.ceil(result.retryAfterSeconds / 60), fieldErrors: {} }, 429);
  }
  if (!result.ok) {
    // A wrong current password is shown at its field by the component.
    return failure({ error: result.error, fieldErrors: result.error === "invalid-input" ? result.fieldErrors : {} }, 400);
  }
  return { ok: true } satisfies ChangePasswordResult;
}

export default function Account() {
  const { t } = useTranslation();
  const { name, email, organisation, role, emailSettings } = useLoaderData<typeof loader>();
  const answer = useActionData<ChangePasswordResult | EmailSettingsResult>();
  const settingsResult = answer && "emailSettings" in answer ? answer : undefined;
  const result = answer && "ok" in answer ? answer : undefined;
  const failed = result && !result.ok ? result : undefined;
  const fieldError = (field: PasswordField) => {
    if (field === "currentPassword" && failed?.error === "wrong-password") return t("account.errors.wrong-password");
    const code = failed?.fieldErrors[field];
    return code ? t(`auth.errors.${code}`) : undefined;
  };
  return (
    <main id="main" className="page narrow">
      <h1>{t("account.title")}</h1>
      <dl className="account-details">
        <dt>{t("account.name")}</dt>
        <dd>{name}</dd>
        <dt>{t("account.email")}</dt>
        <dd>{email}</dd>
        <dt>{t("account.organisation")}</dt>
        <dd>{organisation || t("account.noOrganisation")}</dd>
        <dt>{t("account.role")}</dt>
        <dd>{t(`roles.${role ?? "none"}`)}</dd>
      </dl>

      <h2>{t("account.changePasswordTitle")}</h2>
      {result?.ok ? (
        <p role="status" className="note">
          {t("account.passwordChanged")}
        </p>
      ) : null}
      {failed ? (
        <p role="alert" className="form-error">
          {failed.error === "invalid-input" || failed.error === "wrong-password"
            ? t("auth.errors.summary")
            : failed.error === "rate-limited"
              ? t("auth.errors.rate-limited", { minutes: failed.minutes })
              : t(`account.errors.${failed.error}`)}
        </p>
      ) : null}
      <Form method="post" className="stacked-form">
        <Field
          label={t("account.currentPassword")}
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          required
          error={fieldError("currentPassword")}
        />
        <Field
          label={t("account.newPassword")}
          name="newPassword"
          type="password"
          autoComplete="new-password"
          required
          minLength={10}
          hint={t("account.newPasswordHint")}
          error={fieldError("newPassword")}
        />
        <button type="submit" name="intent" value="change-password" className="primary">
          {t("account.changePassword")}
        </button>
      </Form>

      <h2 id="email-settings">{t("notifications.settings.title")}</h2>
      <p>{t("notifications.settings.intro", { email })}</p>
      {settingsResult ? (
        <p role={settingsResult.emailSettings === "saved" ? "status" : "alert"} className={settingsResult.emailSettings === "saved" ? "note" : "form-error"}>
          {t(`notifications.settings.${settingsResult.emailSettings}`)}
        </p>
      ) : null}
      <Form method="post" className="stacked-form">
        <label className="checkbox">
          <input type="checkbox" name="emailOnReply" defaultChecked={emailSettings.reply} />
          {t("notifications.settings.reply")}
        </label>
        <label className="checkbox">
          <input type="checkbox" name="emailOnStatus" defaultChecked={emailSettings.status} />
          {t("notifications.settings.status")}
        </label>
        <label className="checkbox">
          <input type="checkbox" name="emailOnVersion" defaultChecked={emailSettings.version} />
          {t("notifications.settings.version")}
        </label>
        <button type="submit" name="intent" value="email-settings">
          {t("notifications.settings.save")}
        </button>
      </Form>

      <h2>{t("account.signOutEverywhereTitle")}</h2>
      <p>{t("account.signOutEverywhereIntro")}</p>
      <Form method="post">
        <button type="submit" name="intent" value="sign-out-everywhere">
          {t("account.signOutEverywhere")}
        </button>
      </Form>
    </main>
  );
}
