// The alert feed and the events list as a user pages through them: the
// latest hit on top whatever was stored last, the events each alert names
// linked to their pages, newer and older pages with a total; the events
// list's title search and its page count.

import assert from "node:assert/strict";
import { apiCall } from "./harness.mjs";
import { suite } from "./suite.mjs";

const { uiTest, signIn } = suite();

/** One Suricata eve.json DNS query seen at `time`, as a sensor ships it. */
function dnsLine(client, query, time) {
  return `${JSON.stringify({
    timestamp: time, event_type: "dns", src_ip: client, dest_ip: "192.0.2.53",
    dns: { type: "query", rrname: query },
  })}\n`;
}

async function postTelemetry(node, body) {
  return apiCall(node, node.adminKey, "/telemetry", { method: "POST", body, type: "application/x-ndjson" });
}

const rowIds = (page) => page.locator("tbody tr[data-alert]").evaluateAll((rows) => rows.map((r) => r.dataset.alert));

uiTest("the alert feed shows the latest hit above a replayed old log's, with the events it names linked", async (page, node) => {
  const net = `198.18.${Math.floor(Math.random() * 250)}`;
  const today = await postTelemetry(node, dnsLine(`${net}.1`, `live.${node.fx.sharedValue}`, new Date().toISOString()));
  // Stored after today's hit, but seen years ago.
  const replayed = await postTelemetry(node, dnsLine(`${net}.2`, `old.${node.fx.sharedValue}`, "2020-01-01T00:00:00Z"));
  assert.equal(today.alerts_new, 1, JSON.stringify(today));
  assert.equal(replayed.alerts_new, 1, JSON.stringify(replayed));
  const [fresh, old] = [today.alerts[0], replayed.alerts[0]];

  await signIn(page, node.adminKey);
  await page.goto(`${node.uiUrl}/alerts`);
  await page.locator(`tr[data-alert="${fresh.id}"]`).waitFor();
  const ids = await rowIds(page);
  assert.ok(ids.indexOf(fresh.id) >= 0 && (ids.indexOf(old.id) < 0 || ids.indexOf(fresh.id) < ids.indexOf(old.id)),
    `today's hit comes before the replayed one: ${JSON.stringify(ids)}`);

  // The row names the events that carry the indicator, each linked, with its feed.
  const event = fresh.events[0];
  const stored = await apiCall(node, node.adminKey, `/events/${event.uuid}`);
  const row = page.locator(`tr[data-alert="${fresh.id}"]`);
  const link = row.getByRole("link", { name: stored.title.trim() || /untitled event/ }).first();
  assert.equal(await link.getAttribute("href"), `/events/${encodeURIComponent(event.uuid)}`);
  assert.ok(stored.source, "a seeded event says where it came from");
  const feed = row.locator(`[title="${stored.source}"]`).first();
  // "list:blocklist.txt" (or a path an older node stored) as "list blocklist.txt".
  const [kind, ...place] = stored.source.split(":");
  assert.equal(await feed.textContent(), `from ${kind} ${place.join(":").split("/").pop()}`);
  await link.click();
  await page.waitForURL(new RegExp(`/events/${event.uuid}$`));
  await page.getByRole("heading", { level: 1 }).filter({ hasText: stored.title.trim() || "untitled" }).waitFor();
});

uiTest("the alert feed pages to older alerts and back to newer ones, and says how many there are", async (page, node) => {
  // More than a page (50) of alerts, one victim each.
  const net = `198.19.${Math.floor(Math.random() * 250)}`;
  let lines = "";
  for (let host = 1; host <= 60; host++) lines += dnsLine(`${net}.${host}`, `pager.${node.fx.sharedValue}`, new Date().toISOString());
  const posted = await postTelemetry(node, lines);
  assert.equal(posted.alerts_new, 60, JSON.stringify(posted.alerts_new));
  const { total } = await apiCall(node, node.adminKey, "/alerts?order=newest&limit=1");
  assert.ok(total >= 60);

  await signIn(page, node.adminKey);
  await page.goto(`${node.uiUrl}/alerts`);
  const count = page.getByTestId("alerts-total");
  await page.getByText(/^Live · updated/).waitFor();
  assert.equal(await count.textContent(), `${total.toLocaleString("en-GB")} alerts in all`);
  const first = await rowIds(page);
  assert.equal(first.length, 50);
  assert.equal(await page.getByRole("link", { name: "Newer alerts" }).count(), 0, "the first page is the newest");

  await page.getByRole("link", { name: "Older alerts" }).click();
  await page.waitForURL(/cursor=/);
  await page.getByText(/^Earlier page · read/).waitFor();
  const second = await rowIds(page);
  assert.ok(second.length >= 1 && !second.some((id) => first.includes(id)), "the older page has other alerts");
  assert.equal(await count.textContent(), `${total.toLocaleString("en-GB")} alerts in all`);

  await page.getByRole("link", { name: "Newer alerts" }).click();
  await page.waitForFunction((firstId) => document.querySelector("tbody tr[data-alert]")?.dataset.alert === firstId, first[0]);
  assert.deepEqual(await rowIds(page), first);
  await page.getByRole("link", { name: "Newest alerts (live)" }).click();
  await page.getByText(/^Live · updated/).waitFor();
});

uiTest("the events list finds events by a part of their title and says how many pages there are", async (page, node) => {
  const word = `Quokka${Math.floor(Math.random() * 1e9)}`;
  for (const title of [`${word} loader`, `${word} panel`, `C2 of ${word.toLowerCase()}`]) {
    await apiCall(node, node.adminKey, "/events", { method: "POST", body: { title, tlp: "green" } });
  }
  await signIn(page, node.adminKey);
  await page.goto(`${node.uiUrl}/events`);
  await page.getByLabel("Title contains").fill(word.toUpperCase());
  await page.getByRole("button", { name: "Apply filters" }).click();
  await page.waitForURL(new RegExp(`q=${word.toUpperCase()}`));
  const pages = page.getByTestId("events-pages");
  await pages.waitFor();
  assert.equal(await pages.textContent(), "Page 1 of 1 · 3 events");
  assert.equal(await page.locator("tbody tr[data-event]").count(), 3);

  // Two a page: two pages, the second one with the third event.
  await page.goto(`${node.uiUrl}/events?q=${word}&limit=2`);
  await page.getByText("Page 1 of 2 · 3 events").waitFor();
  await page.getByRole("button", { name: "Next page" }).click();
  await page.getByText("Page 2 of 2 · 3 events").waitFor();
  assert.equal(await page.locator("tbody tr[data-event]").count(), 1);
});
