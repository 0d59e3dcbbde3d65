/** A licence contributions are published under, as the comment box names and links it. */
export interface Licence {
  id: string;
  name: string;
  url: string | null;
}

const KNOWN: Record<string, Omit<Licence, "id">> = {
  "CC-BY-4.0": { name: "CC BY 4.0", url: "https://creativecommons.org/licenses/by/4.0/deed.sv" },
  "CC-BY-SA-4.0": { name: "CC BY-SA 4.0", url: "https://creativecommons.org/licenses/by-sa/4.0/deed.sv" },
  "CC0-1.0": { name: "CC0 1.0", url: "https://creativecommons.org/publicdomain/zero/1.0/deed.sv" },
};

/** The licences a new draft's contributions may be published under (the first is the default). */
export const CONTRIBUTION_LICENCE_IDS = Object.keys(KNOWN);

/** The licence with an SPDX id; one Samråd does not know is shown by its id, without a link. */
export function licenceOf(spdxId: string): Licence {
  return { id: spdxId, ...(KNOWN[spdxId] ?? { name: spdxId, url: null }) };
}
