// Issue #19 items 3 and 9, in Chinese and in English: a provider takes back a document it has
// not submitted, and withdraws the filing after a confirmation that says what cannot be undone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createOrgMember, TEST_PASSWORD } from '../factories.ts';
import { multipartBody, RISK_ANSWERS, SAMPLE_PDF, SAMPLE_TEXT } from '../filings/helpers.ts';
import { productBody } from '../products/fixtures.ts';
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

for (const language of ['zh-CN', 'en'] as const satisfies readonly Language[]) {
  test(`filing actions (${language}): remove a document, withdraw with a confirmation`, { skip }, async (t) => {
    const catalogue = catalogues[language];
    const app = await startApp(t);
    const { user } = await createOrgMember(app, { role: 'org_admin' });
    const inject = async (url: string, payload: object) => {
      const response = await app.app.inject({ method: 'POST', url, headers: user.headers, payload });
      assert.ok(response.statusCode < 300, response.body);
      return response.json<{ id: string }>();
    };
    const product = await inject('/api/v1/products', productBody({ riskAnswers: RISK_ANSWERS.high }));
    const filing = await inject(`/api/v1/products/${product.id}/filings`, {
      kind: 'assessment',
      summary: '风险评估申请',
    });
    for (const [name, data, type] of [
      ['report.pdf', SAMPLE_PDF, 'risk_assessment_report'],
      ['wrong-file.txt', SAMPLE_TEXT, 'other'],
    ] as const) {
      const body = multipartBody({ name, contentType: 'application/octet-stream', data }, type);
      const uploaded = await app.app.inject({
        method: 'POST',
        url: `/api/v1/filings/${filing.id}/documents`,
        headers: { ...user.headers, ...body.headers },
        payload: body.payload,
      });
      assert.equal(uploaded.statusCode, 201, uploaded.body);
    }
    const browser = await launch(t);
    await withFailureScreenshots(`filing-actions-${language}`, async () => {
      const actor = await newActor(browser, { name: 'provider', language });
      const { page } = actor;
      await login(page, app.base, user.email, TEST_PASSWORD, /\/provider/);
      await page.goto(`${app.base}/filings/${filing.id}`);
      const documents = page.getByTestId('filing-documents');
      const wrongRow = documents.getByRole('row', { name: /wrong-file\.txt/ });
      await wrongRow.getByTestId('remove-document').click();
      await page
        .getByRole('button', { name: text(catalogue, 'filing.removeDocument') })
        .last()
        .click();
      await page
        .locator('.ant-message-notice')
        .filter({ hasText: text(catalogue, 'filing.documentRemoved', { name: 'wrong-file.txt' }) })
        .waitFor();
      await wrongRow.waitFor({ state: 'detached' });
      assert.equal(await documents.getByRole('row', { name: /report\.pdf/ }).count(), 1);

      await page.getByTestId('withdraw-filing').click();
      const dialog = page.getByRole('dialog');
      await dialog.getByText(text(catalogue, 'filing.confirmWithdrawBody')).waitFor();
      await screenshot(page, 'filing-withdraw-confirm');
      await page.getByTestId('confirm-withdraw-ok').click();
      await page.getByTestId('filing-status').and(page.locator('[data-status="withdrawn"]')).waitFor();
      assert.equal(await page.getByTestId('withdraw-filing').count(), 0);
      assert.deepEqual(actor.errors, []);
    });
  });
}
