// End-to-end harness: finds Chromium, the accord binary and the built web
// root; starts a real `accord serve` on a free loopback port with a fresh
// data directory seeded by the CLI; drives Chromium with playwright-core.
//
// Environment (all optional):
//   ACCORD_BINARY       the accord binary (default ../build/release/src/cli/accord,
//                       then ../build/debug/src/cli/accord, then `accord` on PATH)
//   ACCORD_WEB_ROOT     the built UI (default web/dist; `npm run test:e2e` builds it)
//   ACCORD_CHROMIUM     the Chromium binary (default /usr/bin/chromium, Debian's package)
//   ACCORD_E2E_OUTPUT   where screenshots and server logs go (default web/e2e-output)
//   ACCORD_E2E_URL      test a server that is already running instead (it serves the
//                       UI at / and the API at /api/v1); needs ACCORD_E2E_ADMIN_KEY, an
//                       admin key of its operator organisation. Seeding is then done
//                       through the REST API, with names unique to the run.
//   ACCORD_E2E_ADMIN_KEY  see ACCORD_E2E_URL
//   ACCORD_E2E_FRONT    "vite" to serve the UI with vite preview even when accord
//                       has --web-root (tries the dev set-up)
//   ACCORD_E2E_API_DELAY_MS  delay every API answer in the browser by up to
//                       that many milliseconds, to find tests that race the page
//                       (see suite.mjs)
//
// When `accord serve` has no --web-root flag yet, the harness serves the web
// root with `vite preview`, which forwards /api to the accord server it started.

import { execFile, spawn } from "node:child_process";
import { accessSync, constants, createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { promisify } from "node:util";

const run = promisify(execFile);

export const WEB_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const REPO_DIR = resolve(WEB_DIR, "..");
export const SAMPLES_DIR = join(REPO_DIR, "samples");
export const OUTPUT_DIR = resolve(process.env.ACCORD_E2E_OUTPUT || join(WEB_DIR, "e2e-output"));

function executable(p) {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name) {
  for (const dir of (process.env.PATH || "").split(delimiter)) {
    if (dir && executable(join(dir, name))) return join(dir, name);
  }
  return null;
}

export function findChromium() {
  const env = process.env.ACCORD_CHROMIUM;
  if (env) return executable(env) ? { path: env } : { missing: `ACCORD_CHROMIUM=${env} is not an executable file` };
  for (const p of ["/usr/bin/chromium", "/usr/bin/chromium-browser"]) if (executable(p)) return { path: p };
  const found = onPath("chromium");
  if (found) return { path: found };
  return { missing: "Chromium not found (install Debian's package: apt-get install chromium, or set ACCORD_CHROMIUM)" };
}

export function findAccord() {
  const env = process.env.ACCORD_BINARY;
  if (env) return executable(env) ? { path: resolve(env) } : { missing: `ACCORD_BINARY=${env} is not an executable file` };
  for (const preset of ["release", "debug"]) {
    const p = join(REPO_DIR, "build", preset, "src", "cli", "accord");
    if (executable(p)) return { path: p };
  }
  const found = onPath("accord");
  if (found) return { path: found };
  return { missing: "the accord binary was not found (build it: cmake --build --preset release, or set ACCORD_BINARY)" };
}

export function findWebRoot() {
  const root = resolve(process.env.ACCORD_WEB_ROOT || join(WEB_DIR, "dist"));
  if (!existsSync(join(root, "index.html"))) {
    return { missing: `no built web UI at ${root} (run npm run build in web/, or set ACCORD_WEB_ROOT)` };
  }
  return { path: root };
}

/**
 * What the tests need, or why they must be skipped.
 * @returns {{skip: string} | {skip: false, chromium: string, external: boolean, accord?: string, webRoot?: string, url?: string, adminKey?: string}}
 */
export function preflight() {
  try {
    createRequire(import.meta.url).resolve("playwright-core");
  } catch {
    return { skip: "playwright-core is not installed (run npm ci in web/)" };
  }
  const chromium = findChromium();
  if (chromium.missing) return { skip: chromium.missing };
  if (process.env.ACCORD_E2E_URL) {
    if (!process.env.ACCORD_E2E_ADMIN_KEY) return { skip: "ACCORD_E2E_URL is set but ACCORD_E2E_ADMIN_KEY is not" };
    return { skip: false, chromium: chromium.path, external: true,
      url: process.env.ACCORD_E2E_URL.replace(/\/+$/, ""), adminKey: process.env.ACCORD_E2E_ADMIN_KEY };
  }
  const accord = findAccord();
  if (accord.missing) return { skip: accord.missing };
  const webRoot = findWebRoot();
  if (webRoot.missing) return { skip: webRoot.missing };
  return { skip: false, chromium: chromium.path, external: false, accord: accord.path, webRoot: webRoot.path };
}

export function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", rej);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

async function waitFor(url, what, child, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode} before it answered (see ${OUTPUT_DIR})`);
    try {
      const r = await fetch(url);
      if (r.ok) return;
      last = `HTTP ${r.status}`;
    } catch (e) {
      last = e.cause?.code || e.message;
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${what} did not answer at ${url} within ${timeoutMs} ms (last: ${last})`);
}

