// A person logging in to the web client "bugtracker-web" in a real browser: headless Chromium
// (Debian's, CHROMIUM or /usr/bin/chromium), driven by playwright-core. BrowserLoginIT runs it.
//
// It starts an authorization-code request with PKCE at the gateway, lands on the login page, first
// types a wrong password (the page must say so and keep the browser there), then the right one, and
// follows the redirect back to the client's redirect URI. It prints one line of JSON for the test:
// the pages it saw, the code and state of the redirect, and the PKCE verifier, so that the test can
// exchange the code the way the web client will.
//
// Environment: GATEWAY (http://127.0.0.1:<port>), EMAIL, PASSWORD, CHROMIUM (optional),
// SCREENSHOT (optional: a PNG of the login page with its error).
import { createHash, randomBytes } from "node:crypto";
import { chromium } from "playwright-core";

const { GATEWAY, EMAIL, PASSWORD } = process.env;
if (!GATEWAY || !EMAIL || !PASSWORD) {
  console.error("login.mjs: set GATEWAY, EMAIL and PASSWORD");
  process.exit(2);
}
const redirectUri = `${GATEWAY}/login/oauth2/code/bugtracker-web`;
const verifier = randomBytes(32).toString("base64url");
const challenge = createHash("sha256").update(verifier).digest("base64url");
const state = randomBytes(16).toString("base64url");

const authorize = new URL(`${GATEWAY}/oauth2/authorize`);
authorize.search = new URLSearchParams({
  response_type: "code",
  client_id: "bugtracker-web",
  redirect_uri: redirectUri,
  scope: "openid bugs:read bugs:write users:read",
  state,
  code_challenge: challenge,
  code_challenge_method: "S256",
}).toString();

// Progress on stderr, so that a step that hangs is named in the test's failure message.
const started = Date.now();
const step = (what) => console.error(`${((Date.now() - started) / 1000).toFixed(1)} s: ${what}`);

step("launching Chromium");
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  // No sandbox (CI runs as root); nothing that phones home: the build machines have no internet.
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
  timeout: 60_000,
});
let page;
try {
  page = await (await browser.newContext()).newPage();
  page.setDefaultTimeout(30_000);
  page.on("requestfailed", (request) => step(`request failed: ${request.url()} ${request.failure()?.errorText}`));

  step("opening the authorization request");
  await page.goto(authorize.href, { waitUntil: "domcontentloaded" });
  await page.waitForURL(`${GATEWAY}/login`, { waitUntil: "domcontentloaded" });
  const loginPage = page.url();

  step("typing a wrong password");
  await page.fill('input[name="username"]', EMAIL);
  await page.fill('input[name="password"]', `${PASSWORD}-wrong`);
  await Promise.all([page.waitForURL(`${GATEWAY}/login?error`, { waitUntil: "domcontentloaded" }),
    page.click('button[type="submit"]')]);
  const afterWrongPassword = page.url();
  const errorShown = await page.locator(".alert-danger, .error").first().textContent().catch(() => null);
  if (process.env.SCREENSHOT) {
    await page.screenshot({ path: process.env.SCREENSHOT });
  }

  step("typing the password");
  await page.fill('input[name="username"]', EMAIL);
  await page.fill('input[name="password"]', PASSWORD);
  // The redirect URI is the web client's, which does not exist yet: the gateway answers 404 there,
  // which is fine, the code is in the address.
  await Promise.all([page.waitForURL((url) => url.href.startsWith(redirectUri), { waitUntil: "commit" }),
    page.click('button[type="submit"]')]);
  step("redirected to the client");
  const redirected = new URL(page.url());

  console.log(JSON.stringify({
    loginPage,
    afterWrongPassword,
    errorShown,
    redirectUri,
    redirected: redirected.href,
    code: redirected.searchParams.get("code"),
    stateMatches: redirected.searchParams.get("state") === state,
    verifier,
    userAgent: await page.evaluate(() => navigator.userAgent),
  }));
}
catch (error) {
  // Where the browser was, for the test's failure message (the page's content only if it comes
  // at once: a page still loading may never give it).
  step(`failed at ${page?.url()}: ${error}`);
  const content = await Promise.race([page?.content().catch(() => ""),
    new Promise((resolve) => setTimeout(() => resolve("(no content within 3 s)"), 3_000))]);
  step(`the page: ${String(content).slice(0, 2000)}`);
  process.exitCode = 1;
}
finally {
  // Closing Chromium must not keep the test waiting (a CI run once saw this script print
  // nothing on stderr and not end within 120 s): give it 5 s, then leave; BrowserLoginIT
  // ends whatever processes remain.
  await Promise.race([browser.close(), new Promise((resolve) => setTimeout(resolve, 5_000))]);
  step("done");
  process.exit();
}
