// Browser tests of the web app against the real application (fresh database, real API):
// the public pages, the language switch, the risk self-check, registration errors landing on
// their fields, and a regulator admin verifying the new organisation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createUser, randomUscc, TEST_PASSWORD } from '../factories.ts';
import { en, launch, screenshotBothLanguages, skip, startApp, text, watchErrors, zh } from './helpers.ts';

test('public pages: zh-CN first, English one click away and remembered', { skip }, async (t) => {
  const { base } = await startApp(t);
  const browser = await launch(t);
  const page = await browser.newPage({ locale: 'zh-CN' });
  const errors = watchErrors(page);

  await page.goto(`${base}/`);
  const h1 = page.locator('h1');
  await assert.doesNotReject(h1.filter({ hasText: text(zh, 'home.title') }).waitFor());
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
  assert.equal(await page.getByTestId('search-input').count(), 1);

  await page.getByTestId('language-switch').click();
  await h1.filter({ hasText: text(en, 'home.title') }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  await page.reload();
  await h1.filter({ hasText: text(en, 'home.title') }).waitFor();

  // The search URL is shareable: the query is in it and the form shows it.
  await page.getByTestId('search-input').fill('medical imaging');
  await page.getByTestId('search-submit').click();
  await page.waitForURL(/\/search\?q=medical\+imaging/);
  assert.equal(await page.getByTestId('search-input').inputValue(), 'medical imaging');

  // Status, listing dates and order narrow the search and stay in the shareable URL; the whole
  // register is offered as open data (issue #19 item 15).
  await page.getByTestId('search-sort').selectOption('newest');
  await page.waitForURL(/sort=newest/);
  await page.getByTestId('search-status').selectOption('approved');
  await page.waitForURL(/status=approved/);
  assert.match(page.url(), /q=medical\+imaging/);
  await page.getByTestId('search-listed-from').fill('2026-01-01');
  await page.waitForURL(/listedFrom=2026-01-01/);
  assert.equal(await page.getByTestId('search-input').inputValue(), 'medical imaging');
  const csv = await page.request.get(`${base}${await page.getByTestId('export-csv').getAttribute('href')}`);
  assert.equal(csv.status(), 200);
  assert.match(csv.headers()['content-type'] ?? '', /^text\/csv/);

  // Staff pages need a session: an anonymous visitor is sent to the login page and back.
  await page.goto(`${base}/provider`);
  await page.waitForURL(/\/login\?next=%2Fprovider/);
  assert.deepEqual(errors, []);
});

test('risk self-check: one question a step, then the tier with reasons', { skip }, async (t) => {
  const { base } = await startApp(t);
  const browser = await launch(t);
  const page = await browser.newPage({ locale: 'zh-CN' });
  const errors = watchErrors(page);
  await page.goto(`${base}/self-check`);
  const next = page.getByTestId('self-check-next');
  await next.waitFor();

  // Next without an answer keeps the step and says why.
  const progress = page.getByTestId('self-check-progress');
  const first = await progress.textContent();
  await next.click();
  await page.locator('.ant-form-item-explain-error').first().waitFor();
  assert.equal(await progress.textContent(), first);

  // Answer everything with "none of these" / "no" / the first option: a low-risk product.
  for (let step = 0; step < 40; step += 1) {
    if ((await progress.textContent()) === text(zh, 'risk.reviewStep')) break;
    const form = page.getByTestId('self-check-form');
    if ((await form.locator('.ant-select').count()) > 0) {
      await form.locator('.ant-select').click();
      await page.keyboard.press('Enter');
    } else {
      const no = form.locator('.ant-radio-wrapper', { hasText: new RegExp(`^${text(zh, 'common.no')}$`) });
      if ((await no.count()) > 0) await no.click();
      else if ((await form.locator('.ant-radio-wrapper').count()) > 0)
        await form.locator('.ant-radio-wrapper').first().click();
    }
    const before = await progress.textContent();
    await next.click();
    await page.waitForFunction(
      (previous) => document.querySelector('[data-testid="self-check-progress"]')?.textContent !== previous,
      before,
    );
  }
  await next.click();
  const result = page.getByTestId('risk-result');
  await result.waitFor();
  assert.equal(await result.getAttribute('data-tier'), 'low');
  assert.equal(await result.getByTestId('tier-tag').getAttribute('data-tier'), 'low');
  await screenshotBothLanguages(page, 'self-check-result', (catalogue) =>
    result
      .getByTestId('tier-tag')
      .filter({ hasText: text(catalogue, 'tier.low') })
      .waitFor(),
  );
  assert.deepEqual(errors, []);
});

test('registration: problems land on their fields; an admin then verifies the organisation', { skip }, async (t) => {
  const app = await startApp(t);
  const { base } = app;
  const admin = await createUser(app, { roles: ['regulator_admin'] });
  const browser = await launch(t);
  const page = await browser.newPage({ locale: 'zh-CN' });
  const errors = watchErrors(page);
  const uscc = randomUscc();
  const orgName = `深圳浏览器测试科技有限公司 ${uscc.slice(-4)}`;

  await page.goto(`${base}/register`);
  await page.getByLabel(text(zh, 'registration.orgName')).fill(orgName);
  await page.getByTestId('registration-uscc').fill(uscc);
  await page.getByLabel(text(zh, 'registration.adminName')).fill('李明');
  await page.getByLabel(text(zh, 'auth.email')).fill(`li-${uscc.slice(-6).toLowerCase()}@example.cn`);
  // Long enough for the client, but on the server's list of common passwords.
  await page.getByLabel(text(zh, 'auth.password'), { exact: true }).fill('1qaz2wsx3edc');
  await page.getByLabel(text(zh, 'registration.confirmPassword')).fill('1qaz2wsx3edc');
  await page.getByTestId('registration-submit').click();
  const passwordItem = page.locator('.ant-form-item', {
    has: page.getByLabel(text(zh, 'auth.password'), { exact: true }),
  });
  await passwordItem.locator('.ant-form-item-explain-error').waitFor();

  await page.getByLabel(text(zh, 'auth.password'), { exact: true }).fill('Blue-harbour-lantern-42');
  await page.getByLabel(text(zh, 'registration.confirmPassword')).fill('Blue-harbour-lantern-42');
  await page.getByTestId('registration-submit').click();
  await page.getByTestId('registration-done').waitFor();

  await page.goto(`${base}/login`);
  await page.getByTestId('login-email').fill(admin.email);
  await page.getByTestId('login-password').fill(TEST_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.waitForURL(/\/admin\/organizations$/);
  // A fresh install's administrator does not review: the landing page says to create a reviewer
  // first; the review queue is not theirs (issue #19 item 1).
  await page.getByTestId('no-reviewer-notice').waitFor();
  const row = page.getByRole('row', { name: new RegExp(uscc) });
  await row.waitFor();
  await row.getByTestId('verify-organization').click();
  await page.getByTestId('confirm-verify-ok').click();
  await row.waitFor({ state: 'detached' });
  await page.goto(`${base}/review`);
  await page
    .getByRole('heading', { name: text(zh, 'error.forbidden') })
    .first()
    .waitFor();
  assert.deepEqual(errors, []);
});

test('phone width: the navigation collapses into a menu', { skip }, async (t) => {
  const { base } = await startApp(t);
  const browser = await launch(t);
  const page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
  await page.goto(`${base}/`);
  const menuButton = page.getByTestId('mobile-menu-button');
  await menuButton.waitFor();
  assert.equal(await page.locator('nav.nav-desktop').isVisible(), false);
  await menuButton.click();
  await page
    .locator('#mobile-menu')
    .getByRole('link', { name: text(zh, 'nav.selfCheck') })
    .click();
  await page.waitForURL(/\/self-check$/);
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true);
});

test("first visit: the browser's languages choose, ?lang= overrides, a stored choice wins", { skip }, async (t) => {
  // Issue #19 item 13: explicit choice (stored) → ?lang= → the browser's languages → zh-CN.
  const { base } = await startApp(t);
  const browser = await launch(t);
  const english = await browser.newPage({ locale: 'en-GB' });
  const errors = watchErrors(english);
  await english.goto(`${base}/`);
  await english
    .locator('h1')
    .filter({ hasText: text(en, 'home.title') })
    .waitFor();
  assert.equal(await english.evaluate(() => document.documentElement.lang), 'en');

  // A shared link in Chinese opens in Chinese for the English-speaking visitor…
  await english.goto(`${base}/?lang=zh-CN`);
  await english
    .locator('h1')
    .filter({ hasText: text(zh, 'home.title') })
    .waitFor();
  // …and once they choose English with the switch, that choice is kept, whatever the link says.
  await english.getByTestId('language-switch').click();
  await english
    .locator('h1')
    .filter({ hasText: text(en, 'home.title') })
    .waitFor();
  await english.goto(`${base}/`);
  await english
    .locator('h1')
    .filter({ hasText: text(en, 'home.title') })
    .waitFor();

  // A browser in a language the app does not have falls back to Chinese.
  const french = await browser.newPage({ locale: 'fr-FR' });
  await french.goto(`${base}/`);
  await french
    .locator('h1')
    .filter({ hasText: text(zh, 'home.title') })
    .waitFor();
  assert.deepEqual(errors, []);
});
