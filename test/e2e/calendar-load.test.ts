// Issue #15 in the browser: a high-risk assessment submitted on 10 December of the last year
// with an official calendar gets a provisional due date, shown as such to the provider; the
// administrator sees the banner, loads next year's notice in the web app (paste, preview with
// the diff and the deadline it moves, confirm), and the due date becomes the official one —
// audited and notified. Once in Chinese, once in English.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createOrgMember, createUser, TEST_PASSWORD } from '../factories.ts';
import { lastReferenceYear, testCalendarYear } from '../helpers/calendar-fixtures.ts';
import { multipartBody, RISK_ANSWERS, SAMPLE_PDF } from '../filings/helpers.ts';
import { productBody } from '../products/fixtures.ts';
import {
  catalogues,
  launch,
  login,
  newActor,
  screenshot,
  settle,
  skip,
  startApp,
  text,
  withFailureScreenshots,
  type Language,
  type RunningApp,
} from './helpers.ts';

const LAST = lastReferenceYear();
const NEXT = LAST + 1;

/** A submitted high-risk assessment, through the API; returns its id and due date. */
async function submittedAssessment(app: RunningApp, headers: Record<string, string>) {
  const inject = async (method: 'POST' | 'GET', url: string, payload?: object, extra: Record<string, string> = {}) => {
    const response = await app.app.inject({ method, url, headers: { ...headers, ...extra }, payload });
    assert.ok(response.statusCode < 300, `${url}: ${response.statusCode} ${response.body}`);
    return response.json<Record<string, unknown>>();
  };
  const product = await inject('POST', '/api/v1/products', productBody({ riskAnswers: RISK_ANSWERS.high }));
  const draft = await inject('POST', `/api/v1/products/${String(product.id)}/filings`, {
    kind: 'assessment',
    summary: '招聘简历筛选模型的风险评估申请',
  });
  const upload = multipartBody({ name: 'report.pdf', contentType: 'application/pdf', data: SAMPLE_PDF });
  const uploaded = await app.app.inject({
    method: 'POST',
    url: `/api/v1/filings/${String(draft.id)}/documents`,
    headers: { ...headers, ...upload.headers },
    payload: upload.payload,
  });
  assert.equal(uploaded.statusCode, 201, uploaded.body);
  const submitted = await inject('POST', `/api/v1/filings/${String(draft.id)}/submit`, {});
  return { id: String(draft.id), dueDate: String(submitted.dueDate), provisional: submitted.dueDateProvisional };
}

for (const language of ['zh-CN', 'en'] as const satisfies readonly Language[]) {
  test(
    `calendar (${language}): a provisional due date becomes official when the administrator loads the year`,
    { skip },
    async (t) => {
      const catalogue = catalogues[language];
      const app = await startApp(t, { clockStart: `${LAST}-12-10T02:00:00Z` });
      const { user: providerUser } = await createOrgMember(app, { role: 'org_admin' });
      const adminUser = await createUser(app, { roles: ['regulator_admin'], name: '李管理' });
      const filing = await submittedAssessment(app, providerUser.headers);
      assert.equal(filing.provisional, true);
      const browser = await launch(t);

      await withFailureScreenshots(`calendar-${language}`, async () => {
        // The provider sees the due date marked provisional, with the reason.
        const provider = await newActor(browser, { name: 'provider', language });
        await login(provider.page, app.base, providerUser.email, TEST_PASSWORD, /\/provider/);
        await provider.page.goto(`${app.base}/filings/${filing.id}`);
        const due = provider.page.getByTestId('filing-due-date');
        await due.getByTestId('provisional-tag').waitFor();
        await due.getByText(text(catalogue, 'dueDate.provisionalExplain')).waitFor();
        await screenshot(provider.page, 'filing-provisional-due-date');

        // The administrator: the banner on the admin pages, then the calendar page.
        const admin = await newActor(browser, { name: 'admin', language });
        await login(admin.page, app.base, adminUser.email, TEST_PASSWORD, /.*/);
        await admin.page.goto(`${app.base}/admin/organizations`);
        await admin.page
          .getByTestId('calendar-banner')
          .getByText(text(catalogue, 'calendar.missingTitle', { year: NEXT }))
          .waitFor();
        await admin.page.getByTestId('calendar-banner').getByRole('link').click();
        await admin.page.waitForURL(/\/admin\/calendar$/);

        // A mistake first: the notice copied from elsewhere, a holiday without its name.
        const wrong = testCalendarYear(NEXT, {
          source: { ...testCalendarYear(NEXT).source, url: 'https://example.com/notice' },
          offDays: [{ date: `${NEXT}-01-01`, nameZh: '', nameEn: "New Year's Day" }],
        });
        await admin.page.getByTestId('calendar-json').fill(JSON.stringify(wrong, null, 2));
        await admin.page.getByTestId('calendar-check').click();
        const errors = admin.page.getByTestId('calendar-load-errors');
        await errors.waitFor();
        await errors.getByText(text(catalogue, 'calendarLoad.field.url'), { exact: false }).waitFor();
        await errors.getByText(text(catalogue, 'calendarLoad.field.nameZh'), { exact: false }).waitFor();
        assert.doesNotMatch(await errors.innerText(), /\/source\/url|\/offDays\/0/, 'no raw pointer shown');
        await screenshot(admin.page, 'calendar-load-errors');

        // The real one: preview, then confirm.
        await admin.page.getByTestId('calendar-json').fill(JSON.stringify(testCalendarYear(NEXT), null, 2));
        await admin.page.getByTestId('calendar-check').click();
        const preview = admin.page.getByTestId('calendar-preview');
        await preview.waitFor();
        const rows = preview.getByTestId('calendar-preview-deadlines').locator('tbody tr');
        assert.equal(await rows.count(), 1);
        await screenshot(admin.page, 'calendar-load-preview');
        await admin.page.getByTestId('calendar-confirm').click();
        const dialog = admin.page.getByRole('dialog');
        await dialog.getByText(text(catalogue, 'calendarLoad.confirmTitle', { year: NEXT })).waitFor();
        await dialog.getByRole('button', { name: text(catalogue, 'calendarLoad.confirmOk') }).click();
        await admin.page.getByTestId('calendar-loaded').waitFor();
        await settle(admin.page);
        await screenshot(admin.page, 'calendar-loaded');

        // The due date is the official one now: audited, notified, shown without the mark.
        const after = await app.app.inject({
          method: 'GET',
          url: `/api/v1/filings/${filing.id}`,
          headers: providerUser.headers,
        });
        const body = after.json<{ dueDate: string; dueDateProvisional: boolean }>();
        assert.equal(body.dueDateProvisional, false);
        assert.notEqual(body.dueDate, filing.dueDate, 'the test notice takes 1 January off, so the date moves');
        const audit = await app.db
          .selectFrom('audit_events')
          .select(['actor_id'])
          .where('action', '=', 'filing.due_date_recomputed')
          .where('resource_id', '=', filing.id)
          .execute();
        assert.deepEqual(
          audit.map((row) => row.actor_id),
          [adminUser.id],
        );
        const notices = await app.db
          .selectFrom('notifications')
          .select('id')
          .where('kind', '=', 'filing.due_date_recomputed')
          .where('organization_id', '=', providerUser.organizationId)
          .execute();
        assert.equal(notices.length, 1);
        await provider.page.reload();
        await provider.page.getByTestId('filing-due-date').waitFor();
        assert.equal(await provider.page.getByTestId('filing-due-date').getByTestId('provisional-tag').count(), 0);
        assert.deepEqual([...provider.errors, ...admin.errors], []);
      });
    },
  );
}
