// The docs of every service, used the way a person uses them: Swagger UI
// at /docs in Chromium, authorized with a bearer token through its
// Authorize dialog, then the list and the create operation executed with
// what the page prefills; then the event contract's page /docs links.
// Run by ../browser_test.go (go test), which
// starts the server and passes, in the environment:
//
//   CHARTER_MATERIALS_URL, CHARTER_QUOTES_URL  each service's base URL
//   CHARTER_TOKEN_EXTERNAL                     a token of the demo company's external user
//   CHARTER_CHROMIUM                           the browser to drive (never downloaded)
//   CHARTER_ARTIFACTS                          where the screenshots go
//
// The page may load nothing from anywhere but the service itself: the
// machine it runs on is offline, and a docs page that needs a CDN is
// broken there. Every other request is refused and fails the test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

// A busy two-core machine renders slowly; these bound a hang, not a speed.
const TIMEOUT = 120_000;

const env = (name) => {
  const v = process.env[name];
  assert.ok(v, `${name} is not set: run this through go test -run DocsInBrowser ./tools/sdktest`);
  return v;
};
const artifacts = env('CHARTER_ARTIFACTS');
const token = env('CHARTER_TOKEN_EXTERNAL');

// Each service's operations, named by the spec's tag and operationIds.
const services = [
  {
    name: 'materials', url: env('CHARTER_MATERIALS_URL'), tag: 'materials',
    list: 'listMaterials', create: 'createMaterial', collection: '/materials',
  },
  {
    name: 'quotes', url: env('CHARTER_QUOTES_URL'), tag: 'quotes',
    list: 'listQuotes', create: 'createQuote', collection: '/quotes',
  },
];

let context;
let profile;
const foreign = [];

