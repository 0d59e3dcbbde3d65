import type { Messages } from "./sv";

export const en: Messages = {
  app: {
    name: "Samråd",
    skipToContent: "Skip to content",
    mainNavigation: "Main menu",
  },
  language: {
    change: "Change language",
    sv: "Svenska",
    en: "English",
  },
  home: {
    title: "Samråd",
    intro:
      "This is where the network writes drafts together. Read the latest draft, follow the changes and see at which workshop each version was presented.",
    documents: "Drafts",
    noDocuments: "There are no drafts yet.",
    workshops: "Workshops",
    noWorkshops: "No workshops have been added.",
    organisers: "Organisers: {{organisers}}",
    when: "{{date}}, {{start}}–{{end}}",
  },
  document: {
    editorLabel: "Text of the draft",
    readingNote: "You are reading the draft. Turn on JavaScript to edit together with others.",
    toolbar: "Editing",
    displayName: "Your name in the draft",
    displayNameHint: "Shown to others next to your cursor.",
    saveName: "Save name",
    guestName: "Guest {{n}}",
    editingAs: "You are editing as {{name}}.",
    connection: {
      connected: "Connected – changes are saved",
      connecting: "Connecting…",
      reconnecting: "Connection lost – trying again…",
      offline: "Offline – your changes will be sent when you are back online",
    },
  },
  errors: {
    notFoundTitle: "Page not found",
    notFoundBody: "There is no page at this address. It may have been moved or removed.",
    genericTitle: "Something went wrong",
    genericBody: "An unexpected error occurred. Please try again in a moment. Nothing you saved has been lost.",
    backHome: "Back to the home page",
  },
};
