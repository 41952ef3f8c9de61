// End-to-end: every screen on a phone (375 x 740 CSS pixels, as an officer
// on call reads an alert or a 24/7 request). Nothing may need sideways
// scrolling of the page (wide tables scroll inside their own box), and the
// header must leave the screen to the content.

import assert from "node:assert/strict";
import { apiCall } from "./harness.mjs";
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

  // The whole menu stays reachable: every entry can be scrolled to and used.
  const nav = page.getByRole("navigation", { name: "Main" });
  const requests = nav.getByRole("link", { name: "24/7 requests" });
  await requests.scrollIntoViewIfNeeded();
  await requests.click();
  await page.getByRole("heading", { name: "24/7 requests", level: 1 }).waitFor();
}, { viewport: PHONE });
