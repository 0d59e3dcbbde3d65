import { redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { PresentView } from "#app/components/present/PresentView";
import { publicBaseUrl, requirePermission } from "#app/http/auth.server";
import { requireDocument } from "#app/http/document.server";
import { readForm } from "#app/models/forms.server";
import { loadPresentation, loadWorkshopChoice, movePresenter, qrCodeOf } from "#app/models/present.server";
import { freezeVersion } from "#app/models/versions.server";
import { withoutViewParams, type PresentPageData } from "#app/present/view";
import { freezeField } from "#app/versions/types";
import { parseVersionNumber } from "#app/input/numbers";
import stylesheet from "#app/styles/present.css?url";
import { pageTitle } from "#app/i18n/title";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: stylesheet }];

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => pageTitle(matches, "present", data?.document.title);

/**
 * Present mode for hosts (`/d/<slug>/present`), and the same sections read-only for anyone following the presenter
 * (`/d/<slug>/present?follow`).
 */
export async function loader({ request, params, context }: LoaderFunctionArgs): Promise<PresentPageData> {
  const url = new URL(request.url);
  const following = url.searchParams.has("follow");
  if (!following) await requirePermission(request, context, "manage-workshops");
  const document = await requireDocument(context, params.slug);
  const now = new Date();
  const presentation = await loadPresentation(context.services, document.id, now);
  const draftUrl = `${publicBaseUrl(request, context.services)}/d/${document.slug}`;
  const frozen = parseVersionNumber(url.searchParams.get("frozen"));
  return {
    document: { slug: document.slug, title: document.title, language: document.language },
    following,
    ...presentation,
    host: following
      ? null
      : {
          draftUrl,
          qrCode: qrCodeOf(draftUrl),
          frozenNumber: frozen,
          ...(await loadWorkshopChoice(context.services.db, now)),
        },
  };
}

/** The host's moves (`intent=move`, sent as they present) and "freeze the version presented here" (`intent=freeze`). */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const current = await requirePermission(request, context, "manage-workshops");
  const document = await requireDocument(context, params.slug);
  const { fields, refused } = await readForm(request);
  if (refused) return Response.json({ ok: false, error: "invalid-input", field: freezeField(refused), code: "control-characters", values: fields }, { status: 400 });
  switch (fields.intent) {
    case "move": {
      const result = await movePresenter(context.services, document.id, fields);
      return Response.json(result, { status: result.ok ? 200 : 400 });
    }
    case "freeze": {
      const result = await freezeVersion(context.services, current, document.id, fields);
      if (!result.ok) return Response.json({ ...result, values: fields }, { status: result.error === "not-allowed" ? 403 : 400 });
      const section = new URLSearchParams({ section: fields.section ?? "1", frozen: String(result.version.number) });
      return redirect(`/d/${document.slug}/present?${section.toString()}`);
    }
    default:
      return Response.json({ ok: false }, { status: 400 });
  }
}

/**
 * Moving between sections changes only the address: everything is loaded already. A host's move, sent to the
 * action, changes nothing on the page either.
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({ currentUrl, nextUrl, formData, defaultShouldRevalidate }) => {
  if (formData?.get("intent") === "move") return false;
  const onlyViewChanged = currentUrl.href !== nextUrl.href && withoutViewParams(currentUrl) === withoutViewParams(nextUrl);
  return onlyViewChanged ? false : defaultShouldRevalidate;
};

export default function Present() {
  return <PresentView {...useLoaderData<typeof loader>()} />;
}
