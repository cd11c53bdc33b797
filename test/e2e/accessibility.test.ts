// Issue #19 item 17: every page passes axe-core's WCAG 2.1 AA rules, in both languages. The
// public pages, the provider's pages and the regulator's pages are visited with data on them;
// other browser tests run the same check on every page they screenshot.
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { createUser, TEST_PASSWORD } from '../factories.ts';
import { assertAccessible, launch, login, newActor, settle, skip, startApp, switchLanguage } from './helpers.ts';

test('every page passes axe-core WCAG 2.1 AA in zh-CN and en', { skip }, async (t) => {
  const app = await startApp(t);
  const { base } = app;
  const admin = await createUser(app, { roles: ['regulator_admin'] });
  const reviewer = await createUser(app, { roles: ['reviewer'] });
  const browser = await launch(t);

  const visit = async (page: Page, paths: string[]) => {
    for (const path of paths) {
      await page.goto(`${base}${path}`);
      for (const language of ['zh-CN', 'en'] as const) {
        await switchLanguage(page, language);
        await settle(page);
        await assertAccessible(page, path);
      }
    }
  };

  const visitor = await newActor(browser, { name: 'visitor' });
  await visit(visitor.page, [
    '/',
    '/search?q=test',
    '/self-check',
    '/transparency',
    '/login',
    '/register',
    '/forgot-password',
    '/no-such-page',
  ]);

  const regulator = await newActor(browser, { name: 'admin' });
  await login(regulator.page, base, admin.email, TEST_PASSWORD, /\/admin\/organizations$/);
  await visit(regulator.page, [
    '/admin/organizations',
    '/admin/users',
    '/admin/catalogue',
    '/admin/calendar',
    '/admin/audit',
    '/review/stats',
    '/account',
  ]);

  const staff = await newActor(browser, { name: 'reviewer' });
  await login(staff.page, base, reviewer.email, TEST_PASSWORD, /\/review$/);
  await visit(staff.page, ['/review']);
});
