// End-to-end tests of the web UI in headless Chromium against a real
// `accord serve` on loopback (see harness.mjs for how everything is found).
// Run: npm run test:e2e   (builds dist/ first). Skips, never fails, when
// Chromium or the accord binary is missing.

import assert from "node:assert/strict";
import { apiCall } from "./harness.mjs";
import { suite } from "./suite.mjs";

const { pre, uiTest, signIn } = suite();
async function search(page, value) {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Indicator search" }).click();
  await page.getByLabel("Indicator value").fill(value);
  await page.getByRole("button", { name: "Search", exact: true }).click();
}

uiTest("sign-in shows the organisation and role, sign-out forgets the key", async (page, node) => {
  await signIn(page, node.adminKey);
  await page.getByRole("heading", { name: "Dashboard" }).waitFor();
  await page.getByRole("banner").getByTestId("organisation").waitFor();
  assert.equal(await page.getByTestId("role").textContent(), "admin");
  if (!pre.external) assert.equal(await page.getByTestId("organisation").textContent(), "E2E CERT");

  // The key is in sessionStorage only, never in the address.
  const stored = await page.evaluate(() => sessionStorage.getItem("accord.apiKey"));
  assert.equal(stored, node.adminKey);
  assert.ok(!page.url().includes(node.adminKey.split(":")[1]), "the secret is not in the URL");
  assert.equal(await page.evaluate(() => localStorage.length), 0);

  // A reload keeps the session (same tab), on a deep link too.
  await page.goto(`${node.uiUrl}/events`);
  await page.getByRole("heading", { name: "Events", level: 1 }).waitFor();

  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.getItem("accord.apiKey")), null);
});

uiTest("a wrong key is refused in words", async (page, node) => {
  await page.goto(`${node.uiUrl}/`);
  await page.getByLabel("API key").fill("not-a-key");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByText("separated by a colon").waitFor();

  await page.getByLabel("API key").fill("ak_0000000000000000:wrong");
  await page.getByRole("button", { name: "Sign in" }).click();
  const alert = page.getByRole("alert");
  await alert.waitFor();
  assert.match(await alert.textContent(), /Sign-in failed\. Not signed in: .*(unknown|revoked|expired)/i);
});

uiTest("dashboard shows the counts", async (page, node) => {
  await signIn(page, node.adminKey);
  const events = page.locator('[data-count="events"]');
  await page.locator('.card[aria-busy="false"]').nth(4).waitFor();
  const n = Number((await events.textContent()).replace(/[^\d]/g, ""));
  assert.ok(n >= 5, `events counted: ${n}`);
  const indicators = Number((await page.locator('[data-count="indicators"]').textContent()).replace(/[^\d]/g, ""));
  assert.ok(indicators > 0, "live indicators counted");
  assert.match(await page.locator('[data-count="alerts"]').textContent(), /^\d/);
  assert.match(await page.locator('[data-count="requests"]').textContent(), /^\d/);
  // The latest events come with their own request, after the cards.
  const latest = page.locator('.table-wrap[aria-label="Latest events"]');
  await latest.locator("tbody tr").first().waitFor();
  assert.ok(await latest.locator(".tlp").count() > 0, "latest events carry TLP labels");
});

