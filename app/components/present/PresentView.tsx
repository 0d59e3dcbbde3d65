import { Form, Link, useActionData, useFetcher, useLocation, useNavigate, useRevalidator } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState } from "react";
import { z } from "zod";
import { Field } from "#app/components/Field";
import { StaticDocument, type StaticAnnotations } from "#app/editor/StaticDocument";
import { formatMeetingDate } from "#app/i18n/format";
import { Translated, useTranslation } from "#app/i18n/translation";
import { PRESENTER_MOVED } from "#app/present/events";
import { sectionForKey, type HostTools as HostToolsData, type PresentPageData } from "#app/present/view";
import { VERSION_NAME_MAX_LENGTH, type FreezeError } from "#app/versions/types";
import { useHydrated } from "#app/components/use-hydrated";
import { QrCode } from "./QrCode";

const positionSchema = z.object({ sectionId: z.string() });

/** One section of the draft at a time, in large type: the host's present mode, or a participant's following view. */
export function PresentView(data: PresentPageData) {
  const { t } = useTranslation();
  const hydrated = useHydrated();
  const location = useLocation();
  const navigate = useNavigate();
  const { sections, following: followerView } = data;
  const params = new URLSearchParams(location.search);
  const requested = Number.parseInt(params.get("section") ?? "", 10);
  const presenterIndex = sections.findIndex((section) => section.id === data.presenterSectionId);
  const fallbackIndex = followerView && presenterIndex >= 0 ? presenterIndex : 0;
  const index = Number.isSafeInteger(requested) ? Math.min(Math.max(requested - 1, 0), sections.length - 1) : fallbackIndex;
  const section = sections[index];
  const showChanges = params.get("changes") === "on";

  const hrefFor = (target: number) => sectionHref(location.search, target);
  const goTo = useCallback(
    (target: number) => navigate(sectionHref(location.search, target), { replace: true, preventScrollReset: true }),
    [navigate, location.search],
  );

  const [following, setFollowing] = useFollowPresenter(followerView, data.document.slug, sections, index, goTo);
  const moveYourself = (target: number) => {
    setFollowing(false);
    goTo(target);
  };
  useSectionKeys(index, sections.length, followerView ? moveYourself : goTo);
  useAnnouncePosition(!followerView, section?.id);
  const [fullScreen, toggleFullScreen] = useFullScreen();
  const mainRef = useRef<HTMLElement>(null);

  const changed = new Set(showChanges ? (data.changesSince?.changedBlockIds ?? []) : []);
  const annotations: StaticAnnotations = {
    highlights: {},
    margin: (blockId) => {
      const count = data.openThreadCounts[blockId] ?? 0;
      if (count === 0 && !changed.has(blockId)) return null;
      return (
        <span className={changed.has(blockId) ? "present-marks present-marks--changed" : "present-marks"}>
          {changed.has(blockId) ? (
            <span className="present-changed">
              {t("present.changed")} <span className="visually-hidden">{t("present.changedSinceWorkshop")}</span>
            </span>
          ) : null}
          {count > 0 ? <span className="present-count">{t("present.openComments", { count })}</span> : null}
        </span>
      );
    },
  };
  const titleOf = (target: (typeof sections)[number]) => target.title ?? t("present.introduction");
  const stayIfFollowing = followerView ? () => setFollowing(false) : undefined;

  return (
    <main id="main" ref={mainRef} className="present">
      <header className="present-header">
        <h1 className="visually-hidden">
          <Translated
            k={followerView ? "present.followTitle" : "present.title"}
            values={{ title: <span lang={data.document.language}>{data.document.title}</span> }}
          />
        </h1>
        <p aria-live="polite" className="present-position">
          {section ? (
            <Translated
              k="present.position"
              values={{ number: index + 1, count: sections.length, title: <span lang={section.title ? data.document.language : undefined}>{titleOf(section)}</span> }}
            />
          ) : (
            t("present.empty")
          )}
        </p>
        <div className="present-controls">
          {followerView && hydrated ? (
            <button type="button" aria-pressed={following} onClick={() => setFollowing(!following)} aria-describedby="follow-hint">
              {t("present.follow")}
            </button>
          ) : null}
          {hydrated && document.fullscreenEnabled ? (
            <button type="button" aria-pressed={fullScreen} onClick={() => toggleFullScreen(mainRef.current)}>
              {t("present.fullScreen")}
            </button>
          ) : null}
          <Form method="get" className="present-changes-toggle" preventScrollReset replace>
            {[...params].filter(([name]) => name !== "changes" && name !== "section").map(([name, value]) => (
              <input key={name} type="hidden" name={name} value={value} />
            ))}
            <input type="hidden" name="section" value={index + 1} />
            <button type="submit" name="changes" value={showChanges ? "off" : "on"} aria-pressed={showChanges}>
              {t("present.showChanges")}
            </button>
          </Form>
          <Link to={`/d/${data.document.slug}`}>{t("present.backToDraft")}</Link>
        </div>
        {followerView ? (
          <p id="follow-hint" className="hint">
            {t("present.followHint")}
          </p>
        ) : (
          <p className="hint">{t("present.keyboardHint")}</p>
        )}
        {showChanges ? (
          <p className="note">
            {data.changesSince
              ? t("present.changesSince", { number: data.changesSince.number, name: data.changesSince.name, workshop: data.changesSince.workshopTitle })
              : t("present.noPreviousWorkshop")}
          </p>
        ) : null}
      </header>

      <div className="present-body">
        <nav aria-label={t("present.sections")} className="present-nav">
          <ol>
            {sections.map((candidate, candidateIndex) => (
              <li key={candidate.id}>
                <Link
                  to={hrefFor(candidateIndex)}
                  replace
                  preventScrollReset
                  aria-current={candidateIndex === index ? "step" : undefined}
                  onClick={stayIfFollowing}
                  lang={candidate.title ? data.document.language : undefined}
                >
                  {titleOf(candidate)}
                </Link>
              </li>
            ))}
          </ol>
        </nav>
        {section ? (
          <section className="present-section" data-section-id={section.id}>
            <StaticDocument content={section.content} annotations={annotations} />
            <p className="present-step">
              {index > 0 ? (
                <Link to={hrefFor(index - 1)} replace preventScrollReset onClick={stayIfFollowing}>
                  {t("present.previous")}
                </Link>
              ) : null}
              {index < sections.length - 1 ? (
                <Link to={hrefFor(index + 1)} replace preventScrollReset onClick={stayIfFollowing}>
                  {t("present.next")}
                </Link>
              ) : null}
            </p>
          </section>
        ) : null}
      </div>

      {data.host ? <HostTools host={data.host} slug={data.document.slug} nextVersionName={data.nextVersionName} section={index + 1} /> : null}
    </main>
  );
}

