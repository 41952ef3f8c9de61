// End-to-end tests of creating, editing and deleting events and of
// importing indicators (uploaded, pasted, added to an event, the events an
// import names), in headless Chromium against a real `accord serve` (see
// harness.mjs).

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after } from "node:test";
import { apiCall, screenshotPath } from "./harness.mjs";
import { suite } from "./suite.mjs";

const { uiTest, signIn } = suite();

const tmp = mkdtempSync(join(tmpdir(), "accord-e2e-events-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** A value no sample file carries, unique to this run and test. */
function unique(node, label) {
  return `${label}-${node.fx.run}.example`;
}

function escapeRegExp(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Waits for an event page's first page of indicators and returns its values.
 * The "Indicators: N" heading comes earlier, with the event; the rows and the
 * status line come together, with the page of indicators asked for after it.
 */
async function eventPageValues(page, total) {
  await page.getByTestId("indicators-shown").filter({ hasText: `Showing ${total} of ${total}` }).waitFor();
  return page.locator("table tbody a.value").allTextContents();
}

async function count(page, key) {
  const text = await page.locator(`[data-count="${key}"]`).textContent();
  return Number(text.replace(/[^\d]/g, ""));
}

/** Signs in as the admin, pastes `bundle` on the import screen and imports it. */
async function pasteStixBundle(page, node, bundle) {
  await signIn(page, node.adminKey);
  await page.goto(`${node.uiUrl}/import`);
  await page.getByLabel("Paste indicators").fill(JSON.stringify(bundle, null, 2));
  await page.getByText("Recognised: STIX 2.x bundle.").waitFor();
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await page.getByRole("heading", { name: "Import report" }).waitFor();
}

/** The rejected-values table as [line or object, value, reason] rows. */
async function rejectedRows(page) {
  const rows = page.getByRole("region", { name: "Rejected values" }).locator("tbody tr");
  const out = [];
  for (let i = 0; i < await rows.count(); i++) out.push(await rows.nth(i).locator("td").allTextContents());
  return out;
}

async function signOut(page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
}

uiTest("an uploaded CSV is reported new, known and rejected, line by line, and its values correlate", async (page, node) => {
  const fresh = [unique(node, "upload-a"), unique(node, "upload-b"), `http://${unique(node, "upload-c")}/gate.php`];
  const known = node.fx.sharedValue; // in several sample files
  // [line, value, what the server should say]
  const malformed = [
    [4, "203.0.113.999", /999/],
    [6, "certainly not an indicator", /not a recognisable indicator/],
  ];
  const lines = [
    "value,comment",
    `${fresh[0]},first new`,
    `${known},already on the node`,
    "203.0.113.999,bad octet",
    `${fresh[1]},second new`,
    "certainly not an indicator,free text",
    `${fresh[2]},third new,one field too many`,
  ];
  const wrongFieldCountLine = 7;
  const file = join(tmp, `upload-${node.fx.run}.csv`);
  writeFileSync(file, `${lines.join("\n")}\n`);
  const title = `E2E upload ${node.fx.run}`;

  await signIn(page, node.adminKey);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Import" }).click();
  await page.getByRole("heading", { name: "Import indicators", level: 1 }).waitFor();
  await page.getByLabel("Or choose a file").setInputFiles(file);
  await page.getByText(/^Recognised: CSV/).waitFor();
  await page.getByLabel("TLP for data without a marking").selectOption("green");
  await page.getByLabel("Event title (CSV, lists, JSON records)").fill(title);
  await page.getByRole("button", { name: "Import", exact: true }).click();

  const report = page.getByRole("heading", { name: "Import report" });
  await report.waitFor();
  assert.equal(await report.evaluate((el) => el === document.activeElement), true, "focus moves to the report");
  // The wrong-length row is dropped whole, so it has no value to count.
  const expectedNew = fresh.length - 1;
  assert.equal(await count(page, "new"), expectedNew);
  assert.equal(await count(page, "known"), 1);
  assert.equal(await count(page, "rejected"), malformed.length + 1);

  const rows = await rejectedRows(page);
  assert.equal(rows.length, malformed.length + 1, JSON.stringify(rows));
  for (const [line, value, reason] of malformed) {
    const row = rows.find((r) => r[1] === value);
    assert.ok(row, `${value} is listed as rejected`);
    assert.equal(row[0], `line ${line}`);
    assert.match(row[2], reason);
  }
  const lengthRow = rows.find((r) => r[0] === `line ${wrongFieldCountLine}`);
  assert.ok(lengthRow, "the row with a field too many is listed");
  assert.match(lengthRow[2], /3 fields where the header has 2/);

  // The event it made, with its TLP label, linked from the report.
  const events = page.getByRole("region", { name: "Events of this import" });
  const link = events.getByRole("link", { name: title });
  await link.waitFor();
  assert.equal(await events.locator("tbody tr").count(), 1);
  assert.equal(await events.locator("tbody .tlp").textContent(), "TLP:GREEN");

  // Search: a new value correlates with that event.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Indicator search" }).click();
  await page.getByLabel("Indicator value").fill(fresh[1]);
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await page.getByRole("heading", { name: "Correlation: 1 event" }).waitFor();
  await page.locator("table").first().getByRole("link", { name: title }).click();
  await page.getByRole("heading", { name: new RegExp(escapeRegExp(title)) }).waitFor();
  await page.getByRole("heading", { name: `Indicators: ${expectedNew + 1}` }).waitFor();
});

uiTest("a feed pasted again under its title without a stated TLP grows its GREEN event, not an AMBER companion", async (page, node) => {
  const title = `E2E green feed ${node.fx.run}`;
  const first = unique(node, "feed-first");
  const second = unique(node, "feed-second");
  await apiCall(node, node.adminKey, `/import?tlp=green&title=${encodeURIComponent(title)}&name=feed.txt`,
    { method: "POST", body: `${first}\n`, type: "text/plain" });

  await signIn(page, node.adminKey);
  await page.goto(`${node.uiUrl}/import`);
  const tlp = page.getByLabel("TLP for data without a marking");
  assert.equal(await tlp.inputValue(), "", "the form states no level unless asked");
  await page.getByLabel("Paste indicators").fill(`${first}\n${second}\n`);
  await page.getByText(/^Recognised: /).waitFor();
  await page.getByLabel("Event title (CSV, lists, JSON records)").fill(title);
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await page.getByRole("heading", { name: "Import report" }).waitFor();
  assert.equal(await count(page, "new"), 1);
  assert.equal(await count(page, "known"), 1);

  const events = page.getByRole("region", { name: "Events of this import" });
  await events.getByRole("link", { name: title, exact: true }).waitFor();
  assert.equal(await events.locator("tbody tr").count(), 1, "no companion event");
  assert.equal(await events.locator("tbody .tlp").textContent(), "TLP:GREEN");
  assert.match(await events.locator("tbody tr").textContent(), /added to/);
});

uiTest("an uploaded tar.gz of feeds imports each file and lists what each brought", async (page, node) => {
  const listValues = [unique(node, "archive-list-a"), unique(node, "archive-list-b")];
  const csvValue = unique(node, "archive-csv");
  const dir = join(tmp, `archive-${node.fx.run}`);
  mkdirSync(join(dir, "feeds"), { recursive: true });
  writeFileSync(join(dir, "feeds", "blocklist.txt"), `${listValues.join("\n")}\n`);
  writeFileSync(join(dir, "feeds", "c2.csv"), `value,comment\n${csvValue},c2\n203.0.113.999,bad octet\n`);
  const archive = join(tmp, `feeds-${node.fx.run}.tar.gz`);
  // tar is in every Debian system (an Essential package); the server reads what it writes.
  execFileSync("tar", ["-czf", archive, "-C", dir, "feeds/blocklist.txt", "feeds/c2.csv"]);

  await signIn(page, node.adminKey);
  await page.goto(`${node.uiUrl}/import`);
  await page.getByLabel("Or choose a file").setInputFiles(archive);
  await page.getByText(/^Recognised: an archive or compressed file/).waitFor();
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await page.getByRole("heading", { name: "Import report" }).waitFor();
  await page.getByText(/^Read as an archive of 2 files: 3 new values/).waitFor();
  assert.equal(await count(page, "new"), 3);
  assert.equal(await count(page, "rejected"), 1);

  const files = page.getByRole("region", { name: "Files of this archive" });
  const rows = files.locator("tbody tr");
  assert.equal(await rows.count(), 2);
  assert.deepEqual(await rows.nth(0).locator("td").allTextContents(),
    ["feeds/blocklist.txt", "plain list, one value a line", "2", "0", "0", ""]);
  assert.deepEqual((await rows.nth(1).locator("td").allTextContents()).slice(0, 5),
    ["feeds/c2.csv", "CSV with a header row", "1", "0", "1"]);
  // A rejection names the file in the archive and its line.
  const rejected = await rejectedRows(page);
  assert.equal(rejected.length, 1, JSON.stringify(rejected));
  assert.equal(rejected[0][0], "c2.csv:3");
  assert.equal(rejected[0][1], "203.0.113.999");
  // Each file made its own event, named after it.
  const events = page.getByRole("region", { name: "Events of this import" });
  await events.getByRole("link", { name: "blocklist.txt" }).waitFor();
  await events.getByRole("link", { name: "c2.csv" }).waitFor();
});

uiTest("a pasted STIX bundle becomes an event with its indicators and the STIX objects it came with", async (page, node) => {
  const now = new Date().toISOString();
  const domain = unique(node, "stix-paste");
  const url = `http://${unique(node, "stix-paste-url")}/panel/login.php`;
  const indicator = (value, pattern) => ({
    type: "indicator", spec_version: "2.1", id: `indicator--${randomUUID()}`, created: now, modified: now,
    name: value, pattern, pattern_type: "stix", valid_from: now, indicator_types: ["malicious-activity"],
  });
  const a = indicator(domain, `[domain-name:value = '${domain}']`);
  const b = indicator(url, `[url:value = '${url}']`);
  const reportTitle = `E2E pasted STIX report ${node.fx.run}`;
  const sdo = (type, extra) => ({ type, spec_version: "2.1", id: `${type}--${randomUUID()}`, created: now, modified: now, ...extra });
  const malware = sdo("malware", { name: "Lumma Stealer", is_family: true });
  const technique = sdo("attack-pattern", {
    name: "Credentials from Web Browsers",
    external_references: [{ source_name: "mitre-attack", external_id: "T1555.003" }],
  });
  const uses = sdo("relationship", { relationship_type: "uses", source_ref: malware.id, target_ref: technique.id });
  const bundle = {
    type: "bundle",
    id: `bundle--${randomUUID()}`,
    objects: [a, b, malware, technique, uses, {
      type: "report", spec_version: "2.1", id: `report--${randomUUID()}`, created: now, modified: now,
      name: reportTitle, published: now, report_types: ["threat-report"],
      object_refs: [a.id, b.id, malware.id, technique.id, uses.id],
    }],
  };

  await pasteStixBundle(page, node, bundle);
  assert.match(await page.locator(".report-summary").textContent(), /^Read as STIX 2\.x bundle/);
  assert.equal(await count(page, "new"), 2);
  assert.equal(await count(page, "rejected"), 0);
  // The report's event, found and linked although the report only counts events.
  const events = page.getByRole("region", { name: "Events of this import" });
  assert.equal(await events.locator("tbody tr").count(), 1);
  assert.equal(await events.locator("tbody tr td").last().textContent(), "created");
  await events.getByRole("link", { name: reportTitle }).click();
  await page.getByRole("heading", { name: "Indicators: 2" }).waitFor();
  const values = await eventPageValues(page, 2);
  assert.deepEqual(values.sort(), [domain, url].sort());

  // The report's context: its malware, the ATT&CK technique and how they relate.
  const stix = page.getByRole("region", { name: "STIX objects: 6" });
  await stix.waitFor();
  await stix.getByRole("cell", { name: "Lumma Stealer uses Credentials from Web Browsers" }).waitFor();
  await stix.getByLabel("Type").selectOption("attack-pattern");
  assert.equal(await stix.locator("tbody tr").count(), 1);
  await stix.locator("tbody tr summary").click();
  assert.match(await stix.locator("tbody tr pre").textContent(), /"external_id": "T1555\.003"/);
});

uiTest("a pasted YARA indicator is kept apart as nothing to match, not listed as rejected", async (page, node) => {
  const now = new Date().toISOString();
  const domain = unique(node, "stix-yara");
  const common = { spec_version: "2.1", created: now, modified: now, valid_from: now, indicator_types: ["malicious-activity"] };
  const matched = { type: "indicator", id: `indicator--${randomUUID()}`, name: domain, pattern: `[domain-name:value = '${domain}']`, pattern_type: "stix", ...common };
  const yara = { type: "indicator", id: `indicator--${randomUUID()}`, name: "stealer rule", pattern: "rule stealer { condition: true }", pattern_type: "yara", ...common };
  const bundle = { type: "bundle", id: `bundle--${randomUUID()}`, objects: [matched, yara] };

  await pasteStixBundle(page, node, bundle);
  assert.equal(await count(page, "new"), 1);
  assert.equal(await count(page, "rejected"), 0);
  assert.equal(await count(page, "not-matched"), 1);
  assert.match(await page.locator(".report-summary").textContent(), /0 rejected, 1 with nothing to match\.$/);
  await page.getByText("Nothing was rejected.").waitFor();
  const kept = page.getByRole("region", { name: "Kept, nothing to match" });
  assert.equal(await kept.locator("tbody tr").count(), 1);
  assert.match(await kept.locator("tbody tr").first().textContent(), new RegExp(yara.id));
});

uiTest("a pasted abuse.ch URLhaus dump is recognised as CSV past its banner and imported whole", async (page, node) => {
  const url = `http://${unique(node, "urlhaus")}/bins/mozi.m`;
  const c2 = unique(node, "urlhaus-c2");
  const dump = [
    "################################################################",
    "# abuse.ch URLhaus Database Dump (CSV - recent URLs only)      #",
    "################################################################",
    "#",
    "# id,dateadded,url,url_status,last_online,threat,tags,urlhaus_link,reporter",
    `"1","2024-01-01 00:00:04","${url}","online","2024-01-01 00:00:04","malware_download","elf,Mozi","https://urlhaus.abuse.ch/url/1/","e2e"`,
    `"2","2024-01-01 00:00:03","http://${c2}/gate.php","offline","","malware_download","exe,RedLineStealer","https://urlhaus.abuse.ch/url/2/","e2e"`,
  ].join("\n");

  await signIn(page, node.adminKey);
  await page.goto(`${node.uiUrl}/import`);
  await page.getByLabel("Paste indicators").fill(dump);
  await page.getByText("Recognised: CSV with a header row.").waitFor();
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await page.getByRole("heading", { name: "Import report" }).waitFor();
  assert.equal(await count(page, "new"), 2);
  assert.equal(await count(page, "rejected"), 0);
  const found = await apiCall(node, node.adminKey, `/indicators/lookup?type=url&value=${encodeURIComponent(url)}`);
  assert.equal(found.events[0].context.role, "payload-delivery");
  assert.match(found.events[0].context.comment, /Mozi/);
});

uiTest("an event created at TLP:AMBER is edited by its owner and stays hidden from another organisation", async (page, node) => {
  const title = `E2E amber event ${node.fx.run}`;
  const renamed = `${title} (renamed)`;
  await signIn(page, node.adminKey);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Events" }).click();
  await page.getByRole("link", { name: "New event" }).click();
  await page.getByRole("heading", { name: "New event", level: 1 }).waitFor();
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Description").fill("Made by the end-to-end tests.");
  const tlp = page.getByLabel("TLP", { exact: true });
  await tlp.selectOption("amber");
  // The select wears the label colours of its level.
  assert.deepEqual(await tlp.evaluate((el) => [getComputedStyle(el).color, getComputedStyle(el).backgroundColor]),
    ["rgb(255, 192, 0)", "rgb(0, 0, 0)"]);
  const tags = page.getByLabel("Tags", { exact: true });
  await tags.fill("phishing");
  await tags.press("Enter");
  await tags.fill("e2e, wave,");
  await page.getByRole("button", { name: "Remove tag wave" }).waitFor();
  await page.getByRole("button", { name: "Remove tag wave" }).click();
  // Named recipients matter at AMBER and RED only.
  const recipients = page.getByRole("group", { name: "Recipients" });
  await recipients.waitFor();
  await tlp.selectOption("green");
  await recipients.waitFor({ state: "hidden" });
  await tlp.selectOption("amber");
  await recipients.waitFor();
  await page.getByRole("button", { name: "Create event" }).click();

  await page.getByRole("heading", { name: new RegExp(escapeRegExp(title)) }).waitFor();
  const uuid = page.url().split("/events/")[1];
  assert.match(uuid, /^[0-9a-f-]{36}$/);
  assert.equal(await page.getByRole("heading", { level: 1 }).locator(".tlp").textContent(), "TLP:AMBER");
  assert.deepEqual((await page.getByRole("list", { name: "Tags" }).locator("li").allTextContents()).sort(), ["e2e", "phishing"]);

  await page.getByRole("link", { name: "Edit event" }).click();
  await page.getByRole("heading", { name: /^Edit event/ }).waitFor();
  assert.equal(await page.getByLabel("Title").inputValue(), title);
  await page.getByLabel("Title").fill(renamed);
  await page.getByRole("button", { name: "Save changes" }).click();
  await page.getByRole("heading", { name: new RegExp(`${escapeRegExp(renamed)}$`) }).waitFor();
  const stored = await apiCall(node, node.adminKey, `/events/${uuid}`);
  assert.equal(stored.title, renamed);
  assert.equal(stored.tlp, "amber");
  assert.deepEqual(stored.tags.sort(), ["e2e", "phishing"]);

  // Another organisation: the AMBER event does not exist for it…
  await signOut(page);
  await signIn(page, node.partnerKey);
  await page.goto(`${node.uiUrl}/events/${uuid}`);
  await page.getByRole("heading", { name: "Event not found" }).waitFor();
  assert.equal(await page.getByText(renamed).count(), 0);
  await page.goto(`${node.uiUrl}/events/${uuid}/edit`);
  await page.getByRole("heading", { name: "Event not found" }).waitFor();
  assert.equal(await page.getByLabel("Title").count(), 0);

  // …and a TLP:GREEN event it reads but does not own offers no Edit.
  await page.goto(`${node.uiUrl}/events?tlp=green`);
  await page.getByRole("table").getByRole("link", { name: "Phishing wave delivering DemoStealer" }).click();
  await page.getByRole("heading", { name: /^Indicators: \d+/ }).waitFor();
  assert.equal(await page.getByRole("link", { name: "Edit event" }).count(), 0);
  assert.equal(await page.getByRole("link", { name: "Add indicators" }).count(), 0);
  // Typing the address does not open a form either.
  await page.goto(`${page.url()}/edit`);
  await page.getByText(/Only its owner organisation, E2E CERT, may change this event/).waitFor();
  assert.equal(await page.getByLabel("Title").count(), 0);
});

uiTest("an analyst names a private partner outside the 24/7 directory as a recipient, by its checkbox", async (page, node) => {
  const privateName = `E2E SecureCorp ${node.fx.run}`;
  const org = await apiCall(node, node.adminKey, "/organisations",
    { method: "POST", body: { name: privateName, country: "US", kind: "private-partner" } });
  const { points_of_contact: pocs } = await apiCall(node, node.partnerKey, "/pocs");
  assert.ok(!pocs.some((p) => p.organisation.id === org.id), "the private partner is not in the 24/7 directory");

  const title = `E2E red for a private partner ${node.fx.run}`;
  await signIn(page, node.partnerKey);
  await page.goto(`${node.uiUrl}/events/new`);
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("TLP", { exact: true }).selectOption("red");
  const recipients = page.getByRole("group", { name: "Recipients" });
  await recipients.getByLabel(`${privateName} (US)`).check();
  // Every organisation of the node with its country, but the analyst's own; no names typed by hand.
  const labels = await recipients.locator("label").allTextContents();
  assert.ok(labels.includes("E2E CERT (FR)"), labels.join(", "));
  assert.equal(labels.filter((l) => l.startsWith(node.fx.partnerOrg)).length, 0, "not its own organisation");
  assert.equal(await recipients.locator("textarea").count(), 0);
  await page.getByRole("button", { name: "Create event" }).click();
  await page.getByRole("heading", { name: new RegExp(`${escapeRegExp(title)}$`) }).waitFor();
  const uuid = page.url().split("/events/")[1];
  const stored = await apiCall(node, node.partnerKey, `/events/${uuid}`);
  assert.equal(stored.tlp, "red");
  assert.deepEqual(stored.recipients.map((r) => r.id), [org.id]);

  // The edit form has it ticked; the events list suggests it as an organisation filter.
  await page.getByRole("link", { name: "Edit event" }).click();
  assert.equal(await page.getByLabel(`${privateName} (US)`).isChecked(), true);
  await page.goto(`${node.uiUrl}/events`);
  await page.locator(`#f-org-names option[value="${privateName}"]`).waitFor({ state: "attached" });
});

uiTest("an edit made meanwhile, even while the warning is up, is shown before it would be overwritten", async (page, node) => {
  const created = await apiCall(node, node.adminKey, "/events",
    { method: "POST", body: { title: `E2E contested ${node.fx.run}`, tlp: "green" } });
  const uuid = created.event.uuid;
  const mine = `E2E contested, my title ${node.fx.run}`;
  const theirs = `E2E contested, their title ${node.fx.run}`;

  await signIn(page, node.adminKey);
  await page.goto(`${node.uiUrl}/events/${uuid}/edit`);
  await page.getByLabel("Title").fill(mine);
  await apiCall(node, node.adminKey, `/events/${uuid}`, { method: "PATCH", body: { title: theirs } });
  await page.getByRole("button", { name: "Save changes" }).click();
  const warning = page.getByRole("alert");
  await warning.waitFor();
  assert.match(await warning.textContent(), new RegExp(`changed at .+ after you opened it \\(title now “${escapeRegExp(theirs)}”\\)`));
  assert.equal((await apiCall(node, node.adminKey, `/events/${uuid}`)).title, theirs, "not overwritten without asking");

  // A third change while the warning is up: "Save mine anyway" applies to
  // the version it showed (If-Match), so this one is shown too, not lost.
  const third = `E2E contested, a third title ${node.fx.run}`;
  await apiCall(node, node.adminKey, `/events/${uuid}`, { method: "PATCH", body: { title: third } });
  await page.getByRole("button", { name: "Save mine anyway" }).click();
  await page.getByRole("alert").filter({ hasText: `title now “${third}”` }).waitFor();
  assert.equal((await apiCall(node, node.adminKey, `/events/${uuid}`)).title, third, "the third change survives");

  await page.getByRole("button", { name: "Save mine anyway" }).click();
  await page.getByRole("heading", { name: new RegExp(`${escapeRegExp(mine)}$`) }).waitFor();
  assert.equal((await apiCall(node, node.adminKey, `/events/${uuid}`)).title, mine);
});

uiTest("form and import errors are shown in words next to what caused them", async (page, node) => {
  await signIn(page, node.partnerKey);
  await page.goto(`${node.uiUrl}/events/new`);
  await page.getByRole("heading", { name: "New event", level: 1 }).waitFor();

  // Client-side: an empty title, focus on the field.
  await page.getByRole("button", { name: "Create event" }).click();
  await page.getByText("Enter a title: every event needs one.").waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), "ev-title");
  assert.equal(await page.getByLabel("Title").getAttribute("aria-invalid"), "true");

  // Server-side: a recipient the node does not know, in the server's words, at the recipients.
  // No organisation can be removed over REST, so the directory the form loads
  // names one more than the node has (as if removed since the form was opened).
  const goneId = 987654321;
  const gone = `E2E gone since ${node.fx.run}`;
  await page.route("**/api/v1/organisations", async (route) => {
    const response = await route.fetch();
    const json = await response.json();
    json.organisations.push({ ...json.organisations[0], id: goneId, uuid: randomUUID(), name: gone, country: "NL" });
    await route.fulfill({ response, json });
  });
  await page.reload();
  await page.getByLabel("Title").fill(`E2E refused ${node.fx.run}`);
  await page.getByLabel("TLP", { exact: true }).selectOption("red");
  await page.getByLabel(`${gone} (NL)`).check();
  await page.getByRole("button", { name: "Create event" }).click();
  const fieldError = page.locator("#ev-recipients-error");
  await fieldError.waitFor();
  assert.match(await fieldError.textContent(), new RegExp(`recipients\\[0\\]: no organisation with id ${goneId} on this node`));
  assert.equal(await page.evaluate(() => document.activeElement?.id), `ev-rcpt-${goneId}`, "focus on the refused recipient");
  await page.unroute("**/api/v1/organisations");
  assert.match(await page.getByRole("alert").first().textContent(),
    /The event was not created\. The server refused the request: recipients\[0\]/);
  const partnerEvents = await apiCall(node, node.partnerKey, "/events?limit=1000");
  assert.equal(partnerEvents.events.filter((e) => e.title === `E2E refused ${node.fx.run}`).length, 0, "nothing was created");

  // Import: nothing to import.
  await page.goto(`${node.uiUrl}/import`);
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await page.getByText("Paste indicators or choose a file: there is nothing to import.").waitFor();

  // Import: broken MISP JSON, the parser's position in the server's words.
  await page.getByLabel("Paste indicators").fill('{"Event": {"info": "broken",\n  "uuid": }}');
  await page.getByText("Recognised: MISP event JSON.").waitFor();
  await page.getByRole("button", { name: "Import", exact: true }).click();
  const alert = page.getByRole("alert");
  await alert.waitFor();
  assert.match(await alert.textContent(), /^The import failed\. The server refused the request: .*not valid JSON.*line 2, column \d+/);
  assert.equal(await alert.evaluate((el) => el === document.activeElement), true, "focus moves to the error");

  // Import: a CSV without a value column.
  await page.getByLabel("Paste indicators").fill("colour,size\nred,3\n");
  await page.getByLabel("Format").selectOption("csv");
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await page.getByText(/the header names no value column/).waitFor();
});

uiTest("indicators added from an event's page go into that event", async (page, node) => {
  const title = `E2E target ${node.fx.run}`;
  const created = await apiCall(node, node.adminKey, "/events", {
    method: "POST",
    body: { title, tlp: "amber", tags: ["keep-me"], indicators: [{ value: unique(node, "already-there") }] },
  });
  const uuid = created.event.uuid;
  const fresh = unique(node, "added");
  const text = [
    "# added by the e2e tests",
    fresh,
    "198.51.100.201:8443",
    "this is not one",
    unique(node, "already-there"),
  ].join("\n");

  await signIn(page, node.adminKey);
  await page.goto(`${node.uiUrl}/events/${uuid}`);
  await page.getByRole("link", { name: "Add indicators" }).click();
  await page.getByRole("heading", { name: new RegExp(`^Add indicators to TLP:AMBER ${escapeRegExp(title)}$`) }).waitFor();
  // Every format goes into an existing event.
  assert.deepEqual(await page.getByLabel("Format").locator("option").evaluateAll((o) => o.map((x) => x.value)),
    ["", "stix", "misp", "csv", "list"]);
  await page.getByLabel("Paste indicators").fill(text);
  await page.getByText("Recognised: plain list, one value a line.").waitFor();
  await page.getByRole("button", { name: "Add to the event" }).click();
  await page.getByRole("heading", { name: "Import report" }).waitFor();
  assert.equal(await count(page, "new"), 2);
  assert.equal(await count(page, "known"), 1);
  assert.equal(await count(page, "rejected"), 1);
  assert.deepEqual((await rejectedRows(page))[0].slice(0, 2), ["line 4", "this is not one"]);

  await page.locator(".import-report").getByRole("link", { name: title }).click();
  await page.getByRole("heading", { name: "Indicators: 3" }).waitFor();
  await eventPageValues(page, 3);
  const table = await page.getByRole("region", { name: "Indicators of this event" }).locator("table").textContent();
  assert.match(table, new RegExp(escapeRegExp(fresh)));
  assert.match(table, /198\.51\.100\.201.*port 8443/);
  // The event kept its own TLP and tags.
  const stored = await apiCall(node, node.adminKey, `/events/${uuid}`);
  assert.equal(stored.tlp, "amber");
  assert.deepEqual(stored.tags, ["keep-me"]);
});

uiTest("a STIX bundle added from an event's page goes into that event, which keeps its title and TLP", async (page, node) => {
  const title = `E2E STIX target ${node.fx.run}`;
  const created = await apiCall(node, node.adminKey, "/events",
    { method: "POST", body: { title, tlp: "amber", tags: ["stix-target"] } });
  const uuid = created.event.uuid;
  const before = await apiCall(node, node.adminKey, `/events/${uuid}`);
  const ip = "203.0.113.77";
  const domain = unique(node, "stix-into");
  const now = new Date().toISOString();
  const indicator = (value, pattern) => ({
    type: "indicator", spec_version: "2.1", id: `indicator--${randomUUID()}`, created: now, modified: now,
    name: value, pattern, pattern_type: "stix", valid_from: now, indicator_types: ["malicious-activity"],
  });
  const a = indicator(ip, `[ipv4-addr:value = '${ip}']`);
  const b = indicator(domain, `[domain-name:value = '${domain}']`);
  // A report of its own, marked TLP:GREEN: neither its name nor its marking may reach the event.
  // (A report marked more strictly than the event would take its values to the event's
  // companion at its level, as the server's tests check.)
  const reportName = `E2E report that would be an event ${node.fx.run}`;
  const bundle = {
    type: "bundle",
    id: `bundle--${randomUUID()}`,
    objects: [a, b, {
      type: "report", spec_version: "2.1", id: `report--${randomUUID()}`, created: now, modified: now,
      name: reportName, published: now, report_types: ["threat-report"], object_refs: [a.id, b.id],
      object_marking_refs: ["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"],
    }],
  };

  await signIn(page, node.adminKey);
  await page.goto(`${node.uiUrl}/events/${uuid}`);
  await page.getByRole("link", { name: "Add indicators" }).click();
  await page.getByRole("heading", { name: new RegExp(`^Add indicators to TLP:AMBER ${escapeRegExp(title)}$`) }).waitFor();
  await page.getByText(/The event keeps its title, TLP \(TLP:AMBER\), tags and recipients/).waitFor();
  // Markings stricter than the event's are used: such values go to its companion, and the screen says so.
  await page.getByText(`goes into the event's companion at that level (“${title} (TLP:RED values)” for RED)`, { exact: false }).waitFor();
  await page.getByLabel("Paste indicators").fill(JSON.stringify(bundle, null, 2));
  await page.getByText("Recognised: STIX 2.x bundle.").waitFor();
  await page.getByRole("button", { name: "Add to the event" }).click();
  await page.getByRole("heading", { name: "Import report" }).waitFor();
  assert.match(await page.locator(".report-summary").textContent(), /^Read as STIX 2\.x bundle/);
  assert.equal(await count(page, "new") + await count(page, "known"), 2);
  assert.equal(await count(page, "rejected"), 0);

  // Exactly this event, added to, under its own title and TLP.
  const events = page.getByRole("region", { name: "Events of this import" });
  const link = events.getByRole("link", { name: title, exact: true });
  await link.waitFor();
  const rows = await events.locator("tbody tr").evaluateAll((trs) =>
    trs.map((tr) => [tr.dataset.event, ...[...tr.cells].map((td) => td.textContent)]));
  assert.deepEqual(rows, [[uuid, "TLP:AMBER", title, "2", "added to"]]);

  await link.click();
  await page.getByRole("heading", { name: "Indicators: 2" }).waitFor();
  assert.deepEqual((await eventPageValues(page, 2)).sort(), [domain, ip].sort());
  const stored = await apiCall(node, node.adminKey, `/events/${uuid}`);
  assert.equal(stored.title, before.title);
  assert.equal(stored.tlp, before.tlp);
  assert.deepEqual(stored.tags, before.tags);
  // The bundle's report did not become an event of its own either.
  const all = await apiCall(node, node.adminKey, "/events?limit=1000");
  assert.deepEqual(all.events.filter((e) => e.title === reportName), []);
});

uiTest("the events listed after a CSV import are the ones the server's report names", async (page, node) => {
  const existingTitle = `E2E event a CSV grows ${node.fx.run}`;
  const existing = (await apiCall(node, node.adminKey, "/events",
    { method: "POST", body: { title: existingTitle, tlp: "green" } })).event.uuid;
  const ownUuid = randomUUID();
  const title = `E2E CSV naming events ${node.fx.run}`;
  // Three events, in this order: one the CSV names anew, an existing one, and the upload's own.
  const csv = [
    "value,event_uuid,event_title",
    `${unique(node, "csv-own")},${ownUuid},E2E CSV own event ${node.fx.run}`,
    `${unique(node, "csv-existing")},${existing},${existingTitle}`,
    `${unique(node, "csv-default")},,`,
  ].join("\n");

  await signIn(page, node.adminKey);
  await page.goto(`${node.uiUrl}/import`);
  await page.getByLabel("Paste indicators").fill(csv);
  await page.getByText("Recognised: CSV with a header row.").waitFor();
  await page.getByLabel("Event title (CSV, lists, JSON records)").fill(title);
  const answer = page.waitForResponse((r) =>
    r.request().method() === "POST" && new URL(r.url()).pathname === "/api/v1/import");
  await page.getByRole("button", { name: "Import", exact: true }).click();
  const response = await answer;
  assert.equal(response.status(), 200);
  const touched = (await response.json()).report.touched_events;
  assert.deepEqual(touched.map((t) => t.uuid).slice(0, 2), [ownUuid, existing]);
  // The form states no TLP unless asked: the existing TLP:GREEN event's row
  // grows it, with no companion.
  assert.equal(touched.length, 3);

  await page.getByRole("heading", { name: "Import report" }).waitFor();
  const events = page.getByRole("region", { name: "Events of this import" });
  await events.locator("tbody tr").first().waitFor();
  // Every row has read its event when none is busy.
  await events.locator("tbody tr[aria-busy]").first().waitFor({ state: "detached" });
  const rows = await events.locator("tbody tr").evaluateAll((trs) =>
    trs.map((tr) => [tr.dataset.event, tr.cells[0].textContent, tr.cells[1].textContent, tr.cells[3].textContent]));
  const expected = [];
  for (const t of touched) {
    const e = await apiCall(node, node.adminKey, `/events/${t.uuid}`);
    expected.push([t.uuid, `TLP:${e.tlp.toUpperCase()}`, e.title, t.created ? "created" : "added to"]);
  }
  assert.deepEqual(rows, expected);
  const byTitle = (t) => expected.filter((row) => row[2] === t).map((row) => [row[1], row[3]]);
  assert.deepEqual(byTitle(`E2E CSV own event ${node.fx.run}`), [["TLP:AMBER", "created"]]);
  assert.deepEqual(byTitle(existingTitle), [["TLP:GREEN", "added to"]]);
  assert.deepEqual(byTitle(title), [["TLP:AMBER", "created"]], "the upload's own event carries the title given");
  assert.deepEqual(byTitle(`${existingTitle} (TLP:AMBER values)`), [], "no companion");
});

uiTest("a file that breaks after a committed batch says what is already in the node", async (page, node) => {
  // The server commits every 20,000 values: 20,010 indicators, then the
  // bundle is cut off in the middle of an object.
  const total = 20010;
  const run = node.fx.run.replace(/[^a-z0-9]/g, "").slice(0, 8);
  const parts = [];
  for (let i = 0; i < total; i++) {
    const value = `p${i}-${run}.example`;
    parts.push(JSON.stringify({
      type: "indicator", spec_version: "2.1", id: `indicator--${randomUUID()}`,
      created: "2026-01-01T00:00:00.000Z", modified: "2026-01-01T00:00:00.000Z",
      pattern: `[domain-name:value = '${value}']`, pattern_type: "stix", valid_from: "2026-01-01T00:00:00Z",
    }));
  }
  const file = join(tmp, `broken-${node.fx.run}.json`);
  writeFileSync(file, `{"type": "bundle", "id": "bundle--${randomUUID()}", "objects": [${parts.join(",")}, {"type": "indica`);

  await signIn(page, node.adminKey);
  await page.goto(`${node.uiUrl}/import`);
  await page.getByLabel("Or choose a file").setInputFiles(file);
  await page.getByRole("button", { name: "Import", exact: true }).click();
  const error = page.getByRole("alert").filter({ hasText: "The import failed." });
  await error.waitFor({ timeout: 30000 });
  const committed = page.getByText(/^Committed before the error: /);
  await committed.waitFor();
  assert.match(await committed.textContent(), /^Committed before the error: 20,000 values in \d+ batch(es)?;/);
  // What the notice says is in the node is: the first value is found, the last is not.
  const first = await fetch(`${node.apiUrl}/api/v1/indicators/lookup?value=p0-${run}.example`,
    { headers: { Authorization: `Bearer ${node.adminKey}` } });
  assert.equal(first.status, 200);
  const last = await fetch(`${node.apiUrl}/api/v1/indicators/lookup?value=p${total - 1}-${run}.example`,
    { headers: { Authorization: `Bearer ${node.adminKey}` } });
  assert.equal(last.status, 404);
});

uiTest("deleting an event asks first and then removes it", async (page, node) => {
  const title = `E2E to delete ${node.fx.run}`;
  const created = await apiCall(node, node.adminKey, "/events", { method: "POST", body: { title, tlp: "green" } });
  const uuid = created.event.uuid;

  await signIn(page, node.adminKey);
  await page.goto(`${node.uiUrl}/events/${uuid}/edit`);
  await page.getByRole("button", { name: "Delete event…" }).click();
  await page.getByText(`Delete “${title}” for good? This cannot be undone.`).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Keep the event", "focus on the safe choice");
  await page.getByRole("button", { name: "Keep the event" }).click();
  assert.equal((await apiCall(node, node.adminKey, `/events/${uuid}`)).title, title, "keeping deletes nothing");

  await page.getByRole("button", { name: "Delete event…" }).click();
  await page.getByRole("button", { name: "Delete for good" }).click();
  await page.getByRole("heading", { name: "Events", level: 1 }).waitFor();
  await page.getByText(`Event “${title}” deleted.`).waitFor();
  await assert.rejects(apiCall(node, node.adminKey, `/events/${uuid}`), /HTTP 404/);
});

uiTest("the event form and the import screen fit a wall screen and a narrow window", async (page, node) => {
  await signIn(page, node.adminKey);
  for (const path of ["/events/new", "/import"]) {
    await page.goto(`${node.uiUrl}${path}`);
    await page.getByRole("heading", { level: 1 }).waitFor();
    for (const width of [2560, 700]) {
      await page.setViewportSize({ width, height: 1200 });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `${path}: no horizontal scrolling at ${width}px (overflow ${overflow}px)`);
    }
  }
  // Every control of the event form has a label.
  await page.goto(`${node.uiUrl}/events/new`);
  await page.getByRole("group", { name: "Recipients" }).locator("input").first().waitFor();
  const unlabelled = await page.evaluate(() =>
    [...document.querySelectorAll("main input, main select, main textarea")]
      .filter((el) => !(el.labels && el.labels.length > 0))
      .map((el) => el.id || el.outerHTML));
  assert.deepEqual(unlabelled, []);
}, { viewport: { width: 2560, height: 1440 } });

