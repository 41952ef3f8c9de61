// Country codes and names. The API speaks ISO 3166-1 alpha-2 ("FR"); the
// world map's shapes carry ISO numeric ids ("250"). Names come from the
// browser's own Intl data, so no locale files ship with the UI.

import countries from "i18n-iso-countries";

const names = new Intl.DisplayNames(["en"], { type: "region", fallback: "code" });

/** "FR" from "250"; null for shapes with no ISO code (disputed areas). */
export function alpha2FromNumeric(numeric: string | number | undefined): string | null {
  if (numeric === undefined) return null;
  return countries.numericToAlpha2(numeric) ?? null;
}

/** "France" for "FR"; the code itself when the browser does not know it. */
export function countryName(alpha2: string): string {
  if (!/^[A-Za-z]{2}$/.test(alpha2)) return alpha2 || "Unknown";
  try {
    return names.of(alpha2.toUpperCase()) ?? alpha2;
  } catch {
    return alpha2;
  }
}

/** "France (FR)", or "Unknown" for an empty code. */
export function countryLabel(alpha2: string | null | undefined): string {
  if (!alpha2) return "Unknown";
  return `${countryName(alpha2)} (${alpha2.toUpperCase()})`;
}
