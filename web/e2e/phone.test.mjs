// End-to-end: every screen on a phone (375 x 740 and 390 x 844 CSS pixels,
// as an officer on call reads an alert or a 24/7 request). Nothing may need
// sideways scrolling of the page (the alerts and the 24/7 inbox stack their
// rows as cards; other wide tables scroll inside their own box), the menu
// opens in place, and the header must leave the screen to the content.

import assert from "node:assert/strict";
import { apiCall } from "./harness.mjs";
import { assertAllColumnsInView, assertWrapsAtSeparators, seedLongValueAlerts } from "./layout.mjs";
import { suite } from "./suite.mjs";

const { uiTest, signIn } = suite();
const PHONE = { width: 375, height: 740 };

async function fitsThePhone(page, what) {
  await page.waitForLoadState("networkidle");
  const { scroll, width, header, widest } = await page.evaluate(() => {
    // The innermost elements that reach past the window, to say what to fix.
    const past = [...document.querySelectorAll("main *")].filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1);
    const innermost = past.filter((e) => !past.some((other) => other !== e && e.contains(other)));
    const describe = (e) => `${e.tagName.toLowerCase()}${e.className ? "." + String(e.className).split(" ").join(".") : ""}` +
      ` in ${e.parentElement?.tagName.toLowerCase()}${e.parentElement?.className ? "." + e.parentElement.className : ""}`;
    return {
      scroll: document.documentElement.scrollWidth,
      width: window.innerWidth,
      header: document.querySelector("header")?.getBoundingClientRect().height ?? 0,
      widest: innermost.slice(0, 5).map(describe),
    };
  });
  assert.ok(scroll <= width, `${what}: the page is wider than the phone (${scroll} > ${width} px): ${widest.join("; ")}`);
  assert.ok(header > 0, `${what}: the header is there`);
  assert.ok(header <= 0.2 * PHONE.height,
    `${what}: the header takes ${header} px, more than a fifth of a ${PHONE.height} px screen`);
}

uiTest("every screen fits a phone's width and leaves it to the content", async (page, node) => {
  await signIn(page, node.adminKey);
  await page.getByRole("heading", { name: "Dashboard" }).waitFor();
  await fitsThePhone(page, "dashboard");

  const events = await apiCall(node, node.adminKey, "/events?limit=1&order=newest");
  const screens = [
    ["/events", "Events"],
    ["/search?q=" + encodeURIComponent(node.fx.sharedValue), /^Correlation/, 2],
    ["/alerts", "Alerts"],
    ["/import", "Import indicators"],
    ["/requests", "24/7 requests"],
    ["/requests/new", "New 24/7 request"],
    ["/stealer", "Infostealer operations"],
  ];
  if (events.events?.length) screens.push([`/events/${events.events[0].uuid}`, events.events[0].title]);
  if (node.cli) screens.push([`/stealer/${encodeURIComponent(node.fx.stealerOperation)}`, `Operation ${node.fx.stealerOperation}`]);
  for (const [path, heading, level = 1] of screens) {
    await page.goto(`${node.uiUrl}${path}`);
    await page.getByRole("heading", { name: heading, level }).first().waitFor();
    await fitsThePhone(page, path);
  }

  // The whole menu stays reachable: the Menu button opens it.
  const nav = page.getByRole("navigation", { name: "Main" });
  await nav.getByRole("button", { name: "Menu" }).click();
  await nav.getByRole("link", { name: "24/7 requests" }).click();
  await page.getByRole("heading", { name: "24/7 requests", level: 1 }).waitFor();
}, { viewport: PHONE });

uiTest("an event titled with one long word (a hash) fits the phone on its page", async (page, node) => {
  const title = `Loader 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 ${node.fx.run}`;
  const created = await apiCall(node, node.adminKey, "/events", { method: "POST", body: { title, tlp: "green" } });
  await signIn(page, node.adminKey);
  await page.goto(`${node.uiUrl}/events/${created.event.uuid}`);
  await page.getByRole("heading", { level: 1 }).first().waitFor();
  await fitsThePhone(page, "a long-titled event's page");
}, { viewport: PHONE });