uiTest("an event's indicators are filtered by a part of their value and by type, and the filter survives a reload and Back", async (page, node) => {
  // 300 domains and 120 IPv4 addresses in one event.
  const domains = Array.from({ length: 300 }, (_, i) => `host${i}.filter-${node.fx.run}.example`);
  const ips = Array.from({ length: 120 }, (_, i) => `198.51.100.${i + 1}`);
  const title = `E2E many indicators ${node.fx.run}`;
  const created = await apiCall(node, node.adminKey, "/events", {
    method: "POST", body: { title, tlp: "green", indicators: [...domains, ...ips].map((value) => ({ value })) },
  });
  const uuid = created.event.uuid;
  // What the rows should be, from the server's own list of the event.
  const stored = (await apiCall(node, node.adminKey, `/events/${uuid}`)).indicators;
  const total = stored.length;
  const ofType = (t) => stored.filter((i) => i.type === t);
  assert.equal(ofType("domain").length, 300);
  assert.equal(ofType("ipv4").length, 120);
  const matching = (needle, type = "") => stored.filter((i) => (!type || i.type === type) && i.value.toLowerCase().includes(needle));
  const n = (x) => x.toLocaleString("en-GB");

  // The page reads the event without its indicators and asks the server for
  // them a page at a time (a feed event's are hundreds of MB whole).
  const eventReads = [];
  const indicatorReads = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.pathname === `/api/v1/events/${uuid}`) eventReads.push(url.search);
    if (url.pathname === `/api/v1/events/${uuid}/indicators`) indicatorReads.push(url.searchParams);
  });

  await signIn(page, node.adminKey);
  await page.goto(`${node.uiUrl}/events/${uuid}`);
  await page.getByRole("heading", { name: `Indicators: ${total}` }).waitFor();
  const panel = page.getByRole("region", { name: `Indicators: ${total}` });
  const find = panel.getByLabel("Find a value");
  const type = panel.getByLabel("Type", { exact: true });
  const shown = page.getByTestId("indicators-shown");
  const rows = panel.locator("tbody tr");
  const pager = panel.locator(".pager-status");
  // The heading comes with the event; the rows, the type menu's counts and
  // the status line come together with the first page of indicators.
  await pager.filter({ hasText: `Page 1 of ${Math.ceil(total / 100)} (${total} in all)` }).waitFor();
  assert.equal(await shown.getAttribute("aria-live"), "polite");
  assert.equal(await shown.textContent(), `Showing ${n(total)} of ${n(total)}`);
  assert.deepEqual(await type.locator("option").allTextContents(),
    [`All types (${n(total)})`, "domain (300)", "ipv4 (120)"]);
  assert.equal(await rows.count(), 100);
  // The panels above have their content before the table's place is taken.
  await page.locator(".related-events .loading").waitFor({ state: "detached" });
  await page.waitForLoadState("networkidle");
  assert.deepEqual(eventReads, ["?indicators=none"]);
  assert.equal(indicatorReads.length, 1);
  assert.equal(indicatorReads[0].get("limit"), "100");
  assert.equal(indicatorReads[0].get("types"), "true", "the type menu's counts, asked for once");
  const tableTop = () => panel.getByRole("region", { name: "Indicators of this event" }).evaluate((el) => el.getBoundingClientRect().top);
  const topBefore = await tableTop();

  // A part of a value: trimmed, any case, as typed (the field keeps the focus).
  const host1 = matching("host1");
  assert.equal(host1.length, 111);
  await find.click();
  await find.pressSequentially("  HOST1 ", { delay: 20 });
  await shown.filter({ hasText: `Showing ${host1.length} of ${n(total)}` }).waitFor();
  assert.equal(await find.evaluate((el) => el === document.activeElement), true, "focus stays in the field");
  assert.equal(await tableTop(), topBefore, "the table does not move as the filter changes");
  assert.equal(await rows.count(), 100);
  await pager.filter({ hasText: "Page 1 of 2 (111 in all)" }).waitFor();
  const values = async () => rows.locator("td.value-cell").allTextContents();
  const types = async () => rows.locator("td:first-child").allTextContents();
  assert.ok((await values()).every((v) => v.includes("host1")), (await values()).join(" "));
  await page.waitForURL((url) => url.searchParams.get("value") === "HOST1");
  assert.equal(indicatorReads.at(-1).get("q"), "HOST1");
  assert.equal(indicatorReads.at(-1).get("types"), null);

  // Paging applies to the filtered rows; a new filter starts on its first page.
  await panel.getByRole("button", { name: "Next page" }).click();
  await pager.filter({ hasText: "Page 2 of 2 (111 in all)" }).waitFor();
  assert.equal(await rows.count(), 11);
  await find.fill("100.1");
  const ips1001 = matching("100.1");
  assert.equal(ips1001.length, 32); // 198.51.100.1, .10–.19, .100–.120
  await shown.filter({ hasText: `Showing ${ips1001.length} of ${n(total)}` }).waitFor();
  assert.equal(await rows.count(), 32);
  assert.equal(await pager.count(), 0, "one page: no pager");

  // By type, with and without the value.
  await type.selectOption("domain");
  await shown.filter({ hasText: `Showing 0 of ${n(total)}` }).waitFor();
  await panel.getByText("No indicator of this event matches.").waitFor();
  await type.selectOption("ipv4");
  await shown.filter({ hasText: `Showing 32 of ${n(total)}` }).waitFor();
  assert.deepEqual(new Set(await types()), new Set(["ipv4"]));
  assert.deepEqual((await values()).sort(), ips1001.map((i) => i.value).sort());
  await find.fill("");
  await shown.filter({ hasText: `Showing 120 of ${n(total)}` }).waitFor();
  await pager.filter({ hasText: "Page 1 of 2 (120 in all)" }).waitFor();
  assert.deepEqual(new Set(await types()), new Set(["ipv4"]));

  // Kept in the address: a reload shows the same rows.
  await type.selectOption("domain");
  await find.fill("13.filter");
  const ends13 = matching("13.filter", "domain");
  assert.equal(ends13.length, 3); // host13, host113, host213
  await shown.filter({ hasText: `Showing 3 of ${n(total)}` }).waitFor();
  await page.waitForURL((url) => url.searchParams.get("value") === "13.filter" && url.searchParams.get("type") === "domain");
  await page.reload();
  await shown.filter({ hasText: `Showing 3 of ${n(total)}` }).waitFor();
  assert.equal(await find.inputValue(), "13.filter");
  assert.equal(await type.inputValue(), "domain");
  assert.deepEqual((await values()).sort(), ends13.map((i) => i.value).sort());

  // And after Back from an indicator's search.
  await rows.first().locator("td.value-cell a").click();
  await page.getByRole("heading", { name: "Indicator search", level: 1 }).waitFor();
  await page.goBack();
  await shown.filter({ hasText: `Showing 3 of ${n(total)}` }).waitFor();
  assert.equal(await find.inputValue(), "13.filter");
  assert.equal(await type.inputValue(), "domain");

  // A type in the address that the event does not hold is said not to be
  // applied, and every type is shown.
  await page.goto(`${node.uiUrl}/events/${uuid}?type=url`);
  await page.getByTestId("unused-params").filter({ hasText: "type=url (expected domain, ipv4)" }).waitFor();
  await shown.filter({ hasText: `Showing ${n(total)} of ${n(total)}` }).waitFor();
  assert.equal(await type.inputValue(), "");

  // The filter fits a laptop and a phone without sideways scrolling.
  for (const viewport of [{ width: 1366, height: 768 }, { width: 390, height: 844 }]) {
    await page.setViewportSize(viewport);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `no horizontal scrolling at ${viewport.width}px (overflow ${overflow}px)`);
    for (const control of [find, type]) {
      const box = await control.boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= viewport.width, `a filter control is inside ${viewport.width}px`);
    }
  }
});

