// A world map shaded by a count per country (alerts, victims), drawn with
// d3-geo from the Natural Earth shapes of the world-atlas package (loaded on
// first use as its own chunk). Countries with a count are buttons: click or
// Enter selects them. The numbers are also always given as text by the
// screens that use the map (a table beside it), so the map is never the
// only way to read them.

import { geoNaturalEarth1, geoPath } from "d3-geo";
import type { Feature, Geometry } from "geojson";
import { feature, merge } from "topojson-client";
import type { GeometryCollection, GeometryObject, MultiPolygon, Polygon, Topology } from "topojson-specification";
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

/**
 * The shapes world-atlas (Natural Earth) gives no ISO numeric id, by name.
 * Kosovo is XK, the code the EU, CERTs and MaxMind's GeoIP data use for it,
 * so alerts and victims placed in XK light it up. Northern Cyprus and
 * Somaliland have no code of their own in ISO 3166 nor in GeoIP data: an
 * address there comes as CY or SO (or as the country of its upstream
 * network), so its alerts are counted under Cyprus and Somalia. Their shapes
 * are merged into those countries: the whole island lights up for CY, and
 * Cyprus stays one button, not two with the same name.
 */
const UNNUMBERED: Record<string, string> = { "Kosovo": "XK", "N. Cyprus": "CY", "Somaliland": "SO" };

interface Shape {
  /** ISO alpha-2, null for a shape with no code (none in world-atlas 2.0.2) */
  code: string | null;
  name: string;
  geometry: Geometry;
}

let shapes: Promise<Shape[]> | null = null;

function loadShapes(): Promise<Shape[]> {
  shapes ??= import("world-atlas/countries-110m.json").then((m) => {
    const topology = (m.default ?? m) as unknown as Topology<{ countries: GeometryCollection<{ name?: string }> }>;
    // Per code, its shapes in the atlas's order (the first one's place is kept).
    const byCode = new Map<string | null, GeometryObject<{ name?: string }>[]>();
    const unnamed: Shape[] = [];
    for (const g of topology.objects.countries.geometries) {
      const name = (g.properties as { name?: string } | undefined)?.name ?? "";
      const code = alpha2FromNumeric(g.id) ?? UNNUMBERED[name] ?? null;
      if (code === null) {
        unnamed.push({ code, name: name || "Unknown", geometry: geometryOf(topology, g) });
        continue;
      }
      const group = byCode.get(code);
      if (group) group.push(g);
      else byCode.set(code, [g]);
    }
    const coded = [...byCode].map(([code, group]): Shape => {
      const areas = group.filter((g): g is Polygon | MultiPolygon => g.type === "Polygon" || g.type === "MultiPolygon");
      const geometry = group.length === 1 || areas.length !== group.length
        ? geometryOf(topology, group[0]!)
        : merge(topology, areas);
      return { code, name: countryName(code!), geometry };
    });
    return [...coded, ...unnamed];
  });
  return shapes;
}

function geometryOf(topology: Topology, g: GeometryObject): Geometry {
  // One country's object is one feature, never a collection.
  return (feature(topology, g) as Feature<Geometry>).geometry;
}

const SVG_NS = "http://www.w3.org/2000/svg";

/** A ring over every other shape, dark outside and the focus yellow inside,
 *  so it shows on pale and dark shades and on the sea alike. */
function focusRing(d: string): SVGGElement {
  const ring = document.createElementNS(SVG_NS, "g");
  ring.setAttribute("class", "focus-ring");
  ring.setAttribute("aria-hidden", "true");
  for (const part of ["outer", "inner"]) {
    const path = document.createElementNS(SVG_NS, "path");
    path.setAttribute("d", d);
    path.setAttribute("class", `focus-ring-${part}`);
    ring.append(path);
  }
  return ring;
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
      const svg = document.createElementNS(SVG_NS, "svg");
      svg.setAttribute("viewBox", `0 0 ${WIDTH} ${HEIGHT}`);
      svg.setAttribute("role", "group");
      svg.setAttribute("aria-label", opts.label);
      const projection = geoNaturalEarth1().fitSize([WIDTH, HEIGHT], { type: "Sphere" });
      const path = geoPath(projection);
      const sphere = document.createElementNS(SVG_NS, "path");
      sphere.setAttribute("d", path({ type: "Sphere" }) ?? "");
      sphere.setAttribute("class", "sphere");
      svg.append(sphere);
      for (const { code, name, geometry } of features) {
        const n = code ? values.get(code) ?? 0 : 0;
        const shape = document.createElementNS(SVG_NS, "path");
        shape.setAttribute("d", path(geometry) ?? "");
        shape.setAttribute("class", `country shade-${shadeClass(n, max)}`);
        const title = document.createElementNS(SVG_NS, "title");
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
          // A stroke on the shape itself is half hidden under the neighbours
          // drawn after it and thin where the map is small (WCAG 2.4.7).
          let ring: SVGGElement | null = null;
          shape.addEventListener("focus", () => {
            ring?.remove();
            ring = shape.matches(":focus-visible") ? focusRing(shape.getAttribute("d") ?? "") : null;
            if (ring) svg.append(ring);
          });
          shape.addEventListener("blur", () => {
            ring?.remove();
            ring = null;
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