/** A sent request with a running clock, from the operator to the partner. */
async function openRequest(node) {
  const { types } = await apiCall(node, node.adminKey, "/requests-types");
  const spec = types.find((t) => t.type === "preservation");
  const fields = Object.fromEntries(spec.fields.filter((f) => f.required)
    .map((f) => [f.name, f.name === "mla_intent" ? "yes" : `E2E: ${f.label}`]));
  return apiCall(node, node.adminKey, "/requests", { method: "POST", body: {
    type: "preservation", to: node.fx.partnerOrg, urgency: "urgent", send: true, fields,
    subject: `Preserve the subscriber data behind secure-login.microsoftonline-account-verification-${node.fx.run}.example`,
  } });
}

const PHONE_390 = { width: 390, height: 844 };

uiTest("on a 390 px phone the menu opens in place, and alerts and requests show every field without sideways scrolling", async (page, node) => {
  const { url, alerts } = await seedLongValueAlerts(node);
  const request = await openRequest(node);
  await signIn(page, node.adminKey);
  await page.getByRole("heading", { name: "Dashboard" }).waitFor();

  // The menu: nothing in it scrolls sideways, and once open (a phone may
  // fold it behind a button) every entry is inside the screen.
  const nav = page.getByRole("navigation", { name: "Main" });
  const sideways = await nav.evaluate((n) => [...n.querySelectorAll("*")].filter((e) => e.scrollWidth > e.clientWidth + 1)
    .map((e) => `${e.tagName.toLowerCase()} ${e.scrollWidth} > ${e.clientWidth} px`));
  assert.deepEqual(sideways, [], "parts of the menu that scroll sideways");
  const header = async () => (await page.locator("header").boundingBox()).height;
  assert.ok(await header() <= 0.2 * PHONE_390.height, `the closed menu's header takes ${await header()} px`);
  const toggle = nav.getByRole("button", { name: "Menu" });
  if (await toggle.count() > 0) {
    await toggle.click();
    assert.equal(await toggle.getAttribute("aria-expanded"), "true");
  }
  const links = nav.getByRole("link");
  assert.equal(await links.count(), 7);
  for (let i = 0; i < 7; i++) {
    const box = await links.nth(i).boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= PHONE_390.width,
      `menu entry ${await links.nth(i).textContent()} is not inside the screen: ${JSON.stringify(box)}`);
  }
  await nav.getByRole("link", { name: "Alerts" }).click();
  await page.getByRole("heading", { name: "Alerts", level: 1 }).waitFor();
  if (await toggle.count() > 0) assert.equal(await toggle.getAttribute("aria-expanded"), "false", "the menu closes once used");

  // An alert: every column (as a labelled field) and its Acknowledge button on screen.
  const row = page.locator(`tr[data-alert="${alerts.find((a) => a.matched === url).id}"]`);
  await row.waitFor();
  await assertAllColumnsInView(row, "an alert at 390 px");
  await assertWrapsAtSeparators(row.locator("code").first(), url);
  const acknowledge = await row.getByRole("button", { name: /^Acknowledge the alert on/ }).boundingBox();
  assert.ok(acknowledge && acknowledge.x >= 0 && acknowledge.x + acknowledge.width <= PHONE_390.width,
    `the Acknowledge button is on screen: ${JSON.stringify(acknowledge)}`);
  await fitsThePhone(page, "/alerts at 390 px");

  // The 24/7 inbox: the request's deadline is on screen.
  await page.goto(`${node.uiUrl}/requests?box=out`);
  const rq = page.locator(`tr[data-request="${request.reference}"]`);
  await rq.waitFor();
  const m = await assertAllColumnsInView(rq, "a request at 390 px");
  assert.ok(m.cells.some((c) => c.head === "Deadline"), "the inbox has a Deadline column");
  await fitsThePhone(page, "/requests at 390 px");
}, { viewport: PHONE_390 });
