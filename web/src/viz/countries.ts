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

let byName: Map<string, string> | null = null;

/** "DE" from "DE", "de", "Germany" or "germany" (the names the UI shows);
 *  null when no country has that code or name. */
export function alpha2FromInput(text: string): string | null {
  const wanted = text.trim();
  if (/^[A-Za-z]{2}$/.test(wanted)) return wanted.toUpperCase();
  if (byName === null) {
    byName = new Map();
    for (const code of Object.keys(countries.getAlpha2Codes())) byName.set(countryName(code).toLowerCase(), code);
  }
  return byName.get(wanted.toLowerCase()) ?? null;
}

/** "France (FR)", or "Unknown" for an empty code. */
export function countryLabel(alpha2: string | null | undefined): string {
  if (!alpha2) return "Unknown";
  return `${countryName(alpha2)} (${alpha2.toUpperCase()})`;
}
