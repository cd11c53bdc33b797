// Issue #19 item 8: the account page (password change, personal API tokens) and the forgotten-
// password flow, in Chinese and in English. A password change revokes every session and token.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createOrgMember, TEST_PASSWORD } from '../factories.ts';
import {
  catalogues,
  launch,
  login,
  newActor,
  screenshot,
  skip,
  startApp,
  text,
  withFailureScreenshots,
  type Language,
} from './helpers.ts';

const NEW_PASSWORD = 'Shenzhen-bay-new-2026!';
const RESET_PASSWORD = 'Qianhai-reset-pass-2026!';

for (const language of ['zh-CN', 'en'] as const satisfies readonly Language[]) {
  test(`account (${language}): API token, password change, forgotten password`, { skip }, async (t) => {
    const catalogue = catalogues[language];
    const app = await startApp(t);
    const { user } = await createOrgMember(app, { role: 'org_admin' });
    const me = (headers: Record<string, string>) =>
      app.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers }).then((response) => response.statusCode);
    const browser = await launch(t);
    await withFailureScreenshots(`account-${language}`, async () => {
      const actor = await newActor(browser, { name: 'provider', language });
      const { page } = actor;
      await login(page, app.base, user.email, TEST_PASSWORD, /\/provider/);
      await page.getByTestId('current-user').click();
      await page.waitForURL(/\/account$/);

      // A personal API token: shown once, works as Bearer.
      await page.getByTestId('token-name').fill('CI pipeline');
      await page.getByTestId('token-create').click();
      const secret = (await page.getByTestId('token-secret').locator('code').innerText()).trim();
      assert.match(secret, /\S{20,}/);
      assert.equal(await me({ authorization: `Bearer ${secret}` }), 200);
      await screenshot(page, 'account-token-created');
      await page.getByRole('button', { name: text(catalogue, 'account.tokenSaved') }).click();
      await page.getByTestId('token-table').getByText('CI pipeline').waitFor();

      // The password change signs everyone out: the session and the token stop working.
      await page.getByTestId('current-password').fill(TEST_PASSWORD);
      await page.getByTestId('new-password').fill(NEW_PASSWORD);
      await page.getByTestId('confirm-password').fill(NEW_PASSWORD);
      await page.getByTestId('change-password-submit').click();
      await page.waitForURL(/\/login/);
      assert.equal(await me({ authorization: `Bearer ${secret}` }), 401);
      assert.equal(await me(user.headers), 401);

      // Forgotten password: the link on the sign-in page, the mail, the reset page.
      await page.getByTestId('forgot-link').click();
      await page.getByTestId('forgot-email').fill(user.email);
      await page.getByTestId('forgot-submit').click();
      await page.getByTestId('reset-requested').waitFor();
      await app.drain();
      const mailDir = path.join(app.config.dataDir, 'mail');
      const mail = fs
        .readdirSync(mailDir)
        .map((name) => fs.readFileSync(path.join(mailDir, name), 'utf8'))
        .find((body) => body.includes(user.email) && body.includes('reset token'));
      const token = /reset token: (\S+)/.exec(mail ?? '')?.[1];
      assert.ok(token !== undefined, 'the reset mail carries the token');
      await page.goto(`${app.base}/reset-password#token=${encodeURIComponent(token)}`);
      assert.equal(await page.getByTestId('reset-token').inputValue(), token, 'the link fills the token in');
      await page.getByTestId('new-password').fill(RESET_PASSWORD);
      await page.getByTestId('confirm-password').fill(RESET_PASSWORD);
      await page.getByTestId('reset-submit').click();
      await page.getByTestId('reset-done').waitFor();
      await screenshot(page, 'account-reset-done');
      await login(page, app.base, user.email, RESET_PASSWORD, /\/provider/);
      assert.deepEqual(actor.errors, []);
    });
  });
}