uiTest("indicator search shows the normalized value and its correlation", async (page, node) => {
  await signIn(page, node.adminKey);
  await search(page, "evil-c2[.]example"); // defanged: the server refangs it
  await page.getByRole("heading", { name: /^Correlation: \d+ events?$/ }).waitFor();
  assert.equal(await page.getByTestId("normalized").textContent(), node.fx.sharedValue);
  assert.ok(page.url().includes("/search?q="), "the search is bookmarkable");

  const rows = page.locator("table").first().locator("tbody tr");
  assert.ok(await rows.count() >= 2, "evil-c2.example is carried by several sample events");
  const text = await page.locator("table").first().textContent();
  assert.match(text, /DemoStealer infrastructure, October 2026/);
  assert.match(text, /Phishing wave delivering DemoStealer/);
  // Every correlated event shows its TLP as a label.
  assert.equal(await rows.locator(".tlp").count(), await rows.count());
  await page.getByRole("heading", { name: /^Sightings: \d+/ }).waitFor();

  // Follow the correlation to an event and back to the indicator.
  await page.getByRole("link", { name: "Phishing wave delivering DemoStealer" }).click();
  await page.getByRole("heading", { name: /^Indicators: \d+/ }).waitFor();
  // The MISP event's grading (threat_level_id 2, analysis 1) is shown.
  const about = page.getByRole("region", { name: "About this event" });
  assert.equal(await about.locator("div", { has: page.locator("dt", { hasText: "Threat level" }) }).locator("dd").textContent(), "Medium");
  assert.equal(await about.locator("div", { has: page.locator("dt", { hasText: "Analysis" }) }).locator("dd").textContent(), "Ongoing");
  await page.getByRole("link", { name: node.fx.sharedValue }).click();
  await page.getByRole("heading", { name: /^Correlation/ }).waitFor();
});

uiTest("a name under a listed domain shows the domain that covers it", async (page, node) => {
  await signIn(page, node.adminKey);
  await search(page, `cdn.${node.fx.sharedValue}`);
  await page.getByRole("heading", { name: /^Covered by: 1$/ }).waitFor();
  assert.equal(await page.getByTestId("normalized").textContent(), `cdn.${node.fx.sharedValue}`);
  const covering = page.getByTestId("covered-by");
  assert.equal(await covering.locator("[data-covering]").getAttribute("data-covering"), node.fx.sharedValue);
  assert.match(await covering.locator("table").first().textContent(), /DemoStealer infrastructure, October 2026/);
  // The covering domain is a search of its own.
  await covering.getByRole("link", { name: node.fx.sharedValue }).click();
  await page.getByRole("heading", { name: /^Correlation: \d+ events?$/ }).waitFor();
  assert.equal(await page.getByTestId("normalized").textContent(), node.fx.sharedValue);
});

uiTest("an unknown value is reported as not found", async (page, node) => {
  await signIn(page, node.adminKey);
  await search(page, "never-seen-anywhere.example");
  await page.getByRole("heading", { name: "No result" }).waitFor();
  // A value that does not normalize: the server's reason, in words.
  await page.getByLabel("Indicator value").fill("203.0.113.999");
  await page.getByLabel("Type").selectOption("ipv4");
  await page.getByRole("button", { name: "Search", exact: true }).click();
  const alert = page.getByRole("alert");
  await alert.waitFor();
  assert.match(await alert.textContent(), /The server refused the request: .+/);
});

