// Issue #19 item 17: every page passes axe-core's WCAG 2.1 AA rules, in both languages. The
// public pages, the regulator's pages and the reviewer's are visited here; the other browser
// tests run the same check on every page they screenshot (the provider's pages among them).
import { test } from 'node:test';
import type { Browser } from 'playwright-core';
import { createUser, TEST_PASSWORD } from '../factories.ts';
import {
  assertAccessible,
  launch,
  login,
  newActor,
  settle,
  skip,
  startApp,
  switchLanguage,
  type RunningApp,
} from './helpers.ts';

async function visitAll(browser: Browser, app: RunningApp, paths: string[], user?: { email: string; landing: RegExp }) {
  const { page } = await newActor(browser);
  if (user !== undefined) await login(page, app.base, user.email, TEST_PASSWORD, user.landing);
  for (const path of paths) {
    await page.goto(`${app.base}${path}`);
    for (const language of ['zh-CN', 'en'] as const) {
      await switchLanguage(page, language);
      await settle(page);
      await assertAccessible(page, path);
    }
  }
}

test("the regulator's and the reviewer's pages pass axe-core WCAG 2.1 AA in zh-CN and en", { skip }, async (t) => {
  const app = await startApp(t);
  const admin = await createUser(app, { roles: ['regulator_admin'] });
  const reviewer = await createUser(app, { roles: ['reviewer'] });
  const browser = await launch(t);
  await visitAll(
    browser,
    app,
    [
      '/admin/organizations',
      '/admin/users',
      '/admin/catalogue',
      '/admin/calendar',
      '/admin/audit',
      '/review/stats',
      '/account',
    ],
    { email: admin.email, landing: /\/admin\/organizations$/ },
  );
  await visitAll(browser, app, ['/review'], { email: reviewer.email, landing: /\/review$/ });
});