interface HostToolsProps {
  host: HostToolsData;
  slug: string;
  nextVersionName: string;
  /** The section shown (1-based), to come back to after freezing. */
  section: number;
}

/** What only the host has: the QR code and short link for participants, and freezing the version presented. */
function HostTools({ host, slug, nextVersionName, section }: HostToolsProps) {
  const { t, i18n } = useTranslation();
  const result = useActionData<FreezeError & { values?: Record<string, string> }>();
  const failed = result?.error === "invalid-input" ? result : null;
  const fieldError = (field: string) => (failed?.field === field ? t(`versions.errors.${failed.code}`) : undefined);
  return (
    <footer className="present-tools">
      <section aria-labelledby="share-title" className="present-share">
        <h2 id="share-title">{t("present.shareTitle")}</h2>
        <QrCode {...host.qrCode} label={t("present.qrLabel", { url: host.draftUrl })} />
        <p>
          {t("present.shareHint")} <a href={host.draftUrl}>{host.draftUrl.replace(/^https?:\/\//, "")}</a>
        </p>
      </section>
      <section aria-labelledby="freeze-title" className="present-freeze">
        <h2 id="freeze-title">{t("present.freezeTitle")}</h2>
        {host.frozenNumber ? (
          <p role="status" className="note">
            {t("present.frozen", { number: host.frozenNumber })} <Link to={`/d/${slug}/v/${host.frozenNumber}`}>{t("present.showVersion")}</Link>
          </p>
        ) : null}
        <Form method="post" className="stacked-form">
          <input type="hidden" name="intent" value="freeze" />
          <input type="hidden" name="section" value={section} />
          <Field
            label={t("versions.name")}
            name="name"
            required
            maxLength={VERSION_NAME_MAX_LENGTH}
            defaultValue={failed?.values?.name ?? nextVersionName}
            error={fieldError("name")}
          />
          <div className={fieldError("workshopId") ? "field field--invalid" : "field"}>
            <label htmlFor="workshop">{t("versions.workshop")}</label>
            {fieldError("workshopId") ? <p className="field-error">{fieldError("workshopId")}</p> : null}
            <select id="workshop" name="workshopId" defaultValue={failed?.values?.workshopId ?? host.preselectedWorkshopId ?? ""}>
              <option value="">{t("versions.noWorkshop")}</option>
              {host.workshops.map((workshop) => (
                <option key={workshop.id} value={workshop.id}>
                  {workshop.title} ({formatMeetingDate(i18n.language, workshop.startsAt)})
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="primary">
            {t("present.freeze")}
          </button>
        </Form>
      </section>
    </footer>
  );
}

/** The address of section `target` (0-based), keeping the view's other parameters. */
function sectionHref(search: string, target: number): string {
  const params = new URLSearchParams(search);
  params.set("section", String(target + 1));
  return `?${params.toString()}`;
}

/** Moves between sections with the keyboard, unless focus is in a form field (where the keys edit text). */
function useSectionKeys(index: number, count: number, goTo: (target: number) => void): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || isFormField(event.target)) return;
      const target = sectionForKey(event.key, index, count);
      if (target === null || count === 0) return;
      event.preventDefault();
      if (target !== index) goTo(target);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [index, count, goTo]);
}

function isFormField(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && target.closest("input, textarea, select, [contenteditable]") !== null;
}

/**
 * Sends the host's section to the server, which tells the followers. One request at a time: the last section
 * shown is sent when the previous request is done, so the followers never end on an older one.
 */
function useAnnouncePosition(presenting: boolean, sectionId: string | undefined): void {
  const mover = useFetcher();
  const sent = useRef<string | null>(null);
  useEffect(() => {
    if (!presenting || !sectionId || mover.state !== "idle" || sent.current === sectionId) return;
    sent.current = sectionId;
    mover.submit({ intent: "move", sectionId }, { method: "post" });
  }, [presenting, sectionId, mover, mover.state]);
}

/**
 * A participant's view follows the presenter's moves, streamed by the server, while `following` is on. A section
 * the page does not know (the draft changed since it loaded) reloads the page's data first.
 */
function useFollowPresenter(
  enabled: boolean,
  slug: string,
  sections: readonly { id: string }[],
  index: number,
  goTo: (target: number) => void,
): [boolean, (following: boolean) => void] {
  const [following, setFollowing] = useState(true);
  const [presenterId, setPresenterId] = useState<string | null>(null);
  const revalidator = useRevalidator();
  const reloadedFor = useRef<string | null>(null);
  useEffect(() => {
    if (!enabled) return;
    const source = new EventSource(`/d/${encodeURIComponent(slug)}/present/events`);
    const onMove = (event: MessageEvent<string>) => {
      const position = positionSchema.safeParse(parseJson(event.data));
      if (position.success) setPresenterId(position.data.sectionId);
    };
    source.addEventListener(PRESENTER_MOVED, onMove);
    return () => {
      source.removeEventListener(PRESENTER_MOVED, onMove);
      source.close();
    };
  }, [enabled, slug]);
  useEffect(() => {
    if (!enabled || !following || presenterId === null) return;
    const target = sections.findIndex((section) => section.id === presenterId);
    if (target === -1) {
      if (reloadedFor.current !== presenterId && revalidator.state === "idle") {
        reloadedFor.current = presenterId;
        revalidator.revalidate();
      }
      return;
    }
    if (target !== index) goTo(target);
  }, [enabled, following, presenterId, sections, index, goTo, revalidator]);
  return [following, setFollowing];
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Whether the page is full screen, and how to switch: the element given fills the screen. */
function useFullScreen(): [boolean, (element: HTMLElement | null) => void] {
  const [fullScreen, setFullScreen] = useState(false);
  useEffect(() => {
    const onChange = () => setFullScreen(document.fullscreenElement !== null);
    document.addEventListener("fullscreenchange", onChange);
    return () => document.removeEventListener("fullscreenchange", onChange);
  }, []);
  const toggle = (element: HTMLElement | null) => {
    if (document.fullscreenElement) void document.exitFullscreen();
    else void element?.requestFullscreen();
  };
  return [fullScreen, toggle];
}