uiTest("events list pages with a cursor and opens an event", async (page, node) => {
  await signIn(page, node.adminKey);
  await page.goto(`${node.uiUrl}/events?limit=2`);
  const table = page.getByRole("table");
  await table.waitFor();
  assert.equal(await table.locator("tbody tr").count(), 2);
  const first = await table.locator("tbody tr").first().getAttribute("data-event");
  await page.getByRole("button", { name: "Next page" }).click();
  await page.getByTestId("events-pages").filter({ hasText: /^Page 2 of / }).waitFor();
  const second = await page.getByRole("table").locator("tbody tr").first().getAttribute("data-event");
  assert.notEqual(first, second);
  await page.getByRole("button", { name: "Next page" }).click();
  await page.getByTestId("events-pages").filter({ hasText: /^Page 3 of / }).waitFor();
  // The third page's address opened with no history of the pages before it
  // (a shared link, a bookmark: no history.state) still says it is the third.
  await page.evaluate(() => history.replaceState(null, "", location.href));
  await page.reload();
  await page.getByTestId("events-pages").filter({ hasText: /^Page 3 of / }).waitFor();
  await page.getByRole("button", { name: "Previous page" }).click();
  await page.getByTestId("events-pages").filter({ hasText: /^Page 2 of / }).waitFor();
  await page.getByRole("button", { name: "Previous page" }).click();
  await page.getByTestId("events-pages").filter({ hasText: /^Page 1 of / }).waitFor();
  assert.equal(await page.getByRole("table").locator("tbody tr").first().getAttribute("data-event"), first);
  // Newest first, as the server lists them with order=newest; "Oldest first" turns it round.
  const newest = await apiCall(node, node.adminKey, "/events?order=newest&limit=1");
  const oldest = await apiCall(node, node.adminKey, "/events?limit=1");
  assert.notEqual(newest.events[0].uuid, oldest.events[0].uuid);
  assert.equal(first, newest.events[0].uuid);
  await page.getByLabel("Order").selectOption("oldest");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await page.waitForURL(/order=oldest/);
  await page.locator(`table tbody tr[data-event="${oldest.events[0].uuid}"]`).waitFor();
  assert.equal(await page.getByRole("table").locator("tbody tr").first().getAttribute("data-event"), oldest.events[0].uuid);

  // "Modified since": whatever the browser's locale draws in the date field
  // (mm/dd/yyyy in en-US), the hint beside it writes the date as every screen does.
  const sinceHint = page.getByTestId("since-hint");
  assert.equal(await sinceHint.textContent(), "YYYY-MM-DD, from 00:00 UTC");
  await page.getByLabel("Modified since").fill("2020-02-03");
  assert.equal(await sinceHint.textContent(), "2020-02-03 (YYYY-MM-DD), from 00:00 UTC");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await page.waitForURL(/since=2020-02-03/);
  await sinceHint.filter({ hasText: /^2020-02-03 \(YYYY-MM-DD\)/ }).waitFor();

  // Filter by TLP: every row shows that label.
  await page.goto(`${node.uiUrl}/events`);
  await page.getByLabel("TLP").selectOption("green");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await page.waitForURL(/tlp=green/);
  await page.getByRole("table").waitFor();
  const labels = await page.getByRole("table").locator("tbody .tlp").allTextContents();
  assert.ok(labels.length > 0);
  assert.ok(labels.every((l) => l === "TLP:GREEN"), labels.join(","));

  // An event with its indicators.
  await page.getByRole("table").locator("tbody a").first().click();
  await page.getByRole("heading", { name: /^Indicators: \d+/ }).waitFor();
  // The rows come after the heading, with the first page of indicators.
  const indicatorRows = page.getByRole("region", { name: "Indicators of this event" }).locator("tbody tr");
  await indicatorRows.first().waitFor();
  assert.ok(await indicatorRows.count() > 0);
  await page.getByRole("link", { name: "← Events" }).click();
  await page.getByRole("heading", { name: "Events", level: 1 }).waitFor();
});

uiTest("an event lists the related events that share its values", async (page, node) => {
  await signIn(page, node.adminKey);
  await page.goto(`${node.uiUrl}/search?q=${encodeURIComponent(node.fx.sharedValue)}`);
  await page.getByRole("heading", { name: /^Correlation/ }).waitFor();
  await page.getByRole("link", { name: "Phishing wave delivering DemoStealer" }).first().click();
  const related = page.getByRole("region", { name: "Related events" });
  await related.getByRole("table").waitFor();
  const titles = await related.locator("tbody a").allTextContents();
  assert.ok(titles.includes("DemoStealer infrastructure, October 2026"), titles.join(" | "));
  assert.ok(!titles.includes("Phishing wave delivering DemoStealer"), "not related to itself");
  const shared = await related.locator("tbody tr td.num").allTextContents();
  assert.ok(shared.every((n) => Number(n.replace(/[^\d]/g, "")) >= 1), shared.join(","));
  // A related event opens from there.
  await related.getByRole("link", { name: "DemoStealer infrastructure, October 2026" }).click();
  await page.getByRole("heading", { name: /DemoStealer infrastructure, October 2026/ }).waitFor();
});

