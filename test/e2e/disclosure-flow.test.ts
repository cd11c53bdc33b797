// Issue #8, low-risk path end to end in the browser: an organisation registers, a regulator
// admin verifies it, the provider registers a low-risk product with a Chinese name, files a
// disclosure that is accepted at once, and after the outbox has published the decision an
// anonymous visitor finds the product by a Chinese search, in Chinese and in English.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createUser, randomUscc, TEST_PASSWORD } from '../factories.ts';
import {
  en,
  exactly,
  fillProductForm,
  heading,
  launch,
  withFailureScreenshots,
  login,
  newActor,
  questionnaire,
  screenshotBothLanguages,
  skip,
  startApp,
  switchLanguage,
  text,
  zh,
  type ProductInput,
} from './helpers.ts';

const PRODUCT: ProductInput = {
  name: '工业视觉缺陷检测系统',
  nameEn: 'Industrial visual defect inspection system',
  description: '在生产线上用工业相机拍摄零部件，由深度学习模型识别划痕、裂纹和缺料等外观缺陷。',
  intendedUse: '电子制造工厂的出厂质检，检测结果由质检员复核，不涉及个人信息。',
  catalogueCode: 'T0202',
  version: '1.0',
  // An industrial inspection model: no listed use, no interaction with people, no synthetic
  // content, no public-opinion attributes → low risk.
  riskAnswers: {
    domain: 'industrial',
    annexIIIUses: [],
    prohibitedPractices: [],
    safetyComponent: false,
    medicalDeviceClass: 'none',
    profilesNaturalPersons: false,
    narrowProceduralTask: false,
    interactsWithPeople: false,
    generatesSyntheticContent: false,
    publicOpinionAttributes: false,
    processesSensitivePersonalInfo: false,
    usersScale: 'lt1k',
  },
};