before(async () => {
  profile = fs.mkdtempSync(path.join(os.tmpdir(), 'charter-chromium-'));
  // A fresh profile, and no background traffic: without these flags
  // Chromium keeps reaching for Google's services, which a closed network
  // turns into stalls.
  context = await chromium.launchPersistentContext(profile, {
    executablePath: env('CHARTER_CHROMIUM'),
    headless: true,
    chromiumSandbox: false,
    viewport: { width: 1280, height: 900 },
    timeout: TIMEOUT,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  context.setDefaultTimeout(TIMEOUT);
  const local = new Set(services.map((s) => new URL(s.url).host));
  await context.route('**/*', (route) => {
    const u = new URL(route.request().url());
    if (u.protocol === 'data:' || u.protocol === 'blob:' || local.has(u.host)) {
      return route.continue();
    }
    foreign.push(route.request().url());
    return route.abort('blockedbyclient');
  });
});

after(async () => {
  await context?.close();
  if (profile) fs.rmSync(profile, { recursive: true, force: true });
});

const shot = async (target, name) => {
  await target.screenshot({ path: path.join(artifacts, `${name}.png`) });
};

// shotAnswer shows an operation from its summary down to the server's
// answer, leaving out the documented responses below it.
const shotAnswer = async (page, block, name) => {
  const top = await block.boundingBox();
  const answer = await block.locator('.live-responses-table').boundingBox();
  const scroll = await page.evaluate(() => ({ x: window.scrollX, y: window.scrollY }));
  await page.screenshot({
    path: path.join(artifacts, `${name}.png`),
    fullPage: true,
    clip: {
      x: top.x + scroll.x, y: top.y + scroll.y, width: top.width,
      height: answer.y + answer.height - top.y,
    },
  });
};

// execute presses the operation's Execute button and returns what Swagger
// UI shows of the server's answer: the status code and the body's text.
async function execute(page, block) {
  // A second run must not read the answer of the first: clear it.
  const clear = block.locator('button.btn-clear');
  if (await clear.count()) {
    await clear.click();
    await block.locator('.live-responses-table').waitFor({ state: 'detached' });
  }
  await block.locator('button.execute').click();
  const live = block.locator('.live-responses-table .response');
  const status = live.locator('.response-col_status').first();
  const body = live.locator('.response-col_description pre').first();
  await body.waitFor();
  return {
    status: Number((await status.textContent()).trim()),
    body: (await body.textContent()).trim(),
    curl: (await block.locator('.curl-command').first().textContent()) ?? '',
  };
}

// open shows one operation of the page with its try-it-out form.
async function open(page, service, operationId) {
  const block = page.locator(`#operations-${service.tag}-${operationId}`);
  await block.locator('.opblock-summary').first().click();
  await block.locator('button.execute').waitFor();
  return block;
}

for (const service of services) {
  test(`${service.name}: /docs authorizes, lists, creates and links the events`, async () => {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    try {
      const docs = new URL('/docs', service.url).href;
      const res = await page.goto(docs);
      assert.equal(res.status(), 200, `GET ${docs}`);
      await page.locator('.swagger-ui .info .title').waitFor();
      await page.locator('.opblock').first().waitFor();
      const title = await page.locator('.swagger-ui .info .title').textContent();
      assert.match(title, new RegExp(service.name, 'i'), 'the page shows the spec of the service it belongs to');
      await shot(page, `${service.name}-1-docs`);

      // Before Authorize, the API refuses the call: the token that makes
      // the next run succeed is the one the dialog gave the page.
      const list = await open(page, service, service.list);
      const refused = await execute(page, list);
      assert.equal(refused.status, 401, `${service.list} without a token: ${refused.body}`);
      assert.match(refused.body, /"status":\s*401/, 'the 401 is a problem document');

      await page.locator('.auth-wrapper button.authorize').click();
      const dialog = page.locator('.modal-ux');
      await dialog.waitFor();
      await dialog.locator('input#auth-bearer-value').fill(token);
      await shot(dialog.locator('.modal-ux-inner'), `${service.name}-2-authorize`);
      await dialog.locator('button.authorize[type=submit]').click();
      await dialog.locator('button.btn-done').click();
      await dialog.waitFor({ state: 'detached' });
      await page.locator('.auth-wrapper button.authorize.locked').waitFor();

      const listed = await execute(page, list);
      await shotAnswer(page, list, `${service.name}-3-${service.list}`);
      assert.equal(listed.status, 200, `${service.list}: ${listed.body}`);
      const page1 = JSON.parse(listed.body);
      assert.ok(Array.isArray(page1.items) && page1.items.length > 0, `${service.list} shows the demo data: ${listed.body}`);
      assert.ok(page1.items.every((i) => i.company_id === 1), 'the external user sees only their company');
      assert.match(listed.curl, /Authorization: Bearer /, 'the request carries the token');

      const create = await open(page, service, service.create);
      const example = await create.locator('textarea.body-param__text').inputValue();
      const sent = JSON.parse(example);
      const created = await execute(page, create);
      await shotAnswer(page, create, `${service.name}-4-${service.create}`);
      assert.equal(created.status, 201, `${service.create} with the prefilled example ${example}: ${created.body}`);
      const made = JSON.parse(created.body);
      assert.ok(Number.isInteger(made.id), `the created resource has an id: ${created.body}`);
      for (const [field, value] of Object.entries(sent)) {
        if (typeof value !== 'object') assert.deepEqual(made[field], value, `${field} as sent`);
      }

      // What the page showed was stored: the service serves it afterwards.
      const stored = await fetch(new URL(`${service.collection}/${made.id}`, service.url), {
        headers: { Authorization: `Bearer ${token}` },
      });
      assert.equal(stored.status, 200, `GET ${service.collection}/${made.id} after the create`);
      // The other scenarios share the server and its demo company: leave
      // it as it was.
      const removed = await fetch(new URL(`${service.collection}/${made.id}`, service.url), {
        method: 'DELETE', headers: { Authorization: `Bearer ${token}` },
      });
      assert.equal(removed.status, 204, `DELETE ${service.collection}/${made.id}`);

      // /docs links the service's event contract, a page rendered by the
      // service: every event type of the contract has its section there,
      // and the page links back to the HTTP API's docs.
      await page.evaluate(() => window.scrollTo(0, 0));
      const eventsLink = page.locator('a[href="/docs/events"]').first();
      const [events] = await Promise.all([
        page.waitForResponse((r) => new URL(r.url()).pathname === '/docs/events'),
        eventsLink.click(),
      ]);
      await page.waitForURL((u) => u.pathname === '/docs/events');
      assert.equal(events.status(), 200, 'GET /docs/events');
      assert.match(await page.locator('h1').first().textContent(), new RegExp(`${service.name} events`, 'i'));
      const contract = await (await fetch(new URL('/events.json', service.url))).json();
      const declared = Object.values(contract.channels).map((c) => c.address).sort();
      const shown = (await page.locator('h2.type').allTextContents()).map((t) => t.trim()).sort();
      assert.ok(declared.length > 0, 'the event contract declares event types');
      assert.deepEqual(shown, declared, 'the page has a section per event type of the contract');
      await shot(page, `${service.name}-5-events`);
      await page.locator('a[href="/docs"]').first().click();
      await page.waitForURL((u) => u.pathname === '/docs');
      await page.locator('.opblock').first().waitFor();

      assert.deepEqual(errors, [], 'the page raised no script errors');
      assert.deepEqual(foreign, [], 'the page loaded nothing from elsewhere (it must work offline)');
    } catch (e) {
      await shot(page, `${service.name}-failed`).catch(() => {});
      throw e;
    } finally {
      await page.close();
    }
  });
}
