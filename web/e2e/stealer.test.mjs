// End-to-end tests of the infostealer operation screens (/stealer,
// /stealer/{name}) in headless Chromium against a real `accord serve`.
// Every expected value comes from the API (or the CLI that seeded the node).
// The seeded operation exists only on a local node (the CLI makes it): on an
// external server (ACCORD_E2E_URL) the tests that need it return early.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { inflateRawSync } from "node:zlib";
import { SAMPLES_DIR, apiCall } from "./harness.mjs";
import { suite } from "./suite.mjs";

const run = promisify(execFile);
const { pre, uiTest, signIn } = suite();

const opApi = (name, sub = "") => `/stealer/operations/${encodeURIComponent(name)}${sub}`;
const opPage = (node, name, query = "") => `${node.uiUrl}/stealer/${encodeURIComponent(name)}${query}`;
const number = (text) => Number(String(text).replace(/[^\d]/g, ""));

/** true when the seeded operation is there; else logs why the test does nothing. */
function hasOperation(node, test) {
  if (node.cli) return true;
  console.log(`${test}: skipped, the external server has no seeded infostealer operation`);
  return false;
}

/** A REST call that does not throw: the status and the parsed body. */
async function rawApi(node, key, path, method = "GET") {
  const r = await fetch(`${node.apiUrl}/api/v1${path}`, { method, headers: { Authorization: `Bearer ${key}`, Accept: "application/json" } });
  const text = await r.text();
  let body = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: r.status, body };
}

async function openOperation(page, node, name, query = "") {
  await page.goto(opPage(node, name, query));
  await page.locator("[data-country-row]").first().waitFor();
}

/** Every row of a pagedTable, going through its pages with the Next button. */
async function allRows(page, caption, read) {
  const region = page.getByRole("region", { name: caption, exact: true });
  const box = region.locator("xpath=..");
  const out = [];
  for (let guard = 0; guard < 100; guard++) {
    await region.locator("tbody tr").first().waitFor();
    for (const row of await region.locator("tbody tr").all()) out.push(await read(row));
    const next = box.getByRole("button", { name: "Next page" });
    if ((await next.count()) === 0 || (await next.isDisabled())) return out;
    const status = await box.locator(".pager-status").textContent();
    await next.click();
    await box.locator(".pager-status").filter({ hasNotText: status }).waitFor();
  }
  throw new Error(`${caption}: more than 100 pages`);
}

/**
 * Click a country on the map where it really is: a country's box centre can
 * be sea (France's box spans French Guiana), and a real click must hit it.
 */
async function clickCountry(shape) {
  await shape.scrollIntoViewIfNeeded();
  const position = await shape.evaluate((path) => {
    const box = path.getBoundingClientRect();
    for (let i = 1; i < 40; i++) {
      for (let j = 1; j < 40; j++) {
        const x = box.left + (box.width * i) / 40;
        const y = box.top + (box.height * j) / 40;
        if (document.elementFromPoint(x, y) === path) return { x: x - box.left, y: y - box.top };
      }
    }
    return null;
  });
  assert.ok(position, "the country is visible somewhere on the map");
  await shape.click({ position });
}

async function victimIds(page) {
  await page.locator("#victims table").waitFor();
  return page.locator("#victims tbody tr td:first-child").allTextContents();
}

async function noHorizontalScroll(page) {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  assert.ok(scroll <= width, `the page is wider than the window: ${scroll} > ${width}`);
}

/** The entries of a zip archive (stored or deflated), name → text. */
function unzip(buf) {
  assert.equal(buf.subarray(0, 2).toString("latin1"), "PK", "a zip archive starts with PK");
  let end = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65535); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      end = i;
      break;
    }
  }
  assert.ok(end >= 0, "the zip has its end-of-central-directory record");
  const entries = new Map();
  let p = buf.readUInt32LE(end + 16);
  for (let n = buf.readUInt16LE(end + 10); n > 0; n--) {
    assert.equal(buf.readUInt32LE(p), 0x02014b50, "central directory entry");
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLength = buf.readUInt16LE(p + 28);
    const skip = nameLength + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString("utf8", p + 46, p + 46 + nameLength);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(start, start + size);
    assert.ok(method === 0 || method === 8, `${name}: compression method ${method}`);
    entries.set(name, (method === 8 ? inflateRawSync(raw) : raw).toString("utf8"));
    p += 46 + skip;
  }
  return entries;
}

