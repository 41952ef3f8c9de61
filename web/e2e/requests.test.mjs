// End-to-end tests of the 24/7 request screens (inbox, form, one request)
// in headless Chromium against a real `accord serve` (see harness.mjs).
// The sender is the seeded operator organisation "E2E CERT" (FR, admin key),
// the requested party the seeded partner police (DE, analyst key); both have
// a point of contact.

import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { apiCall, screenshotPath } from "./harness.mjs";
import { suite } from "./suite.mjs";

const { uiTest, signIn } = suite();

/** The buttons' words for the server's action names. */
const ACTION_LABELS = {
  send: "Send", ack: "Acknowledge", start: "Start work", execute: "Mark executed",
  extend: "Extend preservation", close: "Close", refuse: "Refuse", withdraw: "Withdraw",
};

/** The action buttons on a request's page, in order. */
async function offeredActions(page) {
  return page.getByRole("region", { name: "What you can do now" }).getByRole("button").allTextContents();
}

/** The legal fields of a type as the server specifies them. */
async function typeSpec(node, type) {
  const { types } = await apiCall(node, node.adminKey, "/requests-types");
  const spec = types.find((t) => t.type === type);
  assert.ok(spec, `the server knows the type ${type}`);
  return spec;
}

/** Every required field filled; mla_intent says yes as Art. 29(2)(f) asks. */
function completeFields(spec) {
  return Object.fromEntries(spec.fields.filter((f) => f.required)
    .map((f) => [f.name, f.name === "mla_intent" ? "yes" : `E2E: ${f.label}`]));
}

/** A request opened (and sent) through the API, as another desk would. */
async function openRequest(node, key, { type = "assistance", to, subject, send = true, urgency } = {}) {
  const spec = await typeSpec(node, type);
  const body = { type, to, subject, fields: completeFields(spec), send };
  if (urgency) body.urgency = urgency;
  return apiCall(node, key, "/requests", { method: "POST", body });
}

/** A second signed-in browser context (another person at another desk). */
async function secondDesk(page, key) {
  const context = await page.context().browser().newContext({ viewport: { width: 1366, height: 800 } });
  const other = await context.newPage();
  other.setDefaultTimeout(10000);
  const errors = [];
  other.on("pageerror", (e) => errors.push(e.message));
  await signIn(other, key);
  return {
    page: other,
    async close(name) {
      await other.screenshot({ path: screenshotPath(name), fullPage: true }).catch(() => undefined);
      await context.close();
      assert.deepEqual(errors, [], "uncaught errors in the second desk's page");
    },
  };
}

/** The texts of the "Missing before it can be sent" list. */
async function missingItems(page) {
  return page.getByRole("list", { name: "Missing before it can be sent" }).getByRole("listitem").allTextContents();
}

function historyTable(page) {
  return page.getByRole("table", { name: "History of the request" });
}

