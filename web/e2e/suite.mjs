// One e2e test file's set-up: a seeded node, a browser, and `uiTest` /
// `signIn` helpers. Each test file calls suite() once at the top; node --test
// runs every file in its own process, so each file gets its own node.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { OUTPUT_DIR, launchBrowser, preflight, screenshotPath, startNode } from "./harness.mjs";

/**
 * @returns {{pre: ReturnType<typeof preflight>, ctx: {node: Awaited<ReturnType<typeof startNode>>,
 *   browser: import("playwright-core").Browser}, uiTest: Function, signIn: Function}}
 */
// ACCORD_E2E_API_DELAY_MS=<ms> delays every API answer in the browser by up
// to that many milliseconds (see uiTest): run the suite with it to find
// tests that race the page.
const API_DELAY_MS = Number(process.env.ACCORD_E2E_API_DELAY_MS || 0);
if (!Number.isFinite(API_DELAY_MS) || API_DELAY_MS < 0) {
  throw new Error(`ACCORD_E2E_API_DELAY_MS=${process.env.ACCORD_E2E_API_DELAY_MS}: expected a number of milliseconds`);
}

export function suite() {
  const pre = preflight();
  if (pre.skip) console.log(`e2e tests skipped: ${pre.skip}`);
  const ctx = { node: undefined, browser: undefined };

  before(async () => {
    if (pre.skip) return;
    ctx.node = await startNode(pre);
    console.log(`e2e: ${ctx.node.mode}; UI at ${ctx.node.uiUrl}; screenshots in ${OUTPUT_DIR}`);
    ctx.browser = await launchBrowser(pre.chromium);
  });

  after(async () => {
    await ctx.browser?.close();
    await ctx.node?.stop();
  });

  /**
   * One test in a fresh browser context (its own sessionStorage). Saves a
   * screenshot named after the test whether it passes or fails, and fails on
   * any uncaught error in the page. `fn(page, node)` gets the seeded node.
   */
  function uiTest(name, fn, { viewport = { width: 1366, height: 800 }, acceptDownloads = false } = {}) {
    // Late answers make a test slower, not wrong: its time limit grows with them.
    test(name, { skip: pre.skip || false, timeout: 60000 + 100 * API_DELAY_MS }, async () => {
      const context = await ctx.browser.newContext({ viewport, acceptDownloads });
      if (API_DELAY_MS > 0) {
        // Each API answer arrives late, by a random amount, in any order:
        // a test that reads the page before what it waited for is drawn
        // fails here, as it would on a slow machine.
        await context.route("**/api/v1/**", async (route) => {
          await new Promise((resolve) => setTimeout(resolve, Math.random() * API_DELAY_MS));
          await route.fallback();
        });
      }
      const page = await context.newPage();
      page.setDefaultTimeout(10000 + 4 * API_DELAY_MS);
      const pageErrors = [];
      page.on("pageerror", (e) => pageErrors.push(e.message));
      try {
        await fn(page, ctx.node);
        assert.deepEqual(pageErrors, [], "uncaught errors in the page");
      } finally {
        await page.screenshot({ path: screenshotPath(name), fullPage: true }).catch(() => undefined);
        await context.close();
      }
    });
  }

  async function signIn(page, key) {
    await page.goto(`${ctx.node.uiUrl}/`);
    await page.getByLabel("API key").fill(key);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("button", { name: "Sign out" }).waitFor();
  }

  return { pre, ctx, uiTest, signIn };
}
