import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { changeRole, listAccounts } from "~/models/accounts.server";
import { requirePermission } from "~/models/auth.server";
import { can, isRole, ROLES } from "~/models/authorization.server";

export const meta: MetaFunction = () => [{ title: "Samråd" }];

const PAGE_SIZE = 100;

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, "manage-accounts");
  const search = new URL(request.url).searchParams.get("q") ?? "";
  const { accounts, total } = await listAccounts(context.services.db, { search, limit: PAGE_SIZE, offset: 0 });
  return {
    roles: ROLES,
    search,
    total,
    accounts: accounts.map(({ id, name, email, organisation, role }) => ({ id, name, email, organisation, role })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requirePermission(request, context, "manage-accounts");
  const form = await request.formData();
  const userId = String(form.get("userId") ?? "");
  const role = String(form.get("role") ?? "");
  const result = await changeRole(context.services.db, actor.user, userId, role, { ip: context.clientIp });
  if (!result.ok) return Response.json({ ok: false as const, error: result.error, userId }, { status: result.error === "forbidden" ? 403 : 400 });
  // Open editor connections follow the new role at once, without waiting for a reload.
  if (isRole(role)) context.services.setCollaborationAccess(userId, { readOnly: !can(role, "edit-draft") });
  return { ok: true as const, error: null, userId };
}

export default function Accounts() {
  const { t } = useTranslation();
  const { accounts, search, roles } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const searchId = useId();
  return (
    <main id="main" className="page wide">
      <h1>{t("admin.accountsTitle")}</h1>
      <Form method="get" role="search" className="search-form">
        <label htmlFor={searchId}>{t("admin.search")}</label>
        <input id={searchId} type="search" name="q" defaultValue={search} />
        <button type="submit">{t("admin.searchButton")}</button>
      </Form>
      <p role="status">
        {result?.ok ? t("admin.roleChanged") : null}
        {result && !result.ok ? <span className="form-error">{t(`admin.errors.${result.error}`)}</span> : null}
      </p>
      {accounts.length === 0 ? (
        <p>{t("admin.noAccounts")}</p>
      ) : (
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
                <th scope="row">{account.name}</th>
                <td>{account.email}</td>
                <td>{account.organisation}</td>
                <td>
                  <Form method="post" className="role-form">
                    <input type="hidden" name="userId" value={account.id} />
                    <select name="role" defaultValue={account.role ?? ""} aria-label={t("admin.changeRole", { name: account.name })}>
                      {account.role === null ? <option value="">{t("roles.none")}</option> : null}
                      {roles.map((role) => (
                        <option key={role} value={role}>
                          {t(`roles.${role}`)}
                        </option>
                      ))}
                    </select>{" "}
                    <button type="submit" disabled={navigation.state === "submitting"}>
                      {t("admin.save")}
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
