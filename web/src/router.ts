// History-API routing. `accord serve --web-root` answers every non-API path
// with index.html, so /events/<uuid> can be reloaded and bookmarked.
// Only navigation state goes in URLs (filters, a search value, a cursor);
// never the API key.

export interface Route {
  path: string;
  params: URLSearchParams;
  state: unknown;
}

type Listener = (route: Route) => void;
let listener: Listener | null = null;

export function currentRoute(): Route {
  return {
    path: location.pathname.replace(/\/+$/, "") || "/",
    params: new URLSearchParams(location.search),
    state: history.state,
  };
}

export function navigate(url: string, opts: { replace?: boolean; state?: unknown } = {}): void {
  if (opts.replace) history.replaceState(opts.state ?? null, "", url);
  else history.pushState(opts.state ?? null, "", url);
  listener?.(currentRoute());
}

/** Build a path with a query string, leaving out empty values. */
export function href(path: string, params: Record<string, string | null | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

export function startRouter(onRoute: Listener): void {
  listener = onRoute;
  window.addEventListener("popstate", () => onRoute(currentRoute()));
  // Same-origin links are handled here instead of reloading the page.
  document.addEventListener("click", (ev) => {
    if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
    const a = (ev.target as Element | null)?.closest?.("a");
    if (!a || a.target || a.hasAttribute("download") || a.getAttribute("href")?.startsWith("#")) return;
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin || url.pathname.startsWith("/api/") || url.pathname.startsWith("/taxii2")) return;
    ev.preventDefault();
    navigate(url.pathname + url.search);
  });
  onRoute(currentRoute());
}
