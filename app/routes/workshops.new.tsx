import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData } from "@remix-run/react";
import { WorkshopForm } from "#app/components/WorkshopForm";
import { useTranslation } from "#app/i18n/translation";
import { requirePermission } from "#app/http/auth.server";
import { readForm } from "#app/models/forms.server";
import { createWorkshop } from "#app/models/workshops.server";
import { isWorkshopField, type WorkshopError, type WorkshopFieldErrors, type WorkshopFormValues } from "#app/workshops/types";
import { pageTitle } from "#app/i18n/title";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "newWorkshop");

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, "manage-workshops");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const current = await requirePermission(request, context, "manage-workshops");
  const { fields, refused } = await readForm(request);
  if (refused) {
    const fieldErrors: WorkshopFieldErrors = isWorkshopField(refused) ? { [refused]: "control-characters" } : { title: "control-characters" };
    return Response.json({ ok: false, error: "invalid-input", fieldErrors, values: fields } satisfies WorkshopError & { values: unknown }, { status: 400 });
  }
  const result = await createWorkshop(context.services.db, current, fields);
  if (result.ok) return redirect(`/workshops/${result.workshop.slug}`);
  return Response.json({ ...result, values: fields }, { status: result.error === "not-allowed" ? 403 : 400 });
}

export default function NewWorkshop() {
  const { t } = useTranslation();
  const result = useActionData<WorkshopError & { values?: Partial<WorkshopFormValues> }>();
  return (
    <main id="main" className="page narrow">
      <p>
        <Link to="/workshops">{t("workshop.allWorkshops")}</Link>
      </p>
      <h1>{t("workshop.newTitle")}</h1>
      <WorkshopForm
        values={result?.values}
        fieldErrors={result?.error === "invalid-input" ? result.fieldErrors : undefined}
        submitLabel={t("workshop.create")}
      />
    </main>
  );
}