function startProcess(cmd, args, logName, env = {}) {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  const log = createWriteStream(join(OUTPUT_DIR, logName));
  const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  return child;
}

async function stopProcess(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}

/** Last line of a command's stdout that looks like KEYID:SECRET. */
function keyFrom(stdout, what) {
  const line = stdout.split("\n").map((l) => l.trim()).filter((l) => /^[^\s:]+:\S+$/.test(l)).pop();
  if (!line) throw new Error(`${what} printed no KEYID:SECRET`);
  return line;
}

function sampleFiles() {
  return readdirSync(SAMPLES_DIR)
    .filter((f) => /\.(stix\.json|misp\.json|csv|txt)$/.test(f))
    .sort()
    .map((f) => join(SAMPLES_DIR, f));
}

/** Data the tests use; names carry a run id so an external server can be reused. */
function fixture() {
  const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
  return {
    run,
    partnerOrg: `E2E Partner Police ${run}`,
    strictTitle: `Operation Nightjar ${run} (strict)`,
    strictValue: `strict-${run}.example`,
    sharedValue: "evil-c2.example",
    stealerOperation: "Demo",
  };
}

/**
 * Start (or attach to) a seeded node.
 * Seeded: the sample files, a TLP:AMBER+STRICT event, a partner organisation
 * (DE) with an analyst key, both points of contact, and (local node only: the
 * CLI does it) the infostealer operation fx.stealerOperation on synthetic logs.
 * @returns {Promise<{mode: string, uiUrl: string, apiUrl: string, adminKey: string, partnerKey: string,
 *   fx: ReturnType<typeof fixture>, strictEventUuid: string, stop: () => Promise<void>,
 *   cli?: (...args: string[]) => Promise<{stdout: string, stderr: string}>}>}
 */
export async function startNode(pre) {
  const fx = fixture();
  if (pre.external) {
    const node = { mode: `external server ${pre.url}`, uiUrl: pre.url, apiUrl: pre.url, adminKey: pre.adminKey, fx, stop: async () => {} };
    await seedByApi(node);
    node.strictEventUuid = await findEventUuid(node, fx.strictTitle);
    return node;
  }

  const dataRoot = await mkdtemp(join(tmpdir(), "accord-e2e-"));
  const data = join(dataRoot, "node");
  const cli = (...args) => run(pre.accord, [...args, "--data", data], { maxBuffer: 16 << 20 });
  const children = [];
  const stop = async () => {
    for (const c of children.reverse()) await stopProcess(c);
    await rm(dataRoot, { recursive: true, force: true });
  };
  try {
    // Seed with the CLI, as an operator would.
    const init = await cli("init", "--org", "E2E CERT", "--country", "FR", "--kind", "cert");
    const adminKey = keyFrom(init.stdout, "accord init");
    await cli("warninglist", "add", join(SAMPLES_DIR, "warninglist-demo-resolvers.json")).catch(() => undefined);
    await cli("import", "-q", ...sampleFiles());
    const strictFile = join(dataRoot, "nightjar.txt");
    writeFileSync(strictFile, `${fx.strictValue}\n`);
    await cli("import", "-q", "--tlp", "amber+strict", "--title", fx.strictTitle, strictFile);
    await cli("org", "create", fx.partnerOrg, "--country", "DE", "--kind", "law-enforcement");
    const key = await cli("key", "create", "--org", fx.partnerOrg, "--user", "partner-analyst", "--role", "analyst");
    const partnerKey = keyFrom(key.stdout, "accord key create");
    // The 24/7 network: both organisations' points of contact.
    await cli("poc", "set", "E2E CERT", "--time-zone", "Europe/Paris", "--languages", "fr,en",
      "--channel", "phone:+33 1 00 00 00 00", "--backup-name", "Duty officer", "--backup-channel", "phone:+33 1 00 00 00 01");
    await cli("poc", "set", fx.partnerOrg, "--time-zone", "Europe/Berlin", "--languages", "de,en",
      "--channel", "email:247@police.example");
    // An infostealer operation on synthetic logs (fixed seed: the same victims every run).
    const logs = join(dataRoot, "stealer-logs");
    await run(pre.accord, ["stealer", "synth", "--machines", "120", "--credentials", "10", "--seed", "7", "--output", logs]);
    await rm(join(logs, "ground-truth.json"), { force: true });
    await cli("stealer", "ingest", "--operation", fx.stealerOperation, logs, join(SAMPLES_DIR, "stealer", "c2.csv"))
      .catch((e) => { if (e.code !== 3) throw e; }); // 3: ingested, with problems reported

    // Serve. --web-root when this accord has it; otherwise vite preview in front.
    const help = await run(pre.accord, ["serve", "--help"]).then((r) => r.stdout, () => "");
    const webRootFlag = help.includes("--web-root") && process.env.ACCORD_E2E_FRONT !== "vite";
    const apiPort = await freePort();
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const serveArgs = ["serve", "--data", data, "--listen", `127.0.0.1:${apiPort}`];
    if (webRootFlag) serveArgs.push("--web-root", pre.webRoot);
    const server = startProcess(pre.accord, serveArgs, "accord-serve.log");
    children.push(server);
    await waitFor(`${apiUrl}/readyz`, "accord serve", server);

    let uiUrl = apiUrl;
    let mode = `accord serve --web-root ${pre.webRoot}`;
    if (!webRootFlag) {
      const uiPort = await freePort();
      const vite = join(WEB_DIR, "node_modules", "vite", "bin", "vite.js");
      const preview = startProcess(process.execPath,
        [vite, "preview", "--host", "127.0.0.1", "--port", String(uiPort), "--strictPort", "--outDir", pre.webRoot],
        "vite-preview.log", { ACCORD_API: apiUrl });
      children.push(preview);
      uiUrl = `http://127.0.0.1:${uiPort}`;
      await waitFor(`${uiUrl}/`, "vite preview", preview);
      mode = `vite preview of ${pre.webRoot} in front of accord serve at ${apiUrl}`;
    }
    const node = { mode, uiUrl, apiUrl, adminKey, partnerKey, fx, stop, cli };
    node.strictEventUuid = await findEventUuid(node, fx.strictTitle);
    return node;
  } catch (e) {
    await stop();
    throw e;
  }
}

