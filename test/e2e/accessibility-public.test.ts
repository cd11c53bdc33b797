// Issue #19 item 17: every page passes axe-core's WCAG 2.1 AA rules, in both languages. The
// public pages, the regulator's pages and the reviewer's are visited here; the other browser
// tests run the same check on every page they screenshot (the provider's pages among them).
import { test } from 'node:test';
import type { Browser } from 'playwright-core';
import { TEST_PASSWORD } from '../factories.ts';
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

test('public pages pass axe-core WCAG 2.1 AA in zh-CN and en', { skip }, async (t) => {
  const app = await startApp(t);
  const browser = await launch(t);
  await visitAll(browser, app, [
    '/',
    '/search?q=test',
    '/self-check',
    '/transparency',
    '/login',
    '/register',
    '/forgot-password',
    '/no-such-page',
  ]);
});
