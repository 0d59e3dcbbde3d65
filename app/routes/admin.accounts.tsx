import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useId } from "react";
import { useTranslation } from "#app/i18n/translation";
import { z } from "zod";
import { changeRole, deactivateAccount, listAccounts, reactivateAccount } from "#app/models/accounts/admin.server";
import { mailLinkOrigin, requirePermission } from "#app/http/auth.server";
import { readForm } from "#app/models/forms.server";
import { ROLES } from "#app/models/authorization.server";
import { createInvite, INVITE_DEFAULT_VALID_DAYS, INVITE_MAX_VALID_DAYS } from "#app/models/invites.server";
import { pageTitle } from "#app/i18n/title";
import { TableScroll } from "#app/components/TableScroll";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "adminAccounts");

const PAGE_SIZE = 100;

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, "manage-accounts");
  const search = new URL(request.url).searchParams.get("q") ?? "";
  const { accounts, total } = await listAccounts(context.services.db, { search, limit: PAGE_SIZE, offset: 0 });
  return {
    roles: ROLES,
    inviteDays: { default: INVITE_DEFAULT_VALID_DAYS, max: INVITE_MAX_VALID_DAYS },
    search,
    total,
    accounts: accounts.map(({ id, name, email, organisation, role, deactivatedAt }) => ({
      id,
      name,
      email,
      organisation,
      role,
      deactivated: deactivatedAt !== null,
    })),
  };
}

const AdminForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("change-role"), userId: z.string(), role: z.string() }),
  z.object({ intent: z.literal("deactivate"), userId: z.string() }),
  z.object({ intent: z.literal("reactivate"), userId: z.string() }),
  z.object({ intent: z.literal("create-invite"), role: z.string(), validDays: z.coerce.number().int() }),
]);

type AdminOutcome =
  | { ok: true; message: "roleChanged" | "accountDeactivated" | "accountReactivated"; invite: null }
  | { ok: true; message: "inviteCreated"; invite: { url: string; expiresAt: string } }
  | { ok: false; error: "forbidden" | "not-found" | "last-admin" | "invalid-input"; invite: null };

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requirePermission(request, context, "manage-accounts");
  const { fields, refused } = await readForm(request);
  const parsed = AdminForm.safeParse(fields);
  const fail = (error: "forbidden" | "not-found" | "last-admin" | "invalid-input") =>
    Response.json({ ok: false, error, invite: null } satisfies AdminOutcome, { status: error === "forbidden" ? 403 : 400 });
  if (refused || !parsed.success) return fail("invalid-input");
  const { services } = context;
  const auditContext = { ip: context.clientIp };
  const form = parsed.data;

  switch (form.intent) {
    case "change-role": {
      const result = await changeRole(services, actor.user, form.userId, form.role, auditContext);
      if (!result.ok) return fail(result.error);
      return { ok: true, message: "roleChanged", invite: null } satisfies AdminOutcome;
    }
    case "deactivate": {
      const result = await deactivateAccount(services, actor.user, form.userId, auditContext);
      if (!result.ok) return fail(result.error);
      return { ok: true, message: "accountDeactivated", invite: null } satisfies AdminOutcome;
    }
    case "reactivate": {
      const result = await reactivateAccount(services, actor.user, form.userId, auditContext);
      if (!result.ok) return fail(result.error);
      return { ok: true, message: "accountReactivated", invite: null } satisfies AdminOutcome;
    }
    case "create-invite": {
      const result = await createInvite(services.db, actor.user, { role: form.role, validDays: form.validDays }, auditContext);
      if (!result.ok) return fail(result.error);
      // Without a verified origin the link is given as a path on the site: a forged Host must not reach an invitee.
      const url = `${mailLinkOrigin(request, context.services) ?? ""}/sign-up?invite=${encodeURIComponent(result.token)}`;
      return { ok: true, message: "inviteCreated", invite: { url, expiresAt: result.expiresAt.toISOString() } } satisfies AdminOutcome;
    }
  }
}

