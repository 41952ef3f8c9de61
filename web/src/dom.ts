// A tiny DOM builder. Text from the server only ever goes in through text
// nodes and attributes (never innerHTML), so nothing it holds is markup.

export type Child = Node | string | number | null | undefined | false | Child[];
type AttrValue = string | number | boolean | null | undefined | ((ev: any) => void);
export type Attrs = Record<string, AttrValue>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Attrs | null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [name, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (typeof value === "function") {
        el.addEventListener(name.replace(/^on/, "").toLowerCase(), value);
      } else if (name === "class") {
        el.className = String(value);
      } else if (value === true) {
        el.setAttribute(name, "");
      } else {
        el.setAttribute(name, String(value));
      }
    }
  }
  append(el, children);
  return el;
}

export function append(parent: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(parent, c);
    else if (c instanceof Node) parent.appendChild(c);
    else parent.appendChild(document.createTextNode(String(c)));
  }
}

/** Replace every child of `parent` with `children`. */
export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/** An ISO timestamp as "2026-10-01 08:00 UTC" in a <time> element; "—" when absent. */
export function time(iso: string | null | undefined): Node {
  if (!iso) return h("span", { class: "muted", "aria-label": "none" }, "—");
  // The date and the clock each stay whole; a cell of class wrap-time may
  // put the clock under the date (style.css).
  const m = /^(\S+) (.+)$/.exec(formatTime(iso));
  if (!m) return h("time", { datetime: iso, title: iso, class: "nowrap" }, formatTime(iso));
  return h("time", { datetime: iso, title: iso }, h("span", { class: "nowrap" }, m[1]), " ", h("span", { class: "nowrap" }, m[2]));
}

export function formatTime(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return m ? `${m[1]} ${m[2]} UTC` : iso;
}

export function formatCount(n: number): string {
  return n.toLocaleString("en-GB");
}

/** A status line for a region that is loading. */
export function loading(what: string): HTMLElement {
  return h("p", { class: "loading", role: "status" }, `Loading ${what}…`);
}

/**
 * A long machine value (a domain, a URL, an IPv6 address) that may wrap
 * after its dots, slashes and other separators rather than at whatever
 * letter reaches the edge: "login.example/" then "account", not
 * "login.exa" then "mple/account". A run of separators ("://") stays whole.
 * The CSS (overflow-wrap: anywhere on code and .value) still breaks a
 * label too long for any line. The text is unchanged for copying and tests.
 */
export function breakable(value: string): Node {
  const out = document.createDocumentFragment();
  const parts = value.split(/(?<=[./:?&=@#,;_~])(?![./:?&=@#,;_~])/);
  parts.forEach((part, i) => {
    if (i > 0) out.append(document.createElement("wbr"));
    out.append(part);
  });
  return out;
}

/** A victim's address: IPv4 on one line (split, "10.20.3 / 0.41" is easy
 *  to misread); IPv6, up to 39 characters, after its colons. */
export function ipAddress(value: string): HTMLElement {
  return value.includes(":") ? h("code", { class: "ip6" }, breakable(value)) : h("code", { class: "ip" }, value);
}

export interface TableOptions {
  captionHidden?: boolean;
  /**
   * On a narrow screen or in a narrow panel, each row becomes a card of
   * labelled fields instead of columns to scroll sideways to. "wide": a
   * table with many columns, stacked below a wider box (style.css).
   */
  stack?: boolean | "wide";
}

/**
 * A table inside a horizontally scrolling, keyboard-focusable wrapper. Every
 * body cell is given its column's name (data-label) for the stacked layout.
 */
export function table(caption: string, head: string[], rows: Node[], opts: TableOptions = {}): HTMLElement {
  const stack = opts.stack ?? false;
  // A table shown as blocks loses its table semantics in some browsers;
  // explicit roles keep rows, cells and their headers announced.
  const role = (r: string) => (stack ? r : null);
  for (const tr of rows) {
    if (!(tr instanceof HTMLTableRowElement)) continue;
    if (stack) tr.setAttribute("role", "row");
    Array.from(tr.cells).forEach((cell, i) => {
      const label = head[i];
      if (label && !cell.hasAttribute("data-label")) cell.dataset.label = label;
      if (stack) cell.setAttribute("role", cell.tagName === "TH" ? "rowheader" : "cell");
    });
  }
  return h(
    "div",
    {
      class: stack === "wide" ? "table-wrap stackable stackable-wide" : stack ? "table-wrap stackable" : "table-wrap",
      tabindex: 0, role: "region", "aria-label": caption,
    },
    h(
      "table",
      { role: role("table") },
      h("caption", { class: opts.captionHidden ? "visually-hidden" : null }, caption),
      h("thead", { role: role("rowgroup") },
        h("tr", { role: role("row") }, head.map((c) => h("th", { scope: "col", role: role("columnheader") }, c)))),
      h("tbody", { role: role("rowgroup") }, rows),
    ),
  );
}
