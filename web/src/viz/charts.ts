// Time lines and bar charts through Chart.js (only the pieces used are
// registered, so the bundle stays small). Each chart comes with the same
// numbers as a table behind a "Show the numbers" disclosure: a canvas is
// not readable by screen readers or by tests.

import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  PointElement,
  Tooltip,
} from "chart.js";
import { formatCount, h, table } from "../dom";

Chart.register(BarController, BarElement, CategoryScale, Filler, Legend, LineController, LineElement, LinearScale,
  PointElement, Tooltip);

export interface Series {
  name: string;
  values: number[];
  /** a CSS colour */
  colour: string;
  /** a time line's scale on the right, for a series far smaller than the others (alerts beside new indicators) */
  rightAxis?: boolean;
}

const GRID = "rgba(127, 127, 127, 0.2)";

function frame(label: string, canvas: HTMLCanvasElement, numbers: HTMLElement): HTMLElement {
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", `${label} (the numbers follow in a table)`);
  return h("figure", { class: "chart" },
    h("div", { class: "chart-canvas" }, canvas),
    h("details", { class: "chart-numbers" }, h("summary", null, "Show the numbers"), numbers));
}

/** Destroys the chart when the screen goes away. */
function own(chart: Chart, signal: AbortSignal): void {
  signal.addEventListener("abort", () => chart.destroy(), { once: true });
}

/**
 * One line per series over the same days ("2026-11-01", …). Series marked
 * rightAxis get a scale of their own on the right (tens of alerts drawn on
 * a scale of thousands of indicators would lie flat on zero); each scale is
 * titled with the series it measures.
 */
export function timeLine(label: string, days: string[], series: Series[], signal: AbortSignal): HTMLElement {
  const canvas = h("canvas");
  const rows = days.map((d, i) => h("tr", null, h("td", null, d), series.map((s) => h("td", null, formatCount(s.values[i] ?? 0)))));
  const left = series.filter((s) => !s.rightAxis);
  const right = series.filter((s) => s.rightAxis);
  const names = (list: Series[]) => list.map((s) => s.name).join(", ");
  const el = frame(right.length && left.length ? `${label}; ${names(left)} on the left scale, ${names(right)} on the right` : label,
    canvas, table(label, ["Day", ...series.map((s) => s.name)], rows, { captionHidden: true }));
  const scale = (list: Series[], position: "left" | "right") => ({
    position,
    beginAtZero: true,
    grid: position === "left" ? { color: GRID } : { drawOnChartArea: false },
    ticks: { precision: 0, color: list.length === 1 ? list[0]!.colour : undefined },
    title: { display: right.length > 0, text: names(list), color: list.length === 1 ? list[0]!.colour : undefined },
  });
  const chart = new Chart(canvas, {
    type: "line",
    data: {
      labels: days.map((d) => d.slice(5)),
      datasets: series.map((s) => ({
        label: right.length && left.length ? `${s.name} (${s.rightAxis ? "right" : "left"} scale)` : s.name,
        data: s.values,
        yAxisID: s.rightAxis ? "y1" : "y",
        borderColor: s.colour,
        backgroundColor: s.colour,
        pointRadius: 0,
        pointHitRadius: 8,
        borderWidth: 2,
        tension: 0.25,
      })),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: "index", intersect: false },
      scales: {
        x: { grid: { color: GRID }, ticks: { maxTicksLimit: 10, autoSkip: true } },
        y: scale(left.length ? left : series, "left"),
        ...(right.length && left.length ? { y1: scale(right, "right") } : {}),
      },
      plugins: { legend: { position: "bottom" } },
    },
  });
  own(chart, signal);
  return el;
}

/** Horizontal bars of several series side by side (alerts and indicators
 *  per family): each keeps its own count, none is added into another. */
export function groupedBarChart(label: string, labels: string[], series: Series[], signal: AbortSignal): HTMLElement {
  return horizontalBars(label, labels, series, true, signal);
}

/** Horizontal bars, largest first as given. */
export function barChart(label: string, labels: string[], values: number[], colour: string, signal: AbortSignal): HTMLElement {
  return horizontalBars(label, labels, [{ name: "Count", values, colour }], false, signal);
}

function horizontalBars(label: string, labels: string[], series: Series[], legend: boolean, signal: AbortSignal): HTMLElement {
  const canvas = h("canvas");
  const rows = labels.map((l, i) => h("tr", null, h("td", null, l), series.map((s) => h("td", null, formatCount(s.values[i] ?? 0)))));
  const el = frame(label, canvas, table(label, ["", ...series.map((s) => s.name)], rows, { captionHidden: true }));
  el.style.setProperty("--bars", String(Math.max(3, labels.length * series.length)));
  const chart = new Chart(canvas, {
    type: "bar",
    data: {
      labels,
      datasets: series.map((s) => ({ label: legend ? s.name : label, data: s.values, backgroundColor: s.colour, borderRadius: 3 })),
    },
    options: {
      indexAxis: "y",
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: {
        x: { beginAtZero: true, grid: { color: GRID }, ticks: { precision: 0 } },
        y: { grid: { display: false } },
      },
      plugins: { legend: legend ? { position: "bottom" } : { display: false } },
    },
  });
  own(chart, signal);
  return el;
}