uiTest("a value is removed from an event's page after a question, and only the owner is offered it", async (page, node) => {
  const values = ["keep-one", "false-positive", "keep-two"].map((label) => unique(node, label));
  const [, removed] = values;
  const created = await apiCall(node, node.adminKey, "/events", {
    method: "POST", body: { title: `E2E removal ${node.fx.run}`, tlp: "green", indicators: values.map((value) => ({ value })) },
  });
  const uuid = created.event.uuid;
  const storedValues = async () => (await apiCall(node, node.adminKey, `/events/${uuid}`)).indicators.map((i) => i.value).sort();

  await signIn(page, node.adminKey);
  await page.goto(`${node.uiUrl}/events/${uuid}`);
  const panel = page.getByRole("region", { name: "Indicators: 3" });
  await panel.locator("tbody tr").nth(2).waitFor();
  const removeButton = panel.getByRole("button", { name: `Remove ${removed}…` });

  // Asked first; keeping it changes nothing.
  await removeButton.click();
  await panel.getByText("Remove from the event?").waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("aria-label")), `Keep ${removed}`,
    "focus on the safe choice");
  await panel.getByRole("button", { name: `Keep ${removed}` }).click();
  await removeButton.waitFor();
  assert.deepEqual(await storedValues(), [...values].sort());

  await removeButton.click();
  await panel.getByRole("button", { name: `Remove ${removed} from this event` }).click();
  await page.getByRole("heading", { name: "Indicators: 2" }).waitFor();
  const after = page.getByRole("region", { name: "Indicators: 2" });
  await after.getByText(`Removed ${removed} from this event.`).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), `Removed ${removed} from this event.`);
  await page.getByTestId("indicators-shown").filter({ hasText: "Showing 2 of 2" }).waitFor();
  assert.deepEqual((await after.locator("tbody td.value-cell").allTextContents()).sort(),
    values.filter((v) => v !== removed).sort());
  assert.deepEqual(await storedValues(), values.filter((v) => v !== removed).sort());

  // Another organisation reads the GREEN event but is offered no removal.
  await signOut(page);
  await signIn(page, node.partnerKey);
  await page.goto(`${node.uiUrl}/events/${uuid}`);
  const theirs = page.getByRole("region", { name: "Indicators: 2" });
  await theirs.locator("tbody tr").nth(1).waitFor();
  assert.equal(await theirs.getByRole("button", { name: /^Remove / }).count(), 0);
  assert.equal(await theirs.getByRole("columnheader", { name: "Change" }).count(), 0);
});

