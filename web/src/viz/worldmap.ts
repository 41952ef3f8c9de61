// A world map shaded by a count per country (alerts, victims), drawn with
// d3-geo from the Natural Earth shapes of the world-atlas package (loaded on
// first use as its own chunk). Countries with a count are buttons: click or
// Enter selects them. The numbers are also always given as text by the
// screens that use the map (a table beside it), so the map is never the
// only way to read them.

import { geoNaturalEarth1, geoPath } from "d3-geo";
import type { Feature, FeatureCollection, Geometry } from "geojson";
import { feature } from "topojson-client";
import type { GeometryCollection, Topology } from "topojson-specification";
import { h } from "../dom";
import { alpha2FromNumeric, countryName } from "./countries";

export interface WorldMapOptions {
  /** accessible name, e.g. "Alerts per country" */
  label: string;
  /** ISO alpha-2 → count; codes are matched case-insensitively */
  values: Record<string, number>;
  /** plural noun for tooltips and labels: "alerts", "victims" */
  unit: string;
  /** called with the alpha-2 code of a clicked country that has a count */
  onSelect?: (alpha2: string) => void;
  /** highlighted country */
  selected?: string | null;
  /** colour scheme */
  tone?: "alerts" | "victims";
}

const WIDTH = 960;
const HEIGHT = 470;
// Five classes, light to dark; class 0 is "none".
const STEPS = 5;

let shapes: Promise<Feature<Geometry, { name?: string }>[]> | null = null;

function loadShapes(): Promise<Feature<Geometry, { name?: string }>[]> {
  shapes ??= import("world-atlas/countries-110m.json").then((m) => {
    const topology = (m.default ?? m) as unknown as Topology<{ countries: GeometryCollection<{ name?: string }> }>;
    const fc = feature(topology, topology.objects.countries) as FeatureCollection<Geometry, { name?: string }>;
    return fc.features;
  });
  return shapes;
}

/** Class 1..STEPS for a count, on a log scale so one big country does not wash out the rest. */
export function shadeClass(value: number, max: number): number {
  if (value <= 0 || max <= 0) return 0;
  if (max === 1) return STEPS;
  const t = Math.log1p(value) / Math.log1p(max);
  return Math.min(STEPS, Math.max(1, Math.ceil(t * STEPS)));
}

/** The map element; it fills in once the shapes have loaded. */
export function worldMap(opts: WorldMapOptions): HTMLElement {
  const values = new Map<string, number>();
  for (const [code, n] of Object.entries(opts.values)) {
    if (code) values.set(code.toUpperCase(), (values.get(code.toUpperCase()) ?? 0) + n);
  }
  const max = Math.max(0, ...values.values());
  const figure = h("figure", { class: `worldmap tone-${opts.tone ?? "alerts"}`, "aria-busy": "true" });
  const status = h("p", { class: "loading", role: "status" }, "Loading the map…");
  figure.append(status);

  loadShapes().then(
    (features) => {
      const svgNs = "http://www.w3.org/2000/svg";
      const svg = document.createElementNS(svgNs, "svg");
      svg.setAttribute("viewBox", `0 0 ${WIDTH} ${HEIGHT}`);
      svg.setAttribute("role", "group");
      svg.setAttribute("aria-label", opts.label);
      const projection = geoNaturalEarth1().fitSize([WIDTH, HEIGHT], { type: "Sphere" });
      const path = geoPath(projection);
      const sphere = document.createElementNS(svgNs, "path");
      sphere.setAttribute("d", path({ type: "Sphere" }) ?? "");
      sphere.setAttribute("class", "sphere");
      svg.append(sphere);
      for (const f of features) {
        const code = alpha2FromNumeric(f.id as string | undefined);
        const n = code ? values.get(code) ?? 0 : 0;
        const shape = document.createElementNS(svgNs, "path");
        shape.setAttribute("d", path(f) ?? "");
        shape.setAttribute("class", `country shade-${shadeClass(n, max)}`);
        const name = code ? countryName(code) : f.properties?.name ?? "Unknown";
        const title = document.createElementNS(svgNs, "title");
        title.textContent = `${name}: ${n.toLocaleString("en-GB")} ${opts.unit}`;
        shape.append(title);
        if (code) shape.dataset.country = code;
        if (code && code === opts.selected?.toUpperCase()) shape.classList.add("selected");
        if (code && n > 0 && opts.onSelect) {
          const select = opts.onSelect;
          shape.setAttribute("tabindex", "0");
          shape.setAttribute("role", "button");
          shape.setAttribute("aria-label", `${name}: ${n.toLocaleString("en-GB")} ${opts.unit}`);
          shape.classList.add("selectable");
          shape.addEventListener("click", () => select(code));
          shape.addEventListener("keydown", (ev) => {
            if (ev.key === "Enter" || ev.key === " ") {
              ev.preventDefault();
              select(code);
            }
          });
        }
        svg.append(shape);
      }
      // Countries with a count are drawn last so their outline is on top.
      for (const el of Array.from(svg.querySelectorAll(".country.selectable, .country.selected"))) svg.append(el);
      status.remove();
      figure.prepend(svg);
      figure.append(legend(max, opts.unit));
      figure.setAttribute("aria-busy", "false");
    },
    (e: unknown) => {
      status.className = "error";
      status.setAttribute("role", "alert");
      status.textContent = `The map could not be drawn: ${e instanceof Error ? e.message : String(e)}`;
      figure.setAttribute("aria-busy", "false");
    },
  );
  return figure;
}

function legend(max: number, unit: string): HTMLElement {
  const items: HTMLElement[] = [h("li", null, h("span", { class: "swatch shade-0", "aria-hidden": "true" }), "none")];
  // The smallest count that falls in each class, from the log scale.
  let previous = 0;
  for (let c = 1; c <= STEPS && max > 0; c++) {
    const upper = max === 1 ? 1 : Math.floor(Math.expm1((c / STEPS) * Math.log1p(max)) + 1e-9);
    if (upper <= previous) continue;
    items.push(h("li", null, h("span", { class: `swatch shade-${c}`, "aria-hidden": "true" }),
      previous + 1 === upper ? `${upper}` : `${previous + 1}–${upper}`));
    previous = upper;
  }
  return h("figcaption", null, h("ul", { class: "map-legend", "aria-label": `Legend: ${unit} per country` }, items));
}
