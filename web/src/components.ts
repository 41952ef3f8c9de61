// Pieces shared by the screens.

import { describeError } from "./api";
import { formatCount, h, replace, table, type Child, type TableOptions } from "./dom";
import type { OrgRef } from "./types";

/** A server (or network) error, in words, announced to screen readers. */
export function errorBox(e: unknown, prefix?: string): HTMLElement {
  const msg = describeError(e);
  return h("div", { class: "error", role: "alert" }, prefix ? `${prefix} ${msg}` : msg);
}

export function notice(text: Child, kind: "info" | "warning" = "info"): HTMLElement {
  return h("div", { class: `notice notice-${kind}` }, text);
}

/**
 * The address's parameters a screen could not use (a hand-edited or old
 * bookmark), named so the reader knows the list is not filtered as asked.
 * `wanted` maps each parameter to what it takes; null when all are usable.
 */
export function unusedParams(params: URLSearchParams, wanted: Record<string, readonly string[]>): HTMLElement | null {
  const unused = Object.entries(wanted)
    .filter(([name, values]) => params.has(name) && params.get(name) !== "" && !values.includes(params.get(name) ?? ""))
    .map(([name, values]) => `${name}=${params.get(name)} (expected ${values.filter((v) => v !== "").join(", ")})`);
  if (unused.length === 0) return null;
  return h("div", { class: "notice notice-warning", role: "status", "data-testid": "unused-params" },
    `Not applied from the address: ${unused.join("; ")}.`);
}

/** An event's title as a link's text: a MISP event may come with an empty
 *  `info`, and a link without text can be neither seen nor clicked. */
export function eventTitle(e: { title: string; uuid: string }): string {
  return e.title.trim() !== "" ? e.title : `(untitled event ${e.uuid.slice(0, 8)})`;
}

export function orgName(ref: OrgRef): string {
  return ref.name ?? `organisation #${ref.id} (no longer on this node)`;
}

export function tagList(tags: string[]): Node {
  if (tags.length === 0) return h("span", { class: "muted" }, "—");
  return h("ul", { class: "tags", "aria-label": "Tags" }, tags.map((t) => h("li", { class: "tag" }, t)));
}

/**
 * A table over an array that the API returns whole, shown a page at a time
 * with Previous / Next buttons (every list paginates).
 */
export function pagedTable<T>(
  caption: string,
  head: string[],
  items: T[],
  row: (item: T) => HTMLTableRowElement,
  pageSize = 50,
  stack: TableOptions["stack"] = false,
): HTMLElement {
  const box = h("div", { class: "paged" });
  let page = 0;
  const pages = Math.max(1, Math.ceil(items.length / pageSize));
  const draw = (focusButton?: "prev" | "next") => {
    const slice = items.slice(page * pageSize, (page + 1) * pageSize);
    const prev = h("button", { type: "button", disabled: page === 0, onclick: () => { page--; draw("prev"); } }, "Previous page");
    const next = h("button", { type: "button", disabled: page >= pages - 1, onclick: () => { page++; draw("next"); } }, "Next page");
    replace(
      box,
      table(caption, head, slice.map(row), { captionHidden: true, stack }),
      pages > 1
        ? h(
            "nav",
            { class: "pager", "aria-label": `${caption}: pages` },
            prev,
            h("span", { class: "pager-status", "aria-live": "polite" },
              `Page ${page + 1} of ${formatCount(pages)} (${formatCount(items.length)} in all)`),
            next,
          )
        : null,
    );
    if (focusButton === "prev") (prev.disabled ? next : prev).focus();
    if (focusButton === "next") (next.disabled ? prev : next).focus();
  };
  draw();
  return box;
}

/** A definition list from label/value pairs; null values are left out. */
export function facts(pairs: [string, Child][]): HTMLElement {
  return h(
    "dl",
    { class: "facts" },
    pairs
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => h("div", null, h("dt", null, k), h("dd", null, v))),
  );
}
