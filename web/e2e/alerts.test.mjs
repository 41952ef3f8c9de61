// The early-warning screens in a real browser: an alert appears in the live
// feed after telemetry is posted, is acknowledged; the dashboard's map opens a
// country with its alerts and victims, and its counts are the server's.

import assert from "node:assert/strict";
import { apiCall } from "./harness.mjs";
import { assertAllColumnsInView, assertWrapsAtSeparators, seedLongValueAlerts } from "./layout.mjs";
import { suite } from "./suite.mjs";

const { uiTest, signIn } = suite();

/** One Suricata eve.json DNS query, as a sensor ships it. */
function dnsLine(client, query) {
  return `${JSON.stringify({
    timestamp: new Date().toISOString(), event_type: "dns", src_ip: client, dest_ip: "192.0.2.53",
    dns: { type: "query", rrname: query },
  })}\n`;
}

async function postTelemetry(node, body) {
  const r = await fetch(`${node.apiUrl}/api/v1/telemetry`, {
    method: "POST",
    headers: { Authorization: `Bearer ${node.adminKey}`, "Content-Type": "application/x-ndjson" },
    body,
  });
  const text = await r.text();
  assert.equal(r.status, 200, text);
  return JSON.parse(text);
}

uiTest("an alert appears in the live feed after telemetry is posted, and is acknowledged", async (page, node) => {
  await signIn(page, node.adminKey);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Alerts" }).click();
  await page.getByRole("heading", { name: "Alerts", level: 1 }).waitFor();
  await page.getByText(/^Live · updated/).waitFor();

  // A host asks for a subdomain of a shared C2 domain; the sample events carry it.
  const victim = `198.51.100.${10 + Math.floor(Math.random() * 200)}`;
  const posted = await postTelemetry(node, dnsLine(victim, `beacon.${node.fx.sharedValue}`));
  assert.equal(posted.alerts_new, 1, JSON.stringify(posted));
  const alert = posted.alerts[0];

  // The feed polls: the row arrives on its own, marked new and announced.
  const row = page.locator(`tr[data-alert="${alert.id}"]`);
  await row.waitFor({ timeout: 20000 });
  assert.match(await row.textContent(), new RegExp(`${node.fx.sharedValue.replace(/\./g, "\\.")}`));
  assert.match(await row.textContent(), new RegExp(victim.replace(/\./g, "\\.")));
  assert.equal(await row.locator(".badge-new").count(), 1);
  await page.getByText(/^1 new alert · updated/).waitFor();
  assert.equal(await row.locator(".tlp").count(), 1);

  await row.getByRole("button", { name: /^Acknowledge the alert on/ }).click();
  await row.getByText(/^by E2E CERT: \S.* \(ak_/).waitFor();  // the key holder, then the key
  // The button is gone: focus is on who acknowledged it, in the same row, and that is said.
  assert.deepEqual(await page.evaluate(() => [document.activeElement?.closest("tr")?.dataset.alert, document.activeElement?.textContent]),
    [alert.id, await row.locator(".acked").textContent()]);
  await page.waitForFunction(() => document.querySelector('[data-testid="alerts-announce"]')?.textContent === "Alert acknowledged.");
  const stored = await apiCall(node, node.adminKey, `/alerts/${alert.id}`);
  assert.ok(stored.acknowledged, "the server recorded the acknowledgement");

  // Only unacknowledged alerts: this one is gone, and the filter is in the address.
  await page.getByLabel("Acknowledgement").selectOption("false");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await page.waitForURL(/acknowledged=false/);
  await page.getByText(/^Live · updated/).waitFor();
  assert.equal(await page.locator(`tr[data-alert="${alert.id}"]`).count(), 0);
});

uiTest("a poll answered before an acknowledgement but drawn after it does not bring the button back", async (page, node) => {
  await signIn(page, node.adminKey);
  await page.goto(`${node.uiUrl}/alerts`);
  await page.getByText(/^Live · updated/).waitFor();
  const victim = `198.51.100.${10 + Math.floor(Math.random() * 200)}`;
  const posted = await postTelemetry(node, dnsLine(victim, `late-poll.${node.fx.sharedValue}`));
  assert.equal(posted.alerts_new, 1, JSON.stringify(posted));
  const alert = posted.alerts[0];
  const row = page.locator(`tr[data-alert="${alert.id}"]`);
  const button = row.getByRole("button", { name: /^Acknowledge the alert on/ });
  await button.waitFor({ timeout: 20000 });

  // The next poll is answered by the server now, with the alert still open,
  // and reaches the page only after the acknowledgement.
  const isPoll = (url) => url.pathname === "/api/v1/alerts";
  let answered;
  const staleAnswer = new Promise((resolve) => { answered = resolve; });
  let release;
  const released = new Promise((resolve) => { release = resolve; });
  await page.route(isPoll, async (route) => {
    const response = await route.fetch();
    answered();
    await released;
    await route.fulfill({ response });
  }, { times: 1 });
  await staleAnswer;
  // The poll after the held one is asked for once the held one is drawn; it
  // waits here, so what the page shows then is the held answer's drawing.
  let nextAsked;
  const nextPoll = new Promise((resolve) => { nextAsked = resolve; });
  await page.route(isPoll, (route) => nextAsked(route), { times: 1 });
  await button.click();
  await row.locator(".acked").waitFor();
  release();
  const next = await nextPoll;
  assert.equal(await row.getByRole("button").count(), 0, "no Acknowledge button again");
  assert.match(await row.locator(".acked").textContent(), /^by E2E CERT: /);
  assert.equal(await page.evaluate(() => document.activeElement?.closest("tr")?.dataset.alert), alert.id,
    "focus stays in the acknowledged alert's row");
  await next.continue();
  await page.getByText(/^Live · updated/).waitFor();
});

uiTest("the country filter takes a country's name as well as its code, and says when it knows neither", async (page, node) => {
  await signIn(page, node.adminKey);
  await page.goto(`${node.uiUrl}/alerts`);
  await page.getByText(/^Live · updated/).waitFor();
  await page.getByLabel("Country").fill("Germany");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await page.waitForURL(/country=DE/);
  await page.getByLabel("Country").fill("Atlantis");
  await page.getByRole("button", { name: "Apply filters" }).click();
  const message = await page.getByLabel("Country").evaluate((input) => input.validationMessage);
  assert.match(message, /No country has the code or name “Atlantis”/);
  assert.match(page.url(), /country=DE/, "an unknown country does not become a filter");
});

uiTest("a filter the server refuses is explained in words", async (page, node) => {
  await signIn(page, node.adminKey);
  await page.goto(`${node.uiUrl}/alerts?organisation=${encodeURIComponent("No such organisation")}`);
  const error = page.getByRole("alert");
  await error.waitFor();
  assert.match(await error.textContent(), /The server refused the request: organisation: no organisation named/);
});

uiTest("address parameters a screen cannot use are named, not silently dropped", async (page, node) => {
  await signIn(page, node.adminKey);
  for (const [path, expected] of [
    ["/alerts?acknowledged=maybe", "acknowledged=maybe (expected true, false)"],
    ["/events?order=sideways", "order=sideways (expected newest, oldest)"],
    ["/requests?box=spam&state=lost", "box=spam (expected in, out, drafts, all); state=lost"],
  ]) {
    await page.goto(`${node.uiUrl}${path}`);
    const note = page.getByTestId("unused-params");
    await note.waitFor();
    assert.ok((await note.textContent()).includes(expected), `${path}: ${await note.textContent()}`);
  }
  await page.goto(`${node.uiUrl}/alerts?acknowledged=false`);
  await page.getByText(/^Live · updated/).waitFor();
  assert.equal(await page.getByTestId("unused-params").count(), 0, "a usable value raises nothing");
});

uiTest("the dashboard shows the server's counts and its map opens a country with its victims and alerts", async (page, node) => {
  const stats = await apiCall(node, node.adminKey, "/stats");
  await signIn(page, node.adminKey);
  await page.locator('.card[aria-busy="false"]').nth(4).waitFor();
  const count = async (id) => Number((await page.locator(`[data-count="${id}"]`).textContent()).replace(/[^\d]/g, ""));
  assert.equal(await count("events"), stats.counts.events);
  assert.equal(await count("indicators"), stats.counts.live_indicators);
  assert.equal(await count("victims"), stats.counts.victims);
  assert.equal(await count("requests"), stats.counts.open_requests);

  // The time line and families charts give their numbers as tables too.
  await page.getByRole("heading", { name: "Alerts and new indicators per day" }).waitFor();
  const days = page.locator(".chart-numbers").first().locator("tbody tr");
  assert.equal(await days.count(), stats.days);
  // Tens of alerts are not drawn on the scale of thousands of indicators: they have their own.
  const timeline = page.locator('section[aria-labelledby="timeline-heading"]');
  assert.match(await timeline.locator("canvas").getAttribute("aria-label"),
    /New indicators on the left scale, Alerts on the right/);
  assert.deepEqual(await timeline.locator(".chart-numbers thead th").allTextContents(), ["Day", "Alerts", "New indicators"]);

  const [cc, victims] = Object.entries(stats.victims_by_country).sort((a, b) => b[1] - a[1])[0] ?? [];
  if (!cc) {
    console.log("no victim with a country on this node: the map part is skipped");
    return;
  }
  // Shade by victims, then open the country from the map with the keyboard
  // (a country's shape is a button; its box centre may be sea).
  await page.getByRole("navigation", { name: "Shade the map by" }).getByRole("link", { name: "Victims" }).click();
  await page.waitForURL(/map=victims/);
  const shape = page.locator(`.worldmap path[data-country="${cc}"]`);
  await shape.waitFor();
  assert.match(await shape.getAttribute("aria-label"), new RegExp(`: ${victims.toLocaleString("en-GB")} victims$`));
  await shape.focus();
  await page.keyboard.press("Enter");
  await page.waitForURL(new RegExp(`country=${cc}`));
  const panel = page.locator(`.country-panel[data-country="${cc}"]`);
  await panel.waitFor();
  assert.equal(Number((await panel.locator('[data-country-count="victims"]').textContent()).replace(/[^\d]/g, "")), victims);
  assert.equal(Number((await panel.locator('[data-country-count="alerts"]').textContent()).replace(/[^\d]/g, "")),
    stats.alerts_by_country[cc] ?? 0);
  assert.equal(await page.locator(`.worldmap path.selected[data-country="${cc}"]`).count(), 1);
  // The operation link leads to that country's victims.
  const operation = stats.operations.find((o) => (o.victims_by_country[cc] ?? 0) > 0);
  await panel.getByRole("link", { name: operation.name }).click();
  await page.waitForURL(new RegExp(`/stealer/${encodeURIComponent(operation.name)}\\?country=${cc}`));

  // Back to the dashboard and to every country.
  await page.goBack();
  await panel.waitFor();
  await page.getByRole("link", { name: "← All countries" }).click();
  await page.getByRole("table", { name: "Countries" }).waitFor();
});

uiTest("the dashboard says how many alerts are not on the map, and lists the newest events", async (page, node) => {
  // A private address: no GeoIP source gives it a country.
  const host = `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.7`;
  const posted = await postTelemetry(node, dnsLine(host, `unplaced.${node.fx.sharedValue}`));
  assert.equal(posted.alerts_new, 1, JSON.stringify(posted));
  const stats = await apiCall(node, node.adminKey, "/stats");
  const placed = Object.values(stats.alerts_by_country).reduce((sum, n) => sum + n, 0);
  const unplaced = stats.counts.alerts - placed;
  assert.ok(unplaced >= 1, `the alert for ${host} has no country: ${JSON.stringify(stats.alerts_by_country)}`);

  await signIn(page, node.adminKey);
  const note = page.getByTestId("map-unplaced");
  await note.waitFor();
  assert.match(await note.textContent(), new RegExp(`^${unplaced.toLocaleString("en-GB")} alerts? with no known country`));

  // The latest events are the node's newest, newest first.
  const newest = await apiCall(node, node.adminKey, "/events?order=newest&limit=5");
  const latest = page.locator('.table-wrap[aria-label="Latest events"]');
  await latest.locator("tbody tr").first().waitFor();
  assert.deepEqual(await latest.locator("tbody tr td:nth-child(2)").allTextContents(), newest.events.map((e) => e.title));
});

uiTest("at 1366 px the alerts table shows every column with long values, and they wrap after dots and slashes", async (page, node) => {
  const { url, domains, alerts } = await seedLongValueAlerts(node);
  await signIn(page, node.adminKey);
  await page.goto(`${node.uiUrl}/alerts`);
  const urlAlert = alerts.find((a) => a.matched === url);
  const row = page.locator(`tr[data-alert="${urlAlert.id}"]`);
  await row.waitFor();
  const { wrap } = await assertAllColumnsInView(row, "the alerts table at 1366 px");
  // In view: inside the window and not clipped by the table's scrolling box.
  const button = await row.getByRole("button", { name: /^Acknowledge the alert on/ }).boundingBox();
  assert.ok(button && button.x >= wrap.left && button.x + button.width <= Math.min(1366, wrap.right),
    `the Acknowledge button is in view: ${JSON.stringify(button)} in a box ${JSON.stringify(wrap)}`);
  // Every line of a value but the last ends where the value has a separator.
  await assertWrapsAtSeparators(row.locator("code").first(), url);
  const domainRow = page.locator(`tr[data-alert="${alerts.find((a) => a.matched === domains[1]).id}"]`);
  await assertWrapsAtSeparators(domainRow.locator("code").first(), domains[1]);
  // The acknowledged alert's "by ORG: user (key), time" keeps to its column too.
  const acked = page.locator(`tr[data-alert="${alerts.find((a) => a.matched === domains[0]).id}"]`);
  await acked.getByText(/^by E2E CERT: /).waitFor();
  await assertAllColumnsInView(acked, "an acknowledged alert at 1366 px");

  // The dashboard's country panel: the same alerts in a third of the screen.
  const cc = urlAlert.country;
  if (!cc) {
    console.log(`no GeoIP country for ${urlAlert.victim} on this node: the country panel part is skipped`);
    return;
  }
  await page.goto(`${node.uiUrl}/?country=${cc}`);
  const latest = page.locator(`.country-panel[data-country="${cc}"] .table-wrap tbody tr`);
  await latest.first().waitFor();
  for (let i = 0; i < await latest.count(); i++) await assertAllColumnsInView(latest.nth(i), `the latest alerts in ${cc}, row ${i + 1}`);
});

uiTest("the map's keyboard focus is a thick ring, and Kosovo, Cyprus and Somalia carry their codes", async (page, node) => {
  await signIn(page, node.adminKey);
  await page.locator(".worldmap svg").waitFor();
  // Every shape has a country code: no shape is left without one.
  const shapes = await page.locator(".worldmap path.country").evaluateAll((paths) =>
    paths.map((p) => ({ code: p.dataset.country ?? null, title: p.querySelector("title")?.textContent })));
  assert.deepEqual(shapes.filter((s) => !s.code).map((s) => s.title), [], "shapes without a country code");
  assert.match(shapes.find((s) => s.code === "XK")?.title ?? "", /^Kosovo: /);
  // Northern Cyprus and Somaliland are drawn as part of CY and SO: one shape each.
  assert.equal(shapes.filter((s) => s.code === "CY").length, 1);
  assert.equal(shapes.filter((s) => s.code === "SO").length, 1);

  // From the control before the map, Tab reaches the first country with a count.
  await page.getByRole("navigation", { name: "Shade the map by" }).getByRole("link", { name: "Victims" }).focus();
  await page.keyboard.press("Tab");
  const focused = await page.evaluate(() => {
    const el = document.activeElement;
    if (!el?.matches(".worldmap path.country")) return null;
    const svg = el.ownerSVGElement;
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    // The widest dark and light outline drawn for it: a ring on top, or its own stroke.
    const strokes = [el, ...svg.querySelectorAll(".focus-ring *")].map((p) => {
      const s = getComputedStyle(p);
      const width = parseFloat(s.strokeWidth) * (s.vectorEffect === "non-scaling-stroke" ? 1 : scale);
      return { stroke: s.stroke, width, onTop: p.parentElement === svg.lastElementChild || p === svg.lastElementChild };
    });
    return { code: el.dataset.country, strokes };
  });
  assert.ok(focused, "Tab moved to a country");
  const widest = Math.max(...focused.strokes.map((s) => s.width));
  assert.ok(widest >= 4, `the focus outline of ${focused.code} is ${widest.toFixed(1)} px wide: ${JSON.stringify(focused.strokes)}`);
  assert.ok(focused.strokes.some((s) => s.onTop && s.width >= 4), "the focus outline is drawn over the neighbouring countries");
  assert.ok(new Set(focused.strokes.filter((s) => s.width >= 2).map((s) => s.stroke)).size >= 2,
    "the outline has a dark and a light part, to show on pale and dark shades alike");
  // Leaving the map leaves no ring behind.
  await page.keyboard.press("Shift+Tab");
  assert.equal(await page.locator(".worldmap .focus-ring").count(), 0);
});