uiTest("a preservation request is written with its legal fields, sent, and acknowledged by the partner", async (page, node) => {
  const spec = await typeSpec(node, "preservation");
  const required = spec.fields.filter((f) => f.required);
  assert.ok(required.length >= 8, "Art. 29(2)(a)-(f) ask for at least eight things");

  await signIn(page, node.adminKey);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "24/7 requests" }).click();
  await page.getByRole("heading", { name: "24/7 requests", level: 1 }).waitFor();
  await page.getByRole("link", { name: "New request" }).click();
  await page.getByRole("heading", { name: "New 24/7 request", level: 1 }).waitFor();

  const send = page.getByRole("button", { name: "Send", exact: true });
  await page.getByLabel("Request type").selectOption("preservation");
  await page.getByLabel("Requested organisation").selectOption({ label: `${node.fx.partnerOrg} (DE)` });

  // Every required field is named with the article that asks for it.
  let items = await missingItems(page);
  assert.equal(items.length, required.length, items.join(" | "));
  for (const f of required) {
    assert.ok(items.some((i) => i.includes(f.label) && i.includes(f.basis)), `missing list names ${f.label} (${f.basis})`);
  }
  assert.ok(items.some((i) => i.includes("Art. 29(2)(f)")), "the stated intent to follow with MLA is listed");
  assert.ok(await send.isDisabled(), "Send is disabled while fields are missing");
  assert.match(await page.locator("#rq-send-reason").textContent(), /Send is disabled until nothing is missing/);
  await page.screenshot({ path: screenshotPath("requests form with missing fields"), fullPage: true });

  // A link in the list takes the keyboard to the field.
  await page.getByRole("list", { name: "Missing before it can be sent" }).getByRole("link", { name: required[0].label }).click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), `rq-field-${required[0].name}`);

  // The list shrinks as the fields are filled.
  for (const [i, f] of required.entries()) {
    if (f.name === "mla_intent") await page.getByLabel(f.label).check();
    else await page.getByLabel(f.label).fill(`E2E: ${f.label}`);
    await page.getByText(i + 1 === required.length ? "Nothing is missing" : `${required.length - i - 1} required item`).waitFor();
  }
  items = await missingItems(page);
  assert.deepEqual(items, []);
  assert.ok(await send.isEnabled(), "Send is enabled once nothing is missing");

  await send.click();
  await page.waitForURL(/\/requests\/FR-DE-\d{4}-\d+$/);
  const reference = decodeURIComponent(new URL(page.url()).pathname.split("/").pop());
  await page.getByText(`Sent to ${node.fx.partnerOrg}.`).waitFor();
  const h1 = page.getByRole("heading", { level: 1 });
  assert.match(await h1.textContent(), new RegExp(`TLP:RED\\s*${reference}\\s*sent`));
  assert.equal(await h1.locator(".tlp").textContent(), "TLP:RED");
  const sentRow = historyTable(page).locator('tr[data-action="send"]');
  assert.match(await sentRow.textContent(), /E2E CERT.*sent.*draft → sent/);
  assert.match(await page.getByTestId("deadline").textContent(), /Acknowledgement deadline: in \d+ h/);

  // Exactly the actions the server allows the sender now.
  const senderView = await apiCall(node, node.adminKey, `/requests/${reference}`);
  assert.ok(senderView.allowed_actions.length > 0);
  assert.deepEqual(await offeredActions(page), senderView.allowed_actions.map((a) => ACTION_LABELS[a]));

  // The partner's desk: the request is in Incoming with a running countdown.
  const partner = await secondDesk(page, node.partnerKey);
  try {
    await partner.page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "24/7 requests" }).click();
    assert.equal(await partner.page.getByRole("link", { name: /^Incoming/ }).getAttribute("aria-current"), "page");
    const row = partner.page.locator(`tr[data-request="${reference}"]`);
    await row.waitFor();
    assert.match(await row.locator(".rq-countdown").textContent(), /^in \d+ h( \d+ min)?$/);
    assert.equal(await row.locator(".rq-countdown").getAttribute("data-overdue"), "false");
    assert.match(await row.textContent(), /E2E CERT/);
    await partner.page.screenshot({ path: screenshotPath("requests partner inbox"), fullPage: true });

    await row.getByRole("link", { name: reference }).click();
    // The heading names the reference at once; its state comes with the request.
    await partner.page.getByRole("heading", { name: new RegExp(`${reference}\\s*sent`), level: 1 }).waitFor();
    const partnerView = await apiCall(node, node.partnerKey, `/requests/${reference}`);
    assert.ok(partnerView.allowed_actions.includes("ack"));
    assert.deepEqual(await offeredActions(partner.page), partnerView.allowed_actions.map((a) => ACTION_LABELS[a]));
    // The legal fields as sent, with their basis.
    assert.match(await partner.page.locator('tr[data-field="necessity"]').textContent(), /Art\. 29\(2\)\(e\).*E2E: /);

    await partner.page.getByRole("button", { name: "Acknowledge" }).click();
    await partner.page.getByText("Acknowledged.", { exact: true }).waitFor();
    assert.equal(await partner.page.getByRole("heading", { level: 1 }).locator("[data-state]").textContent(), "acknowledged");
    assert.match(await historyTable(partner.page).locator('tr[data-action="ack"]').textContent(),
      new RegExp(`${node.fx.partnerOrg}.*acknowledged.*sent → acknowledged`));
    // A note from the partner lands in the history.
    await partner.page.getByLabel("Note", { exact: true }).fill("Provider contacted; preservation under way.");
    await partner.page.getByRole("button", { name: "Add note" }).click();
    await partner.page.getByText("Note added to the history.").waitFor();
    assert.match(await historyTable(partner.page).locator('tr[data-action="note"]').textContent(), /Provider contacted/);
  } finally {
    await partner.close("requests partner acknowledged");
  }

  // The sender sees the new state and who acknowledged.
  await page.reload();
  await page.getByRole("heading", { name: new RegExp(`${reference}\\s*acknowledged`), level: 1 }).waitFor();
  assert.match(await historyTable(page).locator('tr[data-action="ack"]').textContent(), new RegExp(node.fx.partnerOrg));
  assert.match(await historyTable(page).locator('tr[data-action="note"]').textContent(), /Provider contacted/);
});

