import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { Timestamp } from "#app/components/comments/Timestamp";
import { useTranslation } from "#app/i18n/translation";
import { requirePermission } from "#app/http/auth.server";
import { loadNotifications, markAllRead, type NotificationView } from "#app/models/notifications.server";
import { pageTitle } from "#app/i18n/title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "notifications");

/** `/notifications`: replies, status changes and new versions for the signed-in member, newest first. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const current = await requirePermission(request, context, "read");
  return { notifications: await loadNotifications(context.services.db, current.user.id), now: new Date().toISOString() };
}

/** "Mark all as read", the page's one form; answered with the page again, so reloading does not post it twice. */
export async function action({ request, context }: ActionFunctionArgs) {
  const current = await requirePermission(request, context, "read");
  await markAllRead(context.services.db, current.user.id);
  return redirect("/notifications?read=all");
}

export default function Notifications() {
  const { t } = useTranslation();
  const { notifications, now } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const unread = notifications.filter((notification) => notification.unread).length;
  return (
    <main id="main" className="page">
      <h1>{t("notifications.title")}</h1>
      <p className="lead">{t("notifications.intro")}</p>
      {searchParams.get("read") === "all" && unread === 0 ? (
        <p role="status" className="note">
          {t("notifications.markedRead")}
        </p>
      ) : null}
      {notifications.length === 0 ? (
        <p>{t("notifications.empty")}</p>
      ) : (
        <>
          {unread > 0 ? (
            <Form method="post">
              <p>
                {t("notifications.unread", { count: unread })}{" "}
                <button type="submit">{t("notifications.markAllRead")}</button>
              </p>
            </Form>
          ) : null}
          <ol className="notification-list">
            {notifications.map((notification) => (
              <NotificationItem key={notification.id} notification={notification} now={now} />
            ))}
          </ol>
        </>
      )}
    </main>
  );
}

function NotificationItem({ notification, now }: { notification: NotificationView; now: string }) {
  const { t } = useTranslation();
  const text = t(`notifications.item.${notification.kind}`, {
    actor: notification.actorName,
    document: notification.documentTitle,
    number: notification.versionNumber,
    name: notification.versionName ?? "",
  });
  return (
    <li className={notification.unread ? "notification notification--unread" : "notification"}>
      {notification.unread ? <strong className="badge">{t("notifications.unreadLabel")}</strong> : null} {text}{" "}
      <Link to={notification.href}>{t(notification.kind === "version" ? "notifications.openVersion" : "notifications.openThread")}</Link>
      <br />
      <span className="comment__time">
        <Timestamp instant={notification.createdAt} now={now} />
      </span>
    </li>
  );
}