uiTest("the owner edits a value's context in a form under its row, and another organisation is offered no edit", async (page, node) => {
  const value = unique(node, "context-edit");
  const other = unique(node, "context-other");
  const firstSeen = "2026-01-02T03:04:05.000Z";
  const created = await apiCall(node, node.adminKey, "/events", {
    method: "POST",
    body: {
      title: `E2E context ${node.fx.run}`, tlp: "green",
      indicators: [{ value, role: "c2", confidence: 40, comment: "first look", first_seen: firstSeen }, { value: other }],
    },
  });
  const uuid = created.event.uuid;
  const stored = async () => (await apiCall(node, node.adminKey, `/events/${uuid}`)).indicators.find((i) => i.value === value);

  await signIn(page, node.adminKey);
  await page.goto(`${node.uiUrl}/events/${uuid}`);
  await page.getByTestId("indicators-shown").filter({ hasText: "Showing 2 of 2" }).waitFor();
  const edit = page.getByRole("button", { name: `Edit the context of ${value}…` });
  const form = page.getByRole("form", { name: `Context of ${value}` });
  const row = page.getByRole("region", { name: "Indicators of this event" }).locator("tbody tr").filter({ hasText: value });

  // An import changes the comment after the page was read: the form holds
  // the context as the node has it now, not the row's older copy.
  await apiCall(node, node.adminKey, `/events/${uuid}?indicators=none`, {
    method: "PATCH", body: { indicators: [{ value, role: "c2", confidence: 40, comment: "first look, then a feed's" }] },
  });
  assert.ok(!(await row.textContent()).includes("then a feed's"), "the row is the page's older copy");

  // The form holds the context as it is; Cancel changes nothing.
  await edit.click();
  await form.waitFor();
  assert.equal(await edit.getAttribute("aria-expanded"), "true");
  assert.equal(await edit.getAttribute("aria-controls"), await form.getAttribute("id"));
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("name")), "role", "focus on the first field");
  assert.equal(await form.getByLabel("Role").inputValue(), "c2");
  assert.equal(await form.getByLabel("Confidence (0–100)").inputValue(), "40");
  assert.equal(await form.getByLabel("Expires at 00:00 UTC on").inputValue(), "");
  assert.equal(await form.getByLabel(/^Match telemetry/).isChecked(), true);
  assert.equal(await form.getByLabel("Comment").inputValue(), "first look, then a feed's");
  await form.getByLabel("Comment").fill("typed, then cancelled");
  await form.getByRole("button", { name: "Cancel" }).click();
  await form.waitFor({ state: "detached" });
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("aria-label")), `Edit the context of ${value}…`,
    "focus back on Edit");
  assert.equal((await stored()).comment, "first look, then a feed's");

  // A confidence out of range is said in the form, and nothing is sent.
  await edit.click();
  await form.getByLabel("Confidence (0–100)").fill("150");
  await form.getByRole("button", { name: "Save" }).click();
  await form.getByRole("alert").filter({ hasText: "Confidence: a whole number from 0 to 100, or empty." }).waitFor();
  assert.equal((await stored()).confidence, 40);
  // Text the number field cannot read leaves it empty: refused, not taken
  // as "not stated" (which would clear the stored confidence).
  await form.getByLabel("Confidence (0–100)").fill("");
  await form.getByLabel("Confidence (0–100)").pressSequentially("-");
  assert.equal(await form.getByLabel("Confidence (0–100)").evaluate((el) => el.validity.badInput), true);
  await form.getByRole("alert").evaluate((el) => el.remove());
  await form.getByRole("button", { name: "Save" }).click();
  await form.getByRole("alert").filter({ hasText: "Confidence: a whole number from 0 to 100, or empty." }).waitFor();
  assert.equal((await stored()).confidence, 40);

  // Saved: the server holds the new context, the dates it was seen stay,
  // and the row shows it (a past day ends the value).
  await form.getByLabel("Role").fill("payload-delivery");
  await form.getByLabel("Confidence (0–100)").fill("85");
  await form.getByLabel("Expires at 00:00 UTC on").fill("2020-01-01");
  await form.getByLabel("Comment").fill("confirmed in a sandbox");
  assert.equal(await form.getByLabel("Malware family").inputValue(), "", "the value has no family yet");
  await form.getByLabel("Malware family").fill(" Lumma Stealer ");
  await form.getByRole("button", { name: "Save" }).click();
  await page.getByRole("status").filter({ hasText: `Saved the context of ${value}.` }).waitFor();
  await row.filter({ hasText: "confirmed in a sandbox" }).waitFor();
  assert.equal(await form.count(), 0, "the form closed");
  const saved = await stored();
  assert.equal(saved.role, "payload-delivery");
  assert.equal(saved.confidence, 85);
  assert.equal(saved.valid_until, "2020-01-01T00:00:00.000Z");
  assert.equal(saved.comment, "confirmed in a sandbox");
  assert.equal(saved.first_seen, firstSeen);
  assert.equal(saved.is_indicator, true);
  assert.equal(saved.family, "Lumma Stealer");
  assert.match(await row.textContent(), /expired.*payload-delivery.*85/);

  // Not matched any more, and no expiry: observed only.
  await edit.click();
  await form.getByLabel(/^Match telemetry/).uncheck();
  await form.getByLabel("Expires at 00:00 UTC on").fill("");
  await form.getByRole("button", { name: "Save" }).click();
  await row.filter({ hasText: "observed only" }).waitFor();
  const observed = await stored();
  assert.equal(observed.is_indicator, false);
  assert.equal(observed.valid_until, null);
  assert.equal(observed.comment, "confirmed in a sandbox", "fields left as they were are sent as they were");
  assert.equal(observed.family, "Lumma Stealer");

  // The open form fits a phone without sideways scrolling.
  await page.setViewportSize({ width: 390, height: 844 });
  await edit.click();
  await form.waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling at 390px (overflow ${overflow}px)`);
  for (const control of [form.getByLabel("Comment"), form.getByRole("button", { name: "Save" })]) {
    const box = await control.boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= 390, "the form's controls are inside 390px");
  }
  await page.screenshot({ path: screenshotPath("event context form on a phone"), fullPage: true });
  await page.keyboard.press("Escape");
  await form.waitFor({ state: "detached" });

  // A value removed since the page was read is said to be gone, and the
  // rows are read again.
  await apiCall(node, node.adminKey, `/events/${uuid}?indicators=none`, {
    method: "PATCH", body: { remove_indicators: [{ type: "domain", value: other }] },
  });
  await page.getByRole("button", { name: `Edit the context of ${other}…` }).click();
  await page.getByRole("status").filter({ hasText: `${other} is no longer in this event.` }).waitFor();
  await page.getByTestId("indicators-shown").filter({ hasText: "Showing 1 of 1" }).waitFor();
  await page.getByRole("heading", { name: "Indicators: 1" }).waitFor();
  assert.equal(await page.getByRole("form").count(), 0, "no form for a value that is gone");

  // Another organisation reads the GREEN event but is offered no edit.
  await signOut(page);
  await signIn(page, node.partnerKey);
  await page.goto(`${node.uiUrl}/events/${uuid}`);
  await page.getByTestId("indicators-shown").filter({ hasText: "Showing 1 of 1" }).waitFor();
  assert.equal(await page.getByRole("button", { name: /^Edit the context/ }).count(), 0);
});

uiTest("an edit someone makes while the context form is open is shown, not overwritten, until the owner saves anyway", async (page, node) => {
  const value = unique(node, "context-race");
  const created = await apiCall(node, node.adminKey, "/events", {
    method: "POST",
    body: { title: `E2E context race ${node.fx.run}`, tlp: "green", indicators: [{ value, role: "c2", confidence: 40 }] },
  });
  const uuid = created.event.uuid;
  const stored = async () => (await apiCall(node, node.adminKey, `/events/${uuid}`)).indicators.find((i) => i.value === value);

  await signIn(page, node.adminKey);
  await page.goto(`${node.uiUrl}/events/${uuid}`);
  await page.getByTestId("indicators-shown").filter({ hasText: "Showing 1 of 1" }).waitFor();
  const form = page.getByRole("form", { name: `Context of ${value}` });
  await page.getByRole("button", { name: `Edit the context of ${value}…` }).click();
  await form.waitFor();
  assert.equal(await form.getByLabel("Confidence (0–100)").inputValue(), "40");
  await form.getByLabel("Comment").fill("mine");

  // A colleague saves first.
  await apiCall(node, node.adminKey, `/events/${uuid}?indicators=none`, {
    method: "PATCH", body: { indicators: [{ value, role: "c2", confidence: 90, comment: "theirs" }] },
  });
  await form.getByRole("button", { name: "Save" }).click();
  const conflict = form.getByRole("alert").filter({ hasText: "Someone changed this value's context while you edited it." });
  await conflict.waitFor();
  assert.match(await conflict.textContent(), /confidence 90.*comment "theirs".*Nothing was saved\./);
  assert.equal((await stored()).comment, "theirs", "theirs is kept");
  const anyway = form.getByRole("button", { name: "Save mine anyway" });
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Save mine anyway", "focus on the choice");

  // Saved knowingly: the form's fields as they are when the choice is
  // made (edited after the warning too) are what is stored.
  await form.getByLabel("Comment").fill("mine, after seeing theirs");
  await anyway.click();
  await page.getByRole("status").filter({ hasText: `Saved the context of ${value}.` }).waitFor();
  const mine = await stored();
  assert.equal(mine.comment, "mine, after seeing theirs");
  assert.equal(mine.confidence, 40);
});