uiTest("an overdue acknowledgement says overdue, in red, at the top of the inbox", async (page, node) => {
  // A one-second acknowledgement window for normal requests, only while
  // this one is sent; the node's policy is restored at once.
  const policy = await apiCall(node, node.adminKey, "/requests-clocks");
  const later = await openRequest(node, node.partnerKey, { to: "E2E CERT", subject: "E2E: not yet due", urgency: "urgent" });
  let overdue;
  try {
    await apiCall(node, node.adminKey, "/requests-clocks", { method: "PUT", body: { ...policy, ack: { ...policy.ack, normal: "PT1S" } } });
    overdue = await openRequest(node, node.partnerKey, { to: "E2E CERT", subject: "E2E: missed acknowledgement", urgency: "normal" });
  } finally {
    await apiCall(node, node.adminKey, "/requests-clocks", { method: "PUT", body: policy });
  }

  await signIn(page, node.adminKey);
  await page.goto(`${node.uiUrl}/requests`);
  const row = page.locator(`tr[data-request="${overdue.reference}"]`);
  const countdown = row.locator(".rq-countdown");
  await countdown.filter({ hasText: /^overdue by / }).waitFor();
  assert.equal(await countdown.getAttribute("data-overdue"), "true");
  assert.equal(await countdown.evaluate((el) => getComputedStyle(el).color), "rgb(179, 38, 30)", "overdue is red");
  // Running clocks first, the overdue one before anything due later.
  const order = await page.locator("tbody tr").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-request")));
  assert.ok(order.indexOf(overdue.reference) < order.indexOf(later.reference), order.join(", "));
  assert.equal(order[0], overdue.reference, "the overdue request is at the top");
  assert.match(await row.textContent(), /acknowledgement/);
  assert.match(await page.getByRole("link", { name: /^Incoming/ }).textContent(), /\d+ overdue/);
  const laterCountdown = page.locator(`tr[data-request="${later.reference}"] .rq-countdown`);
  assert.match(await laterCountdown.textContent(), /^in \d+ h/);
  assert.notEqual(await laterCountdown.evaluate((el) => getComputedStyle(el).color), "rgb(179, 38, 30)");

  // The countdown keeps counting.
  const first = await countdown.textContent();
  await countdown.filter({ hasNotText: first }).waitFor();

  await row.getByRole("link", { name: overdue.reference }).click();
  const deadline = page.getByTestId("deadline");
  await deadline.waitFor();
  assert.match(await deadline.textContent(), /Acknowledgement deadline: overdue by \d+ (s|min)/);
  assert.equal(await deadline.locator(".rq-countdown").evaluate((el) => getComputedStyle(el).color), "rgb(179, 38, 30)");

  // The clocks escalate the missed acknowledgement to E2E CERT's backup
  // contact; the request's page shows it to E2E CERT (the CLI runs the
  // clocks on the node's data, as the server does every minute).
  if (!node.cli) return;
  await node.cli("request", "tick");
  await page.reload();
  await page.getByRole("heading", { name: /^Reminders and escalations: \d+$/ }).waitFor();
  const notices = await page.getByRole("region", { name: "Reminders and escalations", exact: true }).textContent();
  assert.match(notices, /escalation/);
  assert.match(notices, /Duty officer/);
});

uiTest("a third organisation is told the request does not exist and sees nothing of it", async (page, node) => {
  const secret = `E2E: confidential subject ${node.fx.run}`;
  const request = await openRequest(node, node.adminKey, { to: node.fx.partnerOrg, subject: secret });
  const org = await apiCall(node, node.adminKey, "/organisations",
    { method: "POST", body: { name: `E2E Third Party ${node.fx.run}`, country: "IT", kind: "law-enforcement" } });
  const third = await apiCall(node, node.adminKey, "/keys",
    { method: "POST", body: { user: `e2e-third-${node.fx.run}`, role: "analyst", organisation_id: org.id } });

  await signIn(page, third.key);
  await page.goto(`${node.uiUrl}/requests/${encodeURIComponent(request.reference)}`);
  await page.getByRole("heading", { name: "Request not found", level: 1 }).waitFor();
  assert.match(await page.getByRole("main").textContent(), /not a party to it.*Server: request .* does not exist/s);
  assert.equal(await page.getByText(secret).count(), 0);
  assert.equal(await page.getByText(node.fx.partnerOrg).count(), 0);
  assert.equal(await page.getByRole("button", { name: "Acknowledge" }).count(), 0);

  // Nor is it in either list.
  await page.goto(`${node.uiUrl}/requests`);
  await page.getByText("No incoming request.").waitFor();
  await page.getByRole("link", { name: /^Outgoing/ }).click();
  await page.getByText("No outgoing request.").waitFor();
  assert.equal(await page.getByText(secret).count(), 0);
});