export default function Accounts() {
  const { t, i18n } = useTranslation();
  const { accounts, search, roles, inviteDays } = useLoaderData<typeof loader>();
  const outcome = useActionData<AdminOutcome>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const searchId = useId();
  const inviteRoleId = useId();
  const inviteDaysId = useId();
  const inviteLinkId = useId();
  return (
    <main id="main" className="page wide">
      <h1>{t("admin.accountsTitle")}</h1>
      <p>
        <Link to="/admin/audit">{t("admin.auditTitle")}</Link>
      </p>
      <p role="status" aria-live="polite">
        {outcome?.ok ? t(`admin.${outcome.message}`, { date: outcome.invite ? new Date(outcome.invite.expiresAt).toLocaleDateString(i18n.language) : "" }) : null}
        {outcome && !outcome.ok ? <span className="form-error">{t(`admin.errors.${outcome.error}`)}</span> : null}
      </p>
      {outcome?.invite ? (
        <p className="invite-link">
          <label htmlFor={inviteLinkId}>{t("admin.inviteLink")}</label>
          <input id={inviteLinkId} readOnly value={outcome.invite.url} onFocus={(event) => event.currentTarget.select()} />
        </p>
      ) : null}

      <section aria-labelledby="invites-heading">
        <h2 id="invites-heading">{t("admin.invitesTitle")}</h2>
        <p>{t("admin.invitesIntro")}</p>
        <Form method="post" className="search-form">
          <input type="hidden" name="intent" value="create-invite" />
          <label htmlFor={inviteRoleId}>{t("admin.inviteRole")}</label>
          <select id={inviteRoleId} name="role" defaultValue="member">
            {roles.map((role) => (
              <option key={role} value={role}>
                {t(`roles.${role}`)}
              </option>
            ))}
          </select>
          <label htmlFor={inviteDaysId}>{t("admin.inviteValidDays")}</label>
          <input id={inviteDaysId} name="validDays" type="number" min={1} max={inviteDays.max} defaultValue={inviteDays.default} />
          <button type="submit" disabled={busy}>
            {t("admin.createInvite")}
          </button>
        </Form>
      </section>

      <section aria-labelledby="accounts-heading">
        <h2 id="accounts-heading">{t("admin.accountsTitle")}</h2>
        <Form method="get" role="search" className="search-form">
          <label htmlFor={searchId}>{t("admin.search")}</label>
          <input id={searchId} type="search" name="q" defaultValue={search} />
          <button type="submit">{t("admin.searchButton")}</button>
        </Form>
        {accounts.length === 0 ? (
          <p>{t("admin.noAccounts")}</p>
        ) : (
          <TableScroll labelledBy="accounts-heading">
            <table className="accounts">
              <thead>
                <tr>
                  <th scope="col">{t("admin.name")}</th>
                  <th scope="col">{t("admin.email")}</th>
                  <th scope="col">{t("admin.organisation")}</th>
                  <th scope="col">{t("admin.role")}</th>
                </tr>
              </thead>
              <tbody>
                {accounts.map((account) => (
                  <tr key={account.id}>
                    <th scope="row">
                      {account.name}
                      {account.deactivated ? <span className="badge">{t("admin.deactivated")}</span> : null}
                    </th>
                    <td>{account.email}</td>
                    <td>{account.organisation}</td>
                    <td>
                      <Form method="post" className="role-form">
                        <input type="hidden" name="intent" value="change-role" />
                        <input type="hidden" name="userId" value={account.id} />
                        <select name="role" defaultValue={account.role ?? ""} aria-label={t("admin.changeRole", { name: account.name })}>
                          {account.role === null ? <option value="">{t("roles.none")}</option> : null}
                          {roles.map((role) => (
                            <option key={role} value={role}>
                              {t(`roles.${role}`)}
                            </option>
                          ))}
                        </select>
                        <button type="submit" disabled={busy}>
                          {t("admin.save")}
                        </button>
                      </Form>
                      <Form method="post" className="role-form">
                        <input type="hidden" name="intent" value={account.deactivated ? "reactivate" : "deactivate"} />
                        <input type="hidden" name="userId" value={account.id} />
                        <button type="submit" disabled={busy}>
                          {account.deactivated ? t("admin.reactivate", { name: account.name }) : t("admin.deactivate", { name: account.name })}
                        </button>
                      </Form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
      </section>
    </main>
  );
}
