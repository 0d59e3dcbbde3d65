/**
 * The network's digital workshops of autumn 2020. Dates, titles and organisers are taken from the
 * programme; the descriptions are written for Samråd. Each workshop ran 10:00–12:00 Swedish time:
 * CEST (UTC+2) until 25 October 2020, CET (UTC+1) afterwards.
 */
export interface SeedWorkshop {
  slug: string;
  title: string;
  startsAt: Date;
  endsAt: Date;
  description: string;
  /** As listed in the programme: names and organisations. */
  organisers: string;
}

export const SEED_WORKSHOPS: SeedWorkshop[] = [
  {
    slug: "2020-09-01-oppna-licenser-och-immaterialratt",
    title: "Öppna licenser och immaterialrätt – hur hänger det ihop?",
    startsAt: new Date("2020-09-01T10:00:00+02:00"),
    endsAt: new Date("2020-09-01T12:00:00+02:00"),
    description:
      "PRV och Digg visar den första versionen av sin vägledning till myndigheter om öppna licenser och immaterialrätt. Vägledningen ska reda ut hur myndigheter kan dela sitt material öppet och hur upphovsrätt och öppna licenser fungerar tillsammans. Nätverket bjuds in att lämna synpunkter på utkastet.",
    organisers: "Catharina Ekdahl och Charlott Galant (PRV), Björn Hagström och Adam Panzer (DIGG)",
  },
  {
    slug: "2020-09-15-samverkan-kring-offentlig-sektors-oppna-data",
    title: "Samverkan kring offentlig sektors öppna data-satsningar",
    startsAt: new Date("2020-09-15T10:00:00+02:00"),
    endsAt: new Date("2020-09-15T12:00:00+02:00"),
    description:
      "Hur kan en myndighet bygga en gemenskap av användare och utvecklare kring sina öppna data? Jobtechdev vid Arbetsförmedlingen och Trafiklab vid Samtrafiken berättar hur de arbetar med sina ekosystem och vad de har lärt sig på vägen. Deltagarna delar sina egna erfarenheter och hinder.",
    organisers:
      "Johan Linåker (Lunds universitet), Jonas Södergren (Arbetsförmedlingen), Jerry Löfvenhaft (Samtrafiken) samt Digg",
  },
  {
    slug: "2020-10-06-introduktion-till-oppen-programvara",
    title: "Introduktion till öppen programvara – transparens, innovation och kostnadsbesparingar",
    startsAt: new Date("2020-10-06T10:00:00+02:00"),
    endsAt: new Date("2020-10-06T12:00:00+02:00"),
    description:
      "Träffen handlar om vad offentlig sektor vinner på att utveckla programvara öppet och i samarbete, och hur det hänger ihop med arbetet med öppna data. Forskare från Lunds universitet, Kammarkollegiet med råd om upphandling samt Arbetsförmedlingen och Alingsås kommun bidrar med perspektiv och praktiska exempel.",
    organisers:
      "Per Runeson och Johan Linåker (Lunds universitet), Daniel Melin (Kammarkollegiet), Göran Westerlund (Alingsås kommun)",
  },
  {
    slug: "2020-11-03-forvaltning-och-ansvar-kring-oppna-data",
    title: "Förvaltning och ansvar kring öppna data",
    startsAt: new Date("2020-11-03T10:00:00+01:00"),
    endsAt: new Date("2020-11-03T12:00:00+01:00"),
    description:
      "Öppna data publiceras av många olika organisationer, men användarna vill hitta allt på ett ställe och mötas av en enhetlig upplevelse. Vi diskuterar hur ansvaret för förvaltningen kan fördelas så att det fungerar.",
    organisers: "Digg, Internetstiftelsen, SKR",
  },
  {
    slug: "2020-12-01-samverkan-i-praktiken",
    title: "Samverkan i praktiken – utveckling av öppna data mellan offentliga och privata aktörer",
    startsAt: new Date("2020-12-01T10:00:00+01:00"),
    endsAt: new Date("2020-12-01T12:00:00+01:00"),
    description:
      "Hur går det till när en myndighet tar fram nya datamängder tillsammans med företag och andra aktörer? Med exempel från bland andra Arbetsförmedlingen och Samtrafiken tar vi upp val av licens, balansen mellan affärsnytta och allmännytta, myndighetens roll som neutral part och tekniken för att samla in och dela data.",
    organisers: "Jobtechdev, Trafiklab, Migrationsverket",
  },
];