uiTest("a refused action is explained in the server's words and the request can be reloaded", async (page, node) => {
  const request = await openRequest(node, node.adminKey, { to: node.fx.partnerOrg, subject: "E2E: raced acknowledgement" });
  await signIn(page, node.partnerKey);
  await page.goto(`${node.uiUrl}/requests/${encodeURIComponent(request.reference)}`);
  const acknowledge = page.getByRole("button", { name: "Acknowledge" });
  await acknowledge.waitFor();

  // Someone else at the partner's desk acknowledges it first.
  await apiCall(node, node.partnerKey, `/requests/${request.reference}/actions`, { method: "POST", body: { action: "ack" } });
  await acknowledge.click();
  const alert = page.getByRole("alert");
  await alert.waitFor();
  assert.match(await alert.textContent(), /Acknowledge was refused\. Conflict: request .* is at version \d+, not \d+: someone changed it since you read it/);
  assert.match(await page.getByRole("heading", { level: 1 }).textContent(), /sent/, "nothing is changed on screen until reloaded");

  await page.getByRole("button", { name: "Reload the request" }).click();
  await page.getByRole("heading", { name: new RegExp(`${request.reference}\\s*acknowledged`), level: 1 }).waitFor();
  const view = await apiCall(node, node.partnerKey, `/requests/${request.reference}`);
  assert.deepEqual(await offeredActions(page), view.allowed_actions.map((a) => ACTION_LABELS[a]));
  assert.ok(!view.allowed_actions.includes("ack"));

  // Refusal needs grounds: asked for before anything is sent.
  await page.getByRole("button", { name: "Refuse" }).click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), "rq-action-reason", "focus moves to the grounds");
  await page.getByRole("form", { name: /^Refuse/ }).getByRole("button", { name: "Refuse" }).click();
  await page.getByText("Grounds for refusal is required to refuse.").waitFor();
  await page.getByLabel("Grounds for refusal").fill("E2E: outside our jurisdiction");
  await page.getByRole("form", { name: /^Refuse/ }).getByRole("button", { name: "Refuse" }).click();
  await page.getByText("Refused.", { exact: true }).waitFor();
  assert.equal(await page.getByRole("region", { name: "What you can do now" }).count(), 0, "nothing more can happen to it");
  assert.match(await historyTable(page).locator('tr[data-action="refuse"]').textContent(), /outside our jurisdiction/);
  // Its record is final: no note, link or file can be added, and the page says why.
  await page.getByText("This request is refused: its record is final and takes no more notes, links or files.").waitFor();
  assert.equal(await page.getByRole("button", { name: "Add note" }).count(), 0);
  assert.equal(await page.getByLabel(/^File/).count(), 0);
});

