/** Swedish, the default language. Every UI string of Samråd lives here and in en.ts. */
export const sv = {
  app: {
    name: "Samråd",
    skipToContent: "Hoppa till innehållet",
    mainNavigation: "Huvudmeny",
  },
  language: {
    change: "Byt språk",
    sv: "Svenska",
    en: "English",
  },
  home: {
    title: "Samråd",
    intro:
      "Här skriver nätverket utkast tillsammans. Läs det senaste utkastet, följ ändringarna och se vid vilken workshop varje version visades.",
    documents: "Utkast",
    noDocuments: "Det finns inga utkast ännu.",
    workshops: "Workshoppar",
    noWorkshops: "Inga workshoppar är inlagda.",
    organisers: "Arrangörer: {{organisers}}",
    when: "{{date}}, kl. {{start}}–{{end}}",
  },
  document: {
    editorLabel: "Utkastets text",
    readingNote: "Du läser utkastet. Slå på JavaScript för att redigera tillsammans med andra.",
    toolbar: "Redigering",
    displayName: "Ditt namn i utkastet",
    displayNameHint: "Visas för andra bredvid din markör.",
    saveName: "Spara namn",
    guestName: "Gäst {{n}}",
    editingAs: "Du redigerar som {{name}}.",
    connection: {
      connected: "Ansluten – ändringar sparas",
      connecting: "Ansluter…",
      reconnecting: "Anslutningen bröts – försöker igen…",
      offline: "Offline – dina ändringar skickas när du är ansluten igen",
    },
  },
  errors: {
    notFoundTitle: "Sidan finns inte",
    notFoundBody: "Vi hittade ingen sida på den adressen. Den kan ha flyttats eller tagits bort.",
    genericTitle: "Något gick fel",
    genericBody: "Ett oväntat fel inträffade. Försök igen om en stund. Inget av det du har sparat har gått förlorat.",
    backHome: "Till startsidan",
  },
};

/** The shape every catalogue must have: the Swedish one, with string leaves. */
type Catalogue<T> = { [K in keyof T]: T[K] extends string ? string : Catalogue<T[K]> };
export type Messages = Catalogue<typeof sv>;
