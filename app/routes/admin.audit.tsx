import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "#app/i18n/translation";
import { listAudit } from "#app/models/audit.server";
import { requirePermission } from "#app/http/auth.server";
import { pageTitle } from "#app/i18n/title";
import { TableScroll } from "#app/components/TableScroll";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "adminAudit");

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, "manage-accounts");
  const { entries } = await listAudit(context.services.db, { limit: 200, offset: 0 });
  return {
    entries: entries.map((entry) => ({
      id: entry.id,
      action: entry.action,
      subject: entry.subject,
      ip: entry.ip,
      at: entry.createdAt.toISOString(),
      actor: entry.actor ? `${entry.actor.name} <${entry.actor.email}>` : null,
    })),
  };
}

export default function AuditLog() {
  const { t, i18n } = useTranslation();
  const { entries } = useLoaderData<typeof loader>();
  return (
    <main id="main" className="page wide">
      <p>
        <Link to="/admin/accounts">{t("admin.accountsTitle")}</Link>
      </p>
      <h1 id="audit-heading">{t("admin.auditTitle")}</h1>
      {entries.length === 0 ? (
        <p>{t("admin.auditEmpty")}</p>
      ) : (
        <TableScroll labelledBy="audit-heading">
          <table className="accounts">
            <thead>
              <tr>
                <th scope="col">{t("admin.auditWhen")}</th>
                <th scope="col">{t("admin.auditWho")}</th>
                <th scope="col">{t("admin.auditAction")}</th>
                <th scope="col">{t("admin.auditSubject")}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id}>
                  <td>
                    <time dateTime={entry.at}>{new Date(entry.at).toLocaleString(i18n.language, { timeZone: "Europe/Stockholm" })}</time>
                  </td>
                  <td>{entry.actor ?? t("admin.system")}</td>
                  <td>
                    <code>{entry.action}</code>
                  </td>
                  <td>{entry.subject}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </main>
  );
}
