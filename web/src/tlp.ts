// TLP 2.0 labels as FIRST defines them: the label text in colour on black.
//   TLP:RED          #FF2B2B on #000000
//   TLP:AMBER        #FFC000 on #000000   (TLP:AMBER+STRICT: same colours)
//   TLP:GREEN        #33FF00 on #000000
//   TLP:CLEAR        #FFFFFF on #000000
// The colours are in style.css (.tlp-*); the text always says the level, so
// the label never depends on colour alone.

import { h } from "./dom";
import type { Tlp } from "./types";

export function tlpText(tlp: Tlp): string {
  return `TLP:${tlp.toUpperCase()}`;
}

export function tlpClass(tlp: Tlp): string {
  return `tlp tlp-${tlp === "amber+strict" ? "amber-strict" : tlp}`;
}

export function tlpLabel(tlp: Tlp): HTMLElement {
  return h("span", { class: tlpClass(tlp), "data-tlp": tlp }, tlpText(tlp));
}