test(
  'disclosure: register, verify, low-risk product, accepted disclosure, found by a Chinese search',
  { skip },
  async (t) => {
    const app = await startApp(t);
    const { base } = app;
    const questions = await questionnaire(app);
    const admin = await createUser(app, { roles: ['regulator_admin'] });
    const browser = await launch(t);
    await withFailureScreenshots('disclosure', async () => {
      const uscc = randomUscc();
      const orgName = `深圳智检科技有限公司 ${uscc.slice(-4)}`;
      const email = `zhang-${uscc.slice(-6).toLowerCase()}@example.cn`;
      const password = 'Blue-harbour-lantern-42';

      // 1. The provider registers its organisation.
      const provider = await newActor(browser, { name: 'provider' });
      let page = provider.page;
      await page.goto(`${base}/register`);
      await heading(page, text(zh, 'registration.title')).waitFor();
      await page.getByLabel(text(zh, 'registration.orgName')).fill(orgName);
      await page.getByLabel(text(zh, 'registration.orgNameEn')).fill('Shenzhen Smart Inspection Technology Co., Ltd.');
      await page.getByTestId('registration-uscc').fill(uscc);
      await page.getByLabel(text(zh, 'registration.adminName')).fill('张伟');
      await page.getByLabel(text(zh, 'auth.email')).fill(email);
      await page.getByLabel(text(zh, 'auth.password'), { exact: true }).fill(password);
      await page.getByLabel(text(zh, 'registration.confirmPassword')).fill(password);
      await page.getByTestId('registration-submit').click();
      const done = page.getByTestId('registration-done');
      await done.waitFor();
      assert.match(await done.innerText(), new RegExp(text(zh, 'registration.doneTitle')));

      // An unverified organisation cannot file yet: its admin can log in, but only to wait — every
      // page says so, and the product form is not offered (issue #19 item 7).
      await login(page, base, email, password, /\/provider$/);
      const banner = page.getByTestId('organization-status-banner');
      await banner.waitFor();
      assert.equal(await banner.getAttribute('data-status'), 'pending');
      assert.equal(await page.getByTestId('new-product').isDisabled(), true);
      await page.goto(`${base}/provider/products/new`);
      await page.getByTestId('product-form-unverified').waitFor();
      await page.goto(`${base}/self-check`);
      await banner.waitFor();
      await page.getByTestId('logout-button').click();
      await page.getByTestId('login-link').waitFor();
      // 2. A regulator admin verifies it.
      const regulator = await newActor(browser, { name: 'regulator' });
      await login(regulator.page, base, admin.email, TEST_PASSWORD, /\/admin\/organizations$/);
      page = regulator.page;
      await heading(page, text(zh, 'organizations.title')).waitFor();
      const row = page.getByRole('row', { name: new RegExp(uscc) });
      await row.waitFor();
      assert.match(await row.innerText(), new RegExp(orgName));
      assert.equal(await row.getByTestId('status-tag').getAttribute('data-status'), 'pending');
      assert.equal((await row.getByTestId('status-tag').innerText()).trim(), text(zh, 'organizationStatus.pending'));
      await screenshotBothLanguages(page, 'admin-organizations', (catalogue) =>
        heading(page, text(catalogue, 'organizations.title')).waitFor(),
      );
      await row.getByTestId('verify-organization').click();
      await page.getByTestId('confirm-verify-ok').click();
      await page
        .locator('.ant-message-notice')
        .filter({ hasText: text(zh, 'organizations.verified') })
        .waitFor();
      await row.waitFor({ state: 'detached' });
      // Under "verified" the organisation is listed with its new status.
      await page
        .locator('.ant-segmented-item')
        .filter({ hasText: exactly(text(zh, 'organizationStatus.verified')) })
        .click();
      const verifiedRow = page.getByRole('row', { name: new RegExp(uscc) });
      await verifiedRow.waitFor();
      assert.equal(await verifiedRow.getByTestId('status-tag').getAttribute('data-status'), 'verified');

      // 3. The provider logs in and registers a low-risk product through the form.
      await login(provider.page, base, email, password, /\/provider$/);
      page = provider.page;
      await heading(page, text(zh, 'provider.title')).waitFor();
      await page.getByText(text(zh, 'provider.noProducts')).first().waitFor();
      await page.getByTestId('new-product').click();
      await page.waitForURL(/\/provider\/products\/new$/);
      await heading(page, text(zh, 'productForm.newTitle')).waitFor();
      await fillProductForm(page, questions, PRODUCT);
      await page.getByTestId('preview-tier').click();
      const preview = page.getByTestId('risk-result');
      await preview.waitFor();
      assert.equal(await preview.getAttribute('data-tier'), 'low');
      assert.equal((await preview.getByTestId('tier-tag').innerText()).trim(), text(zh, 'tier.low'));
      await page.getByTestId('product-save').click();
      await page.waitForURL(/\/provider\/products\/[^/]+$/);
      await heading(page, PRODUCT.name).waitFor();
      await page
        .locator('.ant-message-notice')
        .filter({ hasText: text(zh, 'productForm.created') })
        .waitFor();
      const productId = page.url().split('/').pop()!;
      const tierTag = page.locator('main').getByTestId('tier-tag').first();
      assert.equal(await tierTag.getAttribute('data-tier'), 'low');
      assert.equal((await tierTag.innerText()).trim(), text(zh, 'tier.low'));
      await page.getByText(text(zh, 'tierExplain.low')).waitFor();

      // 4. A disclosure: draft, then submit; the completeness check accepts it at once.
      const newFiling = page.getByTestId('new-filing');
      const disclosure = text(zh, 'filingKind.disclosure');
      assert.equal((await newFiling.innerText()).replace(/\s/g, ''), text(zh, 'filing.new', { kind: disclosure }));
      await newFiling.click();
      const modal = page.locator('.ant-modal');
      await modal
        .locator('.ant-modal-title')
        .filter({ hasText: text(zh, 'filing.newTitle', { kind: disclosure }) })
        .waitFor();
      await modal
        .getByTestId('filing-summary')
        .fill('基于深度学习的零部件外观缺陷检测，训练数据为本厂历史质检图像，不含人脸或个人信息。');
      await modal.getByRole('button', { name: text(zh, 'filing.createDraft') }).click();
      await page.waitForURL(/\/filings\/[^/]+$/);
      const filingId = page.url().split('/').pop()!;
      const status = page.getByTestId('filing-status');
      await status.and(page.locator('[data-status="draft"]')).waitFor();
      assert.equal((await status.innerText()).trim(), text(zh, 'status.draft'));
      await heading(page, text(zh, 'filing.titleFor', { kind: disclosure, product: PRODUCT.name })).waitFor();
      await page.getByText(text(zh, 'filing.submitExplain.disclosure')).waitFor();
      await page.getByTestId('submit-filing').click();
      // A permanent step: the page asks first and says what cannot be undone.
      await page.getByTestId('confirm-submit-ok').click();
      await status.and(page.locator('[data-status="accepted"]')).waitFor();
      assert.equal((await status.innerText()).trim(), text(zh, 'status.accepted'));
      await page
        .locator('.ant-message-notice')
        .filter({ hasText: text(zh, 'filing.submitted') })
        .waitFor();
      await screenshotBothLanguages(page, 'filing-disclosure', (catalogue) =>
        status.filter({ hasText: text(catalogue, 'status.accepted') }).waitFor(),
      );

      // The API agrees: accepted, and the product is public after the outbox has run.
      const filing = await app.app.inject({
        method: 'GET',
        url: `/api/v1/filings/${filingId}`,
        headers: admin.headers,
      });
      assert.equal(filing.statusCode, 200, filing.body);
      assert.equal(filing.json<{ status: string }>().status, 'accepted');
      assert.ok((await app.drain()) > 0, 'the acceptance left no outbox event to publish');

      await page.goto(`${base}/provider`);
      const products = page.getByTestId('provider-products');
      await products.getByRole('link', { name: PRODUCT.name }).waitFor();
      const filings = page.getByTestId('provider-filings');
      await filings.getByTestId('status-tag').and(page.locator('[data-status="accepted"]')).waitFor();
      await screenshotBothLanguages(page, 'provider-dashboard', (catalogue) =>
        heading(page, text(catalogue, 'provider.title')).waitFor(),
      );

      // 5. An anonymous visitor finds it from the home page by a Chinese search.
      const visitor = await newActor(browser, { name: 'visitor' });
      page = visitor.page;
      await page.goto(`${base}/`);
      await heading(page, text(zh, 'home.title')).waitFor();
      await page.getByTestId('result-item').filter({ hasText: PRODUCT.name }).waitFor();
      await screenshotBothLanguages(page, 'home', (catalogue) =>
        heading(page, text(catalogue, 'home.title')).waitFor(),
      );

      await page.getByTestId('search-input').fill('缺陷检测');
      await page.getByTestId('search-submit').click();
      await page.waitForURL(/\/search\?q=/);
      assert.equal(new URL(page.url()).searchParams.get('q'), '缺陷检测');
      await heading(page, text(zh, 'search.titleFor', { q: '缺陷检测' })).waitFor();
      const count = page.getByTestId('result-count');
      await count.filter({ hasText: text(zh, 'search.totalCount', { count: 1 }) }).waitFor();
      const item = page.getByTestId('result-item').filter({ hasText: PRODUCT.name });
      await item.waitFor();
      assert.equal(await item.getAttribute('data-product-id'), productId);
      assert.equal((await item.getByTestId('result-link').innerText()).trim(), PRODUCT.name);
      assert.equal((await item.getByTestId('tier-tag').innerText()).trim(), text(zh, 'tier.low'));
      assert.equal((await item.getByTestId('status-tag').innerText()).trim(), text(zh, 'status.accepted'));
      assert.match(await item.innerText(), new RegExp(orgName));
      assert.match(await item.innerText(), new RegExp(uscc));
      const logIndex = await item.getByTestId('log-index').getAttribute('data-log-index');
      assert.match(logIndex ?? '', /^\d+$/);
      assert.equal(
        (await item.getByTestId('log-index').innerText()).trim(),
        text(zh, 'product.logIndex', { index: Number(logIndex) }),
      );
      await screenshotBothLanguages(page, 'search-results', (catalogue) =>
        count.filter({ hasText: text(catalogue, 'search.totalCount', { count: 1 }) }).waitFor(),
      );

      // The same results in English: labels, the English name first, the Chinese one beside it.
      await switchLanguage(page, 'en');
      await heading(page, text(en, 'search.titleFor', { q: '缺陷检测' })).waitFor();
      await count.filter({ hasText: text(en, 'search.totalCount', { count: 1 }) }).waitFor();
      assert.equal((await item.getByTestId('result-link').innerText()).trim(), PRODUCT.nameEn);
      assert.equal((await item.getByTestId('tier-tag').innerText()).trim(), text(en, 'tier.low'));
      assert.equal((await item.getByTestId('status-tag').innerText()).trim(), text(en, 'status.accepted'));
      assert.equal(
        (await item.getByTestId('log-index').innerText()).trim(),
        text(en, 'product.logIndex', { index: Number(logIndex) }),
      );
      assert.match(await item.innerText(), new RegExp(PRODUCT.name));
      assert.equal((await page.getByTestId('search-submit').innerText()).trim(), text(en, 'search.submit'));

      // An English query finds it too.
      await page.getByTestId('search-input').fill('defect inspection');
      await page.getByTestId('search-submit').click();
      await heading(page, text(en, 'search.titleFor', { q: 'defect inspection' })).waitFor();
      await page.getByTestId('result-item').filter({ hasText: PRODUCT.nameEn }).waitFor();

      // 6. The register entry, in English then Chinese.
      await page.getByTestId('result-link').filter({ hasText: PRODUCT.nameEn }).click();
      await page.waitForURL(new RegExp(`/products/${productId}$`));
      await heading(page, PRODUCT.nameEn).waitFor();
      const main = page.locator('main');
      await main.getByText(text(en, 'product.decisionsHeading')).waitFor();
      await main.getByText(text(en, 'tierExplain.low')).waitFor();
      const history = main.getByTestId('decision-history-item');
      await history.first().waitFor();
      assert.match(await history.first().innerText(), new RegExp(text(en, 'filingKind.disclosure')));
      assert.match(await history.first().innerText(), new RegExp(text(en, 'status.accepted')));
      const entryLog = main.getByTestId('log-index');
      assert.equal(await entryLog.getAttribute('data-log-index'), logIndex);
      assert.equal((await entryLog.innerText()).trim(), text(en, 'product.verifiedInLog', { index: Number(logIndex) }));
      await screenshotBothLanguages(page, 'product-page-disclosure', (catalogue) =>
        main.getByText(text(catalogue, 'product.decisionsHeading')).waitFor(),
      );
      await switchLanguage(page, 'zh-CN');
      await heading(page, PRODUCT.name).waitFor();
      assert.equal((await entryLog.innerText()).trim(), text(zh, 'product.verifiedInLog', { index: Number(logIndex) }));
      assert.match(await main.getByTestId('decision-history-item').first().innerText(), new RegExp(disclosure));

      for (const actor of [provider, regulator, visitor]) assert.deepEqual(actor.errors, []);
    });
  },
);