uiTest("a draft keeps what is missing, is completed later, and carries files with their hash", async (page, node) => {
  const spec = await typeSpec(node, "subscriber-info");
  const required = spec.fields.filter((f) => f.required);
  await signIn(page, node.adminKey);
  await page.goto(`${node.uiUrl}/requests/new?type=subscriber-info`);
  await page.getByLabel("Requested organisation").selectOption({ label: `${node.fx.partnerOrg} (DE)` });
  await page.getByLabel(required[0].label).fill("E2E: first field only");
  await page.getByRole("button", { name: "Save draft" }).click();
  await page.waitForURL(/\/requests\/FR-DE-\d{4}-\d+$/);
  const reference = decodeURIComponent(new URL(page.url()).pathname.split("/").pop());
  await page.getByText(`Draft ${reference} saved.`).waitFor();
  await page.screenshot({ path: screenshotPath("requests draft being completed"), fullPage: true });

  // The draft's page is its form: what is still missing, Send disabled.
  assert.equal((await missingItems(page)).length, required.length - 1);
  assert.ok(await page.getByRole("button", { name: "Send", exact: true }).isDisabled());
  assert.equal(await page.getByLabel(required[0].label).inputValue(), "E2E: first field only");
  // A draft starts no clock.
  assert.match(await page.getByRole("region", { name: "Clocks", exact: true }).textContent(), /No clock runs until the request is sent/);

  // A file, with its SHA-256 recorded.
  await page.getByLabel(/^File/).setInputFiles({ name: "e2e-evidence.txt", mimeType: "text/plain", buffer: Buffer.from("e2e evidence\n") });
  await page.getByRole("button", { name: "Attach" }).click();
  await page.getByText("File attached.").waitFor();
  const attachment = page.locator("tr[data-attachment]");
  assert.match(await attachment.textContent(), /e2e-evidence\.txt.*text\/plain/);
  const view = await apiCall(node, node.adminKey, `/requests/${reference}`);
  assert.match(await attachment.textContent(), new RegExp(view.attachments[0].sha256));

  // Completed later: the rest of the fields, then Send.
  for (const f of required.slice(1)) await page.getByLabel(f.label).fill(`E2E: ${f.label}`);
  await page.getByText("Nothing is missing").waitFor();
  await page.getByRole("button", { name: "Send", exact: true }).click();
  await page.getByText(`Sent to ${node.fx.partnerOrg}.`).waitFor();
  await page.getByRole("heading", { name: new RegExp(`${reference}\\s*sent`), level: 1 }).waitFor();
  assert.match(await historyTable(page).textContent(), /edited.*sent/s);

  // The partner downloads the file and the printable document (the key in a header, never a URL).
  const partner = await secondDesk(page, node.partnerKey);
  try {
    await partner.page.goto(`${node.uiUrl}/requests/${encodeURIComponent(reference)}`);
    const [file] = await Promise.all([
      partner.page.waitForEvent("download"),
      partner.page.getByRole("button", { name: "Download e2e-evidence.txt" }).click(),
    ]);
    assert.equal(file.suggestedFilename(), "e2e-evidence.txt");
    assert.equal(await readFile(await file.path(), "utf8"), "e2e evidence\n");
    assert.ok(!file.url().includes(node.partnerKey.split(":")[1]));

    const [doc] = await Promise.all([
      partner.page.waitForEvent("download"),
      partner.page.getByRole("button", { name: "Download the printable document" }).click(),
    ]);
    const html = await readFile(await doc.path(), "utf8");
    assert.match(html, new RegExp(reference));
    assert.match(html, /Chain of custody|chain of custody/);
  } finally {
    await partner.close("requests partner downloads");
  }
}, { acceptDownloads: true });

uiTest("the request screens fit a laptop and a wall screen, and a reader gets no buttons", async (page, node) => {
  const request = await openRequest(node, node.adminKey, { type: "preservation", to: node.fx.partnerOrg, subject: "E2E: layout" });
  await signIn(page, node.adminKey);
  for (const [width, height] of [[1366, 800], [2560, 1440]]) {
    await page.setViewportSize({ width, height });
    for (const path of ["/requests?box=out", "/requests/new", `/requests/${encodeURIComponent(request.reference)}`]) {
      await page.goto(`${node.uiUrl}${path}`);
      await page.getByRole("heading", { level: 1 }).waitFor();
      await page.locator(".loading").first().waitFor({ state: "detached" });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `${path} at ${width}px: no horizontal scrolling (overflow ${overflow}px)`);
      await page.screenshot({ path: screenshotPath(`requests ${path.split("?")[0].replace(/FR-DE.*/, "detail")} ${width}`), fullPage: true });
    }
  }

  // A reader of the partner organisation reads the request but may not act.
  const reader = await apiCall(node, node.adminKey, "/keys", {
    method: "POST",
    body: { user: `e2e-partner-reader-${node.fx.run}`, role: "reader", organisation_id: request.to.id },
  });
  const desk = await secondDesk(page, reader.key);
  try {
    await desk.page.goto(`${node.uiUrl}/requests`);
    await desk.page.locator(`tr[data-request="${request.reference}"]`).waitFor();
    assert.equal(await desk.page.getByRole("link", { name: "New request" }).count(), 0);
    await desk.page.goto(`${node.uiUrl}/requests/${encodeURIComponent(request.reference)}`);
    await desk.page.getByText("You can read this request; only its parties'").waitFor();
    assert.equal(await desk.page.getByRole("region", { name: "What you can do now" }).count(), 0);
    assert.equal(await desk.page.getByLabel("Note", { exact: true }).count(), 0);
    assert.equal(await desk.page.getByRole("button", { name: "Acknowledge" }).count(), 0);
    await desk.page.goto(`${node.uiUrl}/requests/new`);
    await desk.page.getByText("this key's role cannot").waitFor();
    assert.equal(await desk.page.getByRole("button", { name: "Send", exact: true }).count(), 0);
  } finally {
    await desk.close("requests reader");
  }
});

