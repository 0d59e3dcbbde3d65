import { Link } from "@remix-run/react";
import { useTranslation } from "#app/i18n/translation";
import { WorkshopTime } from "./WorkshopTime";

interface ListedWorkshop {
  slug: string;
  title: string;
  startsAt: string;
  endsAt: string;
  organisers: string;
  /** Shown when given (the home page's programme). */
  description?: string;
}

/** Workshops with their times and organisers, each linking to its page. */
export function WorkshopList({ workshops }: { workshops: ListedWorkshop[] }) {
  const { t } = useTranslation();
  return (
    <ol className="workshop-list">
      {workshops.map((workshop) => (
        <li key={workshop.slug} id={`workshop-${workshop.slug}`}>
          <h3 lang="sv">
            <Link to={`/workshops/${workshop.slug}`}>{workshop.title}</Link>
          </h3>
          <p>
            <WorkshopTime startsAt={workshop.startsAt} endsAt={workshop.endsAt} />
          </p>
          {workshop.description ? <p lang="sv">{workshop.description}</p> : null}
          {workshop.organisers ? <p className="organisers">{t("home.organisers", { organisers: workshop.organisers })}</p> : null}
        </li>
      ))}
    </ol>
  );
}