uiTest("the owner sees its TLP:AMBER+STRICT event", async (page, node) => {
  await signIn(page, node.adminKey);
  await search(page, node.fx.strictValue);
  await page.getByRole("heading", { name: "Correlation: 1 event" }).waitFor();
  const label = page.locator("table .tlp").first();
  assert.equal(await label.textContent(), "TLP:AMBER+STRICT");
  // FIRST TLP 2.0 colours: amber text on black.
  const colours = await label.evaluate((el) => [getComputedStyle(el).color, getComputedStyle(el).backgroundColor]);
  assert.deepEqual(colours, ["rgb(255, 192, 0)", "rgb(0, 0, 0)"]);
  await page.goto(`${node.uiUrl}/events/${node.strictEventUuid}`);
  await page.getByRole("heading", { name: new RegExp(node.fx.strictTitle.replace(/[()]/g, "\\$&")) }).waitFor();
});

uiTest("another organisation does not see TLP:AMBER+STRICT data", async (page, node) => {
  await signIn(page, node.partnerKey);
  assert.equal(await page.getByTestId("role").textContent(), "analyst");

  // The events list: no strict event, but the TLP:GREEN ones are there.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Events" }).click();
  const table = page.getByRole("table");
  await table.waitFor();
  const text = await table.textContent();
  assert.doesNotMatch(text, new RegExp(node.fx.strictTitle.replace(/[()]/g, "\\$&")));
  assert.match(text, /Phishing wave delivering DemoStealer/, "TLP:GREEN is shared with every member");
  assert.equal(await table.locator(".tlp", { hasText: "AMBER+STRICT" }).count(), 0);

  // The strict value is not found; its event cannot be opened by address.
  await search(page, node.fx.strictValue);
  await page.getByRole("heading", { name: "No result" }).waitFor();
  await page.goto(`${node.uiUrl}/events/${node.strictEventUuid}`);
  await page.getByRole("heading", { name: "Event not found" }).waitFor();
  assert.equal(await page.getByText(node.fx.strictTitle).count(), 0);

  // The shared value correlates only with what this organisation may read.
  await page.goto(`${node.uiUrl}/search?q=${encodeURIComponent(node.fx.sharedValue)}`);
  await page.getByRole("heading", { name: /^Correlation/ }).waitFor();
  const labels = await page.locator("table").first().locator("tbody .tlp").allTextContents();
  assert.ok(labels.length >= 1);
  assert.ok(labels.every((l) => l === "TLP:GREEN" || l === "TLP:CLEAR"), `visible to the partner: ${labels.join(", ")}`);
});

uiTest("works on a wall screen and a narrow window", async (page, node) => {
  await signIn(page, node.adminKey);
  await page.getByRole("heading", { name: "Latest events" }).waitFor();
  for (const width of [2560, 700]) {
    await page.setViewportSize({ width, height: 1200 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `no horizontal scrolling of the page at ${width}px (overflow ${overflow}px)`);
  }
  await page.setViewportSize({ width: 2560, height: 1440 });
  // Keyboard: the skip link is the first stop and leads to the content.
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Skip to content");
}, { viewport: { width: 2560, height: 1440 } });

uiTest("a key revoked during the session ends it, in words", async (page, node) => {
  const created = await apiCall(node, node.adminKey, "/keys",
    { method: "POST", body: { user: `e2e-reader-${node.fx.run}`, role: "reader" } });
  await signIn(page, created.key);
  assert.equal(await page.getByTestId("role").textContent(), "reader");
  await apiCall(node, node.adminKey, `/keys/${encodeURIComponent(created.key_id)}`, { method: "DELETE" });
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Events" }).click();
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  assert.match(await page.getByText("Your session ended").textContent(), /Your session ended: .+\. Sign in again\./);
  assert.equal(await page.evaluate(() => sessionStorage.getItem("accord.apiKey")), null);
});
