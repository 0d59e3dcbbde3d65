import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { WorkshopForm } from "#app/components/WorkshopForm";
import { useTranslation } from "#app/i18n/translation";
import { requirePermission } from "#app/http/auth.server";
import { readForm } from "#app/models/forms.server";
import { loadWorkshopForm, updateWorkshop } from "#app/models/workshops.server";
import { isWorkshopField, type WorkshopError, type WorkshopFieldErrors, type WorkshopFormValues } from "#app/workshops/types";
import { pageTitle } from "#app/i18n/title";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageTitle(matches, "editWorkshop", data?.title);

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, "manage-workshops");
  const form = await loadWorkshopForm(context.services.db, params.slug ?? "");
  if (!form) throw new Response("Not found", { status: 404 });
  return { slug: params.slug ?? "", ...form };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const current = await requirePermission(request, context, "manage-workshops");
  const { fields, refused } = await readForm(request);
  if (refused) {
    const fieldErrors: WorkshopFieldErrors = isWorkshopField(refused) ? { [refused]: "control-characters" } : { title: "control-characters" };
    return Response.json({ ok: false, error: "invalid-input", fieldErrors, values: fields } satisfies WorkshopError & { values: unknown }, { status: 400 });
  }
  const result = await updateWorkshop(context.services.db, current, params.slug ?? "", fields);
  if (result.ok) return redirect(`/workshops/${result.workshop.slug}`);
  if (result.error === "not-found") throw new Response("Not found", { status: 404 });
  return Response.json({ ...result, values: fields }, { status: result.error === "not-allowed" ? 403 : 400 });
}

export default function EditWorkshop() {
  const { t } = useTranslation();
  const { slug, title, values } = useLoaderData<typeof loader>();
  const result = useActionData<WorkshopError & { values?: Partial<WorkshopFormValues> }>();
  return (
    <main id="main" className="page narrow">
      <p>
        <Link to={`/workshops/${slug}`}>{t("workshop.backToWorkshop")}</Link>
      </p>
      <h1>{t("workshop.editTitle")}</h1>
      <p className="lead" lang="sv">
        {title}
      </p>
      <WorkshopForm
        values={result?.values ?? values}
        fieldErrors={result?.error === "invalid-input" ? result.fieldErrors : undefined}
        submitLabel={t("workshop.save")}
      />
    </main>
  );
}