/** No JSON key and no CSV column that holds a password. */
function assertNoPasswords(entries) {
  const walk = (value, where) => {
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${where}[${i}]`));
    else if (value && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) {
        assert.doesNotMatch(k, /pass(word|wd)?/i, `${where}: a password field "${k}"`);
        walk(v, `${where}.${k}`);
      }
    }
  };
  for (const [name, text] of entries) {
    assert.ok(text.length > 0, `${name} is empty`);
    if (name.endsWith(".json")) walk(JSON.parse(text), name);
    else if (name.endsWith(".csv")) assert.doesNotMatch(text.split(/\r?\n/)[0], /pass(word|wd)?/i, `${name}: a password column`);
  }
}

/** Click a package button; the file the browser saved, with the name the screen reports. */
async function download(page, button) {
  const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: button, exact: true }).click()]);
  const name = file.suggestedFilename();
  const buf = await readFile(await file.path());
  await page.locator(`[data-downloaded="${name}"]`).waitFor();
  return { name, buf, entries: unzip(buf) };
}

async function chooseFormat(page, label) {
  await page.getByRole("group", { name: "Format" }).getByLabel(label, { exact: true }).check();
}

uiTest("the operations list shows the API's operations and counts", async (page, node) => {
  if (!hasOperation(node, "operations list")) return;
  const { operations } = await apiCall(node, node.adminKey, "/stealer/operations");
  const demo = operations.find((o) => o.name === node.fx.stealerOperation);
  assert.ok(demo, "the seeded operation is listed by the API");

  await signIn(page, node.adminKey);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Infostealer" }).click();
  await page.getByRole("heading", { name: "Infostealer operations", level: 1 }).waitFor();
  const rows = await allRows(page, "Infostealer operations", async (row) => ({
    name: await row.getAttribute("data-operation"),
    cells: await row.locator("td").allTextContents(),
  }));
  assert.deepEqual(rows.map((r) => r.name).sort(), operations.map((o) => o.name).sort());
  const cells = rows.find((r) => r.name === demo.name).cells;
  assert.equal(cells[0], `TLP:${demo.tlp.toUpperCase()}`);
  assert.equal(number(cells[3]), demo.victims);
  assert.equal(number(cells[4]), demo.credentials);
  assert.equal(number(cells[5]), demo.c2_servers);
  assert.equal(number(cells[6]), demo.retention_days);

  await page.getByRole("link", { name: demo.name, exact: true }).click();
  await page.getByRole("heading", { level: 1, name: new RegExp(`Operation ${demo.name}$`) }).waitFor();
  assert.equal(await page.locator("h1 .tlp").getAttribute("data-tlp"), demo.tlp);
});

uiTest("the operation page shows victims per country; choosing a country filters the victims, Back restores all", async (page, node) => {
  if (!hasOperation(node, "victims per country")) return;
  const name = node.fx.stealerOperation;
  const summary = await apiCall(node, node.adminKey, opApi(name));
  await signIn(page, node.adminKey);
  await openOperation(page, node, name);
  await noHorizontalScroll(page);

  assert.equal(number(await page.locator('[data-count="victims"]').textContent()), summary.victims);
  const shown = await allRows(page, "Victim counts per country", async (row) => [
    await row.getAttribute("data-country-row"), number(await row.locator("td").nth(1).textContent())]);
  assert.deepEqual(Object.fromEntries(shown), summary.victims_by_country);
  assert.deepEqual(shown.map(([, n]) => n), shown.map(([, n]) => n).sort((a, b) => b - a), "largest first");

  // All victims first: the first page as the API gives it, no password column.
  // The API's order, as many as the screen's first page holds.
  const everyone = (await apiCall(node, node.adminKey, `${opApi(name, "/victims")}?limit=1000`)).victims.map((v) => v.machine_id);
  const firstPage = await victimIds(page);
  assert.ok(firstPage.length > 0 && firstPage.length < everyone.length, "the victims come a page at a time");
  assert.deepEqual(firstPage, everyone.slice(0, firstPage.length));
  const head = await page.locator("#victims thead th").allTextContents();
  assert.ok(!head.some((h) => /pass/i.test(h)), `no password column: ${head.join(", ")}`);
  await page.locator("#victims .pager-status").filter({ hasText: `(${summary.victims} in all)` }).waitFor();

  // The country with the most victims, chosen on the map.
  const [top, topCount] = Object.entries(summary.victims_by_country).filter(([cc]) => cc !== "XX").sort((a, b) => b[1] - a[1])[0];
  const shape = page.locator(`.worldmap [data-country="${top}"]`);
  assert.match(await shape.getAttribute("aria-label"), new RegExp(`: ${topCount} victims$`));
  await clickCountry(shape);
  await page.waitForURL((url) => url.searchParams.get("country") === top);
  await page.locator("#victims-heading").filter({ hasText: `(${top})` }).waitFor();
  const expected = await apiCall(node, node.adminKey, `${opApi(name, "/victims")}?country=${top}&limit=1000`);
  assert.equal(expected.victims.length, topCount);
  assert.deepEqual((await victimIds(page)).sort(), expected.victims.map((v) => v.machine_id).sort());
  const countries = await page.locator("#victims tbody tr").evaluateAll((rows) => rows.map((r) => r.dataset.victimCountry));
  assert.deepEqual([...new Set(countries)], [top]);
  await page.locator(`[data-country-row="${top}"][aria-current="true"]`).waitFor();
  assert.equal(await page.locator(`.worldmap [data-country="${top}"].selected`).count(), 1);
  await page.waitForFunction(() => document.activeElement?.id === "victims-heading");

  // The address may name the country as the screen shows it.
  const topName = new Intl.DisplayNames(["en"], { type: "region" }).of(top);
  await openOperation(page, node, name, `?country=${encodeURIComponent(topName)}`);
  await page.locator("#victims-heading").filter({ hasText: `(${top})` }).waitFor();
  await page.locator(`[data-country-row="${top}"][aria-current="true"]`).waitFor();
  assert.deepEqual((await victimIds(page)).sort(), expected.victims.map((v) => v.machine_id).sort());
  await page.goBack();

  // Back: every country again.
  await page.goBack();
  await page.waitForURL((url) => !url.searchParams.has("country"));
  await page.locator("#victims-heading").filter({ hasText: /^Victims$/ }).waitFor();
  assert.deepEqual(await victimIds(page), firstPage);
  assert.equal(await page.locator("[data-country-row][aria-current]").count(), 0);

  // The next page continues in the API's order.
  await page.locator("#victims").getByRole("button", { name: "Next page" }).click();
  await page.locator("#victims .pager-status").filter({ hasText: /^Page 2 / }).waitFor();
  assert.deepEqual(await victimIds(page), everyone.slice(firstPage.length, 2 * firstPage.length));
  await page.locator("#victims").getByRole("button", { name: "Previous page" }).click();
  await page.locator("#victims .pager-status").filter({ hasText: /^Page 1 / }).waitFor();
  assert.deepEqual(await victimIds(page), firstPage);

  // A country row by keyboard; the address is bookmarkable.
  const [second, secondCount] = shown[1];
  await page.locator(`[data-country-row="${second}"] a`).focus();
  await page.keyboard.press("Enter");
  await page.waitForURL((url) => url.searchParams.get("country") === second);
  await page.locator("#victims-heading").filter({ hasText: `(${second})` }).waitFor();
  assert.equal((await victimIds(page)).length, secondCount);
  await page.reload();
  await page.locator("#victims-heading").filter({ hasText: `(${second})` }).waitFor();
  assert.equal((await victimIds(page)).length, secondCount);
});

uiTest("families, time line, top services and C2 servers by hosting network match the API", async (page, node) => {
  if (!hasOperation(node, "services and C2")) return;
  const name = node.fx.stealerOperation;
  const summary = await apiCall(node, node.adminKey, opApi(name));
  const { c2_servers: servers } = await apiCall(node, node.adminKey, opApi(name, "/c2"));
  await signIn(page, node.adminKey);
  await openOperation(page, node, name);

  // Victims per family: the chart's numbers.
  const families = page.locator('section[aria-labelledby="families-heading"] .chart-numbers tbody tr');
  const familyCounts = Object.fromEntries(await families.evaluateAll((rows) =>
    rows.map((r) => [r.cells[0].textContent, Number(r.cells[1].textContent.replace(/[^\d]/g, ""))])));
  assert.deepEqual(familyCounts, summary.victims_by_family);

  // The time line draws every dated infection once.
  const dated = Object.entries(summary.timeline).filter(([d]) => /^\d{4}-\d{2}-\d{2}$/.test(d)).reduce((n, [, v]) => n + v, 0);
  const drawn = await page.locator('section[aria-labelledby="timeline-heading"] .chart-numbers tbody tr td:nth-child(2)').allTextContents();
  assert.ok(drawn.length > 0, "the time line has points");
  assert.equal(drawn.reduce((n, t) => n + number(t), 0), dated);

  // Top services: card, table (every page) and chart.
  assert.equal(number(await page.locator('[data-count="services"]').textContent()), summary.services);
  const services = await allRows(page, "Affected services", async (row) => {
    const cells = await row.locator("td").allTextContents();
    return { domain: cells[0], accounts: number(cells[1]), victims: number(cells[2]) };
  });
  assert.deepEqual(services, summary.top_services);
  const charted = await page.locator('section[aria-labelledby="services-heading"] .chart-numbers tbody tr td:first-child').allTextContents();
  assert.deepEqual(charted, summary.top_services.slice(0, charted.length).map((s) => s.domain));

  // C2 servers by hosting network, each group's servers and evidence.
  assert.equal(number(await page.locator('[data-count="c2"]').textContent()), summary.c2_servers);
  const groups = await allRows(page, "Hosting networks of C2 servers", async (row) => ({
    asn: Number(await row.getAttribute("data-asn")),
    country: await row.getAttribute("data-hosting-country"),
    servers: number(await row.locator("td").nth(3).textContent()),
  }));
  const key = (g) => `${g.asn}/${g.country}`;
  assert.deepEqual(groups.map(key).sort(), summary.c2_by_asn.map(key).sort());
  for (const g of summary.c2_by_asn) assert.equal(groups.find((x) => key(x) === key(g)).servers, g.servers);
  assert.ok(summary.c2_by_asn.length > 0, "the seeded operation has C2 servers");
  const g = summary.c2_by_asn[0];
  const row = page.locator(`tr[data-asn="${g.asn}"][data-hosting-country="${g.country}"]`);
  await row.locator("summary").click();
  const members = servers.filter((s) => (s.asn ?? 0) === g.asn && (s.country || "XX") === g.country);
  const listed = await row.locator("li[data-c2]").evaluateAll((items) => items.map((i) => i.dataset.c2));
  assert.deepEqual(listed.sort(), members.map((s) => s.value).sort());
  for (const s of members) {
    const text = await row.locator(`li[data-c2="${s.value}"]`).textContent();
    for (const e of s.evidence) assert.ok(text.includes(e.location ?? e.source), `${s.value}: evidence ${JSON.stringify(e)} shown`);
  }
});

uiTest("each package button downloads a non-empty zip of that package, without passwords", async (page, node) => {
  if (!hasOperation(node, "packages")) return;
  const name = node.fx.stealerOperation;
  const summary = await apiCall(node, node.adminKey, opApi(name));
  await signIn(page, node.adminKey);
  await openOperation(page, node, name);
  await page.getByRole("heading", { name: "Packages" }).waitFor();

  const groups = summary.c2_by_asn.map((g) => `takedown/${g.country}-AS${g.asn}`);
  const countries = Object.keys(summary.victims_by_country).map((cc) => `victims/${cc}`);
  const expected = {
    takedown: groups.flatMap((b) => [`${b}.json`, `${b}.csv`, `${b}.stix.json`]),
    victims: countries.flatMap((b) => [`${b}.json`, `${b}.csv`]),
    summary: ["summary.json", "summary.csv"],
  };
  const buttons = {
    takedown: "Download takedown package",
    victims: "Download victims package",
    services: "Download services package",
    summary: "Download summary",
    all: "Download all packages",
  };
  const got = {};
  for (const [kind, button] of Object.entries(buttons)) {
    const file = await download(page, button);
    assert.match(file.name, new RegExp(`^${name}-${kind}\\.zip$`), `${button}: file name`);
    assert.ok(file.entries.size > 0, `${button}: entries`);
    assertNoPasswords(file.entries);
    got[kind] = [...file.entries.keys()].sort();
  }
  assert.deepEqual(got.takedown, [...expected.takedown].sort());
  assert.deepEqual(got.victims, [...expected.victims].sort());
  assert.deepEqual(got.summary, [...expected.summary].sort());
  assert.equal(got.services.length, summary.services * 2, "a JSON and a CSV file per affected service");
  for (const s of summary.top_services) assert.ok(got.services.includes(`services/${s.domain}.json`), `services/${s.domain}.json`);
  assert.deepEqual(got.all, [...got.takedown, ...got.victims, ...got.services, ...got.summary].sort());

  // JSON only: every file parses, and the victims add up to the operation's.
  await chooseFormat(page, "JSON");
  const victims = await download(page, buttons.victims);
  assert.ok([...victims.entries.keys()].every((n) => n.endsWith(".json")));
  const notified = [...victims.entries.values()].reduce((n, text) => n + JSON.parse(text).victims.length, 0);
  assert.equal(notified, summary.victims);
  const takedownJson = await download(page, buttons.takedown);
  assert.deepEqual([...takedownJson.entries.keys()].sort(), groups.map((b) => `${b}.json`).sort());

  // STIX: only the takedown package has that form.
  await chooseFormat(page, "STIX 2.1");
  assert.ok(await page.getByRole("button", { name: buttons.victims }).isDisabled());
  assert.ok(await page.getByRole("button", { name: buttons.services }).isDisabled());
  const stix = await download(page, buttons.takedown);
  assert.deepEqual([...stix.entries.keys()].sort(), groups.map((b) => `${b}.stix.json`).sort());
  for (const text of stix.entries.values()) assert.equal(JSON.parse(text).type, "bundle");

  // CSV: the summary comes with its JSON.
  await chooseFormat(page, "CSV");
  const csv = await download(page, buttons.summary);
  assert.deepEqual([...csv.entries.keys()].sort(), ["summary.csv", "summary.json"]);
  assert.equal(JSON.parse(csv.entries.get("summary.json")).victims, summary.victims);
}, { acceptDownloads: true });

uiTest("another organisation's analyst gets what the API gives them", async (page, node) => {
  const name = node.fx.stealerOperation;
  const list = await rawApi(node, node.partnerKey, "/stealer/operations");
  assert.equal(list.status, 200);
  const one = await rawApi(node, node.partnerKey, opApi(name));
  await signIn(page, node.partnerKey);

  await page.goto(`${node.uiUrl}/stealer`);
  await page.getByRole("heading", { name: "Infostealer operations", level: 1 }).waitFor();
  if (list.body.operations.length === 0) {
    await page.getByRole("heading", { name: "No operation you may read" }).waitFor();
    await page.getByText("accord stealer ingest --operation NAME PATH...").waitFor();
    assert.equal(await page.locator("[data-operation]").count(), 0);
  } else {
    const rows = await allRows(page, "Infostealer operations", (row) => row.getAttribute("data-operation"));
    assert.deepEqual(rows.sort(), list.body.operations.map((o) => o.name).sort());
  }

  await page.goto(opPage(node, name));
  if (one.status === 404) {
    await page.getByRole("heading", { name: "Operation not found", level: 1 }).waitFor();
    await page.getByText(`Server: ${one.body.error.message}`).waitFor();
    assert.equal(await page.locator("main table, main .worldmap, main .card, main canvas").count(), 0, "no victim data");
  } else {
    assert.equal(one.status, 200, `the API answered ${one.status}`);
    await page.locator("[data-country-row]").first().waitFor();
    assert.equal(number(await page.locator('[data-count="victims"]').textContent()), one.body.victims);
  }
});

uiTest("a TLP:GREEN operation: a partner reads it without packages or purge, an admin purges after confirming", async (page, node) => {
  if (!hasOperation(node, "shared operation")) return;
  // A second, small operation shared with every member (a space in its name, too).
  const dir = await mkdtemp(join(tmpdir(), "accord-e2e-shared-"));
  const shared = `Shared ${node.fx.run}`;
  try {
    await run(pre.accord, ["stealer", "synth", "--machines", "12", "--credentials", "4", "--seed", "3", "--output", join(dir, "logs")]);
    await rm(join(dir, "logs", "ground-truth.json"), { force: true });
    await node.cli("stealer", "ingest", "--operation", shared, "--tlp", "green", join(dir, "logs"), join(SAMPLES_DIR, "stealer", "c2.csv"))
      .catch((e) => { if (e.code !== 3) throw e; });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const summary = await apiCall(node, node.partnerKey, opApi(shared));
  assert.equal(summary.tlp, "green");
  // What the API refuses the partner is what the screen must not offer.
  assert.equal((await rawApi(node, node.partnerKey, opApi(shared, "/packages?kind=summary"))).status, 403);
  assert.equal((await rawApi(node, node.partnerKey, opApi(shared, "/purge"), "POST")).status, 403);

  await signIn(page, node.partnerKey);
  await page.goto(`${node.uiUrl}/stealer`);
  const row = page.locator(`tr[data-operation="${shared}"]`);
  await row.waitFor();
  assert.equal(await row.locator(".tlp").getAttribute("data-tlp"), "green");
  await row.getByRole("link", { name: shared }).click();
  await page.getByRole("heading", { level: 1, name: new RegExp(`Operation ${shared}$`) }).waitFor();
  assert.equal(number(await page.locator('[data-count="victims"]').textContent()), summary.victims);
  await page.getByText("only the coordinating organisation").waitFor();
  assert.equal(await page.getByRole("button", { name: /^Download/ }).count(), 0, "no package buttons");
  assert.equal(await page.getByRole("button", { name: /Purge/ }).count(), 0, "no purge");

  // The admin may purge: a confirmation first, Cancel does nothing.
  await page.getByRole("button", { name: "Sign out" }).click();
  await signIn(page, node.adminKey);
  await openOperation(page, node, shared);
  const start = page.getByRole("button", { name: "Purge expired personal data…" });
  await start.click();
  await page.getByRole("button", { name: "Cancel" }).click();
  assert.equal(await page.getByRole("button", { name: "Purge now" }).isVisible(), false);
  assert.equal(await start.getAttribute("aria-expanded"), "false");

  const { victims } = await apiCall(node, node.adminKey, `${opApi(shared, "/victims")}?limit=1000`);
  const cutoff = Date.now() - summary.retention_days * 86_400_000;
  const due = victims.filter((v) => !v.purged && Date.parse(v.ingested) < cutoff).length;
  await start.click();
  await page.getByRole("button", { name: "Purge now" }).click();
  const result = page.locator("[data-purged]");
  await result.waitFor();
  assert.equal(Number(await result.getAttribute("data-purged")), due);
  const after = await apiCall(node, node.adminKey, opApi(shared));
  assert.equal(number(await page.locator('[data-count="purged"]').textContent()), after.victims_purged);
});

uiTest("the operation page uses a wall screen's width", async (page, node) => {
  if (!hasOperation(node, "wall screen")) return;
  await signIn(page, node.adminKey);
  await openOperation(page, node, node.fx.stealerOperation);
  await page.locator(".worldmap svg").waitFor();
  await noHorizontalScroll(page);
  const map = await page.locator(".worldmap").boundingBox();
  const countries = await page.getByRole("region", { name: "Victim counts per country", exact: true }).boundingBox();
  assert.ok(countries.x >= map.x + map.width, "the country table is beside the map");
  const victims = await page.locator("#victims").boundingBox();
  const c2 = await page.locator('section[aria-labelledby="c2-heading"]').boundingBox();
  assert.ok(c2.x >= victims.x + victims.width && c2.y < victims.y + victims.height, "the C2 servers are beside the victims");
}, { viewport: { width: 2560, height: 1440 } });
