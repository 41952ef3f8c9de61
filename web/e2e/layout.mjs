// Data and measurements for the layout tests: alerts on long domains and
// URLs (as phishing kits use them) from addresses GeoIP places, and checks
// that a table shows every column inside the window.

import assert from "node:assert/strict";
import { apiCall } from "./harness.mjs";

/**
 * Alerts on long values, one per value and victim, with an event of a long
 * title; one of them acknowledged (its "by ORG: user (key)" text is the
 * widest of the column). Victims in DE, CY and FR by Debian's tor-geoipdb
 * ranges; the tests use the country the server gave, whatever it is.
 * @returns {Promise<{url: string, domains: string[], alerts: any[]}>}
 */
export async function seedLongValueAlerts(node) {
  const run = node.fx.run;
  const domains = [
    `secure-login.microsoftonline-account-verification-${run}.example`,
    `cdn-static-assets.update-service-provider-cloud-${run}.example`,
  ];
  const url = `http://storage.files-cdn-${run}.example/shared-documents/invoices/2026/november/INV-2026-11-20-payment.html?session=8f14e45fceea167a`;
  const title = `Phishing kit infrastructure targeting online banking customers across the European Union (e2e ${run})`;
  await apiCall(node, node.adminKey, `/import?title=${encodeURIComponent(title)}&name=${encodeURIComponent(`long-values-${run}.txt`)}`,
    { method: "POST", type: "text/plain", body: `${[...domains, url].join("\n")}\n` });

  const u = new URL(url);
  const lines = [];
  for (const victim of ["2.26.24.15", "31.153.210.20", "2.56.215.10"]) {
    for (const d of domains) {
      lines.push({ event_type: "dns", src_ip: victim, src_port: 53122, dest_ip: "192.0.2.53", dest_port: 53, dns: { type: "query", rrname: `www.${d}` } });
    }
    lines.push({ event_type: "http", src_ip: victim, src_port: 50100, dest_ip: "203.0.113.80", dest_port: 80,
      http: { hostname: u.hostname, url: u.pathname + u.search, http_method: "GET" } });
  }
  const body = lines.map((l) => JSON.stringify({ timestamp: new Date().toISOString(), ...l })).join("\n") + "\n";

  // The server matches against a snapshot it rebuilds within seconds of the
  // import: post until every line has made (or counted into) its alert.
  const deadline = Date.now() + 30000;
  let alerts = [];
  for (;;) {
    const posted = await apiCall(node, node.adminKey, "/telemetry", { method: "POST", body, type: "application/x-ndjson" });
    alerts = posted.alerts ?? [];
    if (alerts.length >= lines.length) break;
    assert.ok(Date.now() < deadline, `the imported values did not alert within 30 s: ${JSON.stringify(posted)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const acked = alerts.find((a) => a.matched === domains[0]);
  await apiCall(node, node.adminKey, `/alerts/${acked.id}/acknowledge`, { method: "POST" });
  return { url, domains, alerts };
}

/**
 * Where a table's columns are for one row: each header's text with the
 * row's cell in that column, measured against the window and the table's
 * scrolling box.
 */
export async function columnsOf(row) {
  return row.evaluate((tr) => {
    const wrap = tr.closest(".table-wrap");
    const heads = [...tr.closest("table").querySelectorAll("thead th")].map((th) => th.textContent);
    const box = wrap.getBoundingClientRect();
    return {
      page: document.documentElement.scrollWidth,
      window: window.innerWidth,
      wrap: { scroll: wrap.scrollWidth, client: wrap.clientWidth, left: box.left, right: box.right },
      cells: [...tr.cells].map((td, i) => {
        const r = td.getBoundingClientRect();
        return { head: heads[i], left: r.left, right: r.right, width: r.width };
      }),
    };
  });
}

/** Asserts that the page does not scroll sideways and every cell of the row is in view. */
export async function assertAllColumnsInView(row, what) {
  const m = await columnsOf(row);
  assert.ok(m.page <= m.window, `${what}: the page is wider than the window (${m.page} > ${m.window} px)`);
  assert.ok(m.wrap.scroll <= m.wrap.client,
    `${what}: the table is ${m.wrap.scroll} px wide in a ${m.wrap.client} px box; columns out of view: ` +
    m.cells.filter((c) => c.right > m.wrap.right + 1).map((c) => c.head).join(", "));
  for (const c of m.cells) {
    assert.ok(c.left >= Math.max(0, m.wrap.left) - 1 && c.right <= Math.min(m.window, m.wrap.right) + 1,
      `${what}: the ${c.head} cell (${Math.round(c.left)}–${Math.round(c.right)} px) is not inside the window and its box`);
  }
  return m;
}

/** The text of each line an element's text is laid out on. */
export async function renderedLines(locator) {
  return locator.evaluate((el) => {
    const lines = [];
    let top = null;
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (let i = 0; i < node.data.length; i++) {
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const rect = range.getClientRects()[0];
        if (!rect) continue;
        if (top === null || rect.top > top + rect.height / 2) {
          lines.push("");
          top = rect.top;
        }
        lines[lines.length - 1] += node.data[i];
      }
    }
    return lines;
  });
}

/** Asserts that a long value wraps only after a separator (a dot, a slash, a hyphen...). */
export async function assertWrapsAtSeparators(locator, what) {
  const lines = await renderedLines(locator);
  const bad = lines.slice(0, -1).filter((l) => !/[./:?&=@#,;_~-]$/.test(l));
  assert.deepEqual(bad, [], `${what} breaks inside a word: ${JSON.stringify(lines)}`);
  return lines;
}