/** A time as the screens write it: "2026-03-01 10:00 UTC". */
function shownTime(ms) {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

uiTest("extending a preservation adds the duration to its current end, and says so with the new end", async (page, node) => {
  const request = await openRequest(node, node.adminKey, { type: "preservation", to: node.fx.partnerOrg, subject: "E2E: extended" });
  for (const body of [{ action: "ack" }, { action: "start" }, { action: "execute", preserved_until: "120d" }]) {
    await apiCall(node, node.partnerKey, `/requests/${request.reference}/actions`, { method: "POST", body });
  }
  const end = Date.parse((await apiCall(node, node.partnerKey, `/requests/${request.reference}`)).preserved_until);

  await signIn(page, node.partnerKey);
  await page.goto(`${node.uiUrl}/requests/${encodeURIComponent(request.reference)}`);
  await page.getByRole("button", { name: "Extend preservation" }).click();
  const hint = await page.locator("#rq-action-until-hint").textContent();
  assert.match(hint, new RegExp(`now runs until ${shownTime(end)}\\. .*a duration such as 90d is added to the current end`));
  assert.doesNotMatch(hint, /from now/);
  await page.getByLabel("Preserve until").fill("30d");
  const expected = end + 30 * 86400000;
  await page.locator("#rq-action-until-result").filter({ hasText: `New end: ${shownTime(expected)}.` }).waitFor();
  await page.screenshot({ path: screenshotPath("requests extend preservation"), fullPage: true });
  await page.getByRole("form", { name: /^Extend preservation/ }).getByRole("button", { name: "Extend preservation" }).click();
  await page.getByText("Preservation extended.", { exact: true }).waitFor();
  const after = await apiCall(node, node.partnerKey, `/requests/${request.reference}`);
  assert.equal(Date.parse(after.preserved_until), expected, "the server added 30 days to the end shown");
});

uiTest("linked events show their title where the viewer may read them, and an indicator links to its search", async (page, node) => {
  const request = await openRequest(node, node.adminKey, { to: node.fx.partnerOrg, subject: "E2E: linked records" });
  const green = (await apiCall(node, node.partnerKey, "/events?tlp=green&limit=1000")).events
    .find((e) => e.title === "Phishing wave delivering DemoStealer");
  assert.ok(green, "the sample GREEN event is on the node");
  for (const link of [
    { kind: "event", ref: node.strictEventUuid },  // TLP:AMBER+STRICT: E2E CERT's alone
    { kind: "event", ref: green.uuid },
    { kind: "observable", ref: node.fx.sharedValue },
  ]) {
    await apiCall(node, node.adminKey, `/requests/${request.reference}/links`, { method: "POST", body: link });
  }
  const links = (page) => page.getByRole("table", { name: "Linked records" });

  await signIn(page, node.adminKey);
  await page.goto(`${node.uiUrl}/requests/${encodeURIComponent(request.reference)}`);
  const strict = links(page).getByRole("link", { name: node.fx.strictTitle });
  await strict.waitFor();
  assert.equal(await strict.getAttribute("href"), `/events/${node.strictEventUuid}`);
  assert.equal(await links(page).getByRole("link", { name: green.title }).getAttribute("href"), `/events/${green.uuid}`);
  const value = links(page).getByRole("link", { name: node.fx.sharedValue });
  assert.equal(await value.getAttribute("href"), `/search?q=${encodeURIComponent(node.fx.sharedValue)}&type=domain`);
  assert.deepEqual(await links(page).locator("tbody tr td:first-child").allTextContents(), ["Event", "Event", "Indicator"]);

  // The partner reads the GREEN event, not E2E CERT's AMBER+STRICT one: its uuid, said so.
  const partner = await secondDesk(page, node.partnerKey);
  try {
    await partner.page.goto(`${node.uiUrl}/requests/${encodeURIComponent(request.reference)}`);
    await links(partner.page).getByRole("link", { name: green.title }).waitFor();
    await links(partner.page).getByText(`${node.strictEventUuid} (not readable by you)`).waitFor();
    assert.equal(await links(partner.page).getByRole("link", { name: node.fx.strictTitle }).count(), 0);
    assert.equal(await partner.page.getByText(node.fx.strictTitle).count(), 0, "the title is nowhere on the partner's page");
  } finally {
    await partner.close("requests linked records partner");
  }
});