/** A REST call with a key; throws with the server's message on failure. */
export async function apiCall(node, key, path, { method = "GET", body, type } = {}) {
  const headers = { Authorization: `Bearer ${key}`, Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = type || "application/json";
  const r = await fetch(`${node.apiUrl}/api/v1${path}`, {
    method, headers, body: body === undefined ? undefined : type ? body : JSON.stringify(body),
  });
  const text = await r.text();
  if (!r.ok) throw new Error(`${method} ${path}: HTTP ${r.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

async function findEventUuid(node, title) {
  let cursor = null;
  for (let i = 0; i < 50; i++) {
    const page = await apiCall(node, node.adminKey, `/events?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    const hit = page.events.find((e) => e.title === title);
    if (hit) return hit.uuid;
    if (!page.next) break;
    cursor = page.next;
  }
  throw new Error(`the seeded event "${title}" is not on the server`);
}

/** Seeding through the REST API, for ACCORD_E2E_URL. */
async function seedByApi(node) {
  const { fx } = node;
  for (const file of sampleFiles()) {
    const type = file.endsWith(".json") ? "application/json" : file.endsWith(".csv") ? "text/csv" : "text/plain";
    const name = file.slice(SAMPLES_DIR.length + 1);
    // CSV and lists: the file name as title, so a second run grows the same event.
    const title = type === "application/json" ? "" : `&title=${encodeURIComponent(name)}`;
    await apiCall(node, node.adminKey, `/import?name=${encodeURIComponent(name)}${title}`, { method: "POST", body: readFileSync(file), type });
  }
  await apiCall(node, node.adminKey,
    `/import?tlp=${encodeURIComponent("amber+strict")}&title=${encodeURIComponent(fx.strictTitle)}&name=nightjar.txt`,
    { method: "POST", body: `${fx.strictValue}\n`, type: "text/plain" });
  const org = await apiCall(node, node.adminKey, "/organisations",
    { method: "POST", body: { name: fx.partnerOrg, country: "DE", kind: "law-enforcement" } });
  const key = await apiCall(node, node.adminKey, "/keys",
    { method: "POST", body: { user: `partner-analyst-${fx.run}`, role: "analyst", organisation_id: org.id } });
  node.partnerKey = key.key;
}

export async function launchBrowser(chromiumPath) {
  const { chromium } = await import("playwright-core");
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    // Root in a container has no user namespace sandbox; /dev/shm may be small.
    args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
  });
}

/** A file name for a test's screenshot. */
export function screenshotPath(name) {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  return join(OUTPUT_DIR, `${name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "")}.png`);
}
