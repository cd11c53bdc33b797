// Issue #8, high-risk path end to end in the browser: a provider registers a CV-screening
// product (high risk), files an assessment with a risk assessment report uploaded through the
// page, submits it on the 20-working-day clock; a reviewer claims it, asks for information, the
// provider answers, the reviewer approves with reasons; once the outbox has published the
// decision the public register shows it with its transparency-log index, which the browser
// then verifies against the signed checkpoint.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createOrgMember, createUser, TEST_PASSWORD } from '../factories.ts';
import {
  en,
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
  name: '简历智能筛选系统',
  nameEn: 'CV screening assistant',
  description: '对求职者简历进行解析和打分，按岗位要求推荐进入面试的候选人。',
  intendedUse: '企业招聘部门的初筛环节，最终录用由招聘人员决定。',
  catalogueCode: 'T0402',
  version: '3.2.0',
  // Recruitment and selection is a listed (Annex III) use.
  riskAnswers: {
    domain: 'employment',
    annexIIIUses: ['employment_recruitment'],
    prohibitedPractices: [],
    safetyComponent: false,
    medicalDeviceClass: 'none',
    // Neither profiling nor sensitive information: either would refer the assessment to the
    // ethics committee (API-CONTRACT-2 §3), whose open case holds the approval this flow reaches.
    profilesNaturalPersons: false,
    narrowProceduralTask: false,
    interactsWithPeople: false,
    generatesSyntheticContent: false,
    publicOpinionAttributes: false,
    processesSensitivePersonalInfo: false,
    usersScale: '1k_100k',
  },
};

const REPORT_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
);

test(
  'assessment: high-risk filing, information request, approval, published with its log index',
  { skip },
  async (t) => {
    const app = await startApp(t);
    const { base } = app;
    const questions = await questionnaire(app);
    const { organization, user: providerUser } = await createOrgMember(app, { role: 'org_admin' });
    const reviewerUser = await createUser(app, { roles: ['reviewer'], name: '王审查' });
    const browser = await launch(t);
    await withFailureScreenshots('assessment', async () => {
      const api = async (url: string, headers: Record<string, string> = {}) => {
        const response = await app.app.inject({ method: 'GET', url, headers });
        assert.equal(response.statusCode, 200, `${url}: ${response.body}`);
        return response.json<Record<string, unknown>>();
      };

      // 1. The provider registers a high-risk product.
      const provider = await newActor(browser, { name: 'provider' });
      let page = provider.page;
      await login(page, base, providerUser.email, TEST_PASSWORD, /\/provider$/);
      await page.getByTestId('new-product').click();
      await page.waitForURL(/\/provider\/products\/new$/);
      await fillProductForm(page, questions, PRODUCT);
      await page.getByTestId('preview-tier').click();
      const preview = page.getByTestId('risk-result');
      await preview.waitFor();
      assert.equal(await preview.getAttribute('data-tier'), 'high');
      assert.equal((await preview.getByTestId('tier-tag').innerText()).trim(), text(zh, 'tier.high'));
      assert.ok((await preview.getByTestId('risk-reason').count()) > 0, 'a high tier comes with its reasons');
      await page.getByTestId('product-save').click();
      await page.waitForURL(/\/provider\/products\/[^/]+$/);
      await heading(page, PRODUCT.name).waitFor();
      const productId = page.url().split('/').pop()!;
      assert.equal(await page.locator('main').getByTestId('tier-tag').first().getAttribute('data-tier'), 'high');
      await page.getByText(text(zh, 'tierExplain.high')).waitFor();

      // 2. An assessment draft: incomplete without the report, complete with it.
      const assessment = text(zh, 'filingKind.assessment');
      await page.getByTestId('new-filing').click();
      const modal = page.locator('.ant-modal');
      await modal.getByText(text(zh, 'filing.kindExplain.assessment')).waitFor();
      assert.equal(await modal.getByTestId('filing-transparency').count(), 0);
      await modal
        .getByTestId('filing-summary')
        .fill(
          '简历解析与岗位匹配模型。训练数据为脱敏的历史招聘记录，已做性别、年龄和地域的偏差测试，由人工复核全部淘汰结果。',
        );
      await modal.getByRole('button', { name: text(zh, 'filing.createDraft') }).click();
      await page.waitForURL(/\/filings\/[^/]+$/);
      const filingId = page.url().split('/').pop()!;
      const status = page.getByTestId('filing-status');
      const statusIs = (value: string) => status.and(page.locator(`[data-status="${value}"]`)).waitFor();
      await statusIs('draft');
      await heading(page, text(zh, 'filing.titleFor', { kind: assessment, product: PRODUCT.name })).waitFor();
      await page.getByText(text(zh, 'filing.noDocuments')).waitFor();

      // Submitting without a risk assessment report: the completeness check says so, nothing moves.
      await page.getByTestId('submit-filing').click();
      // A permanent step: the page asks first and says what cannot be undone.
      await page.getByTestId('confirm-submit-ok').click();
      await page.locator('[data-testid="draft-form"] .ant-alert-error').waitFor();
      assert.equal(await status.getAttribute('data-status'), 'draft');
      // The dialog has closed (its fading copy must not take the next confirmation's click).
      await page.getByTestId('confirm-submit-ok').waitFor({ state: 'detached' });

      // Upload the report through the file picker; the document type defaults to the report.
      const upload = page.getByTestId('document-upload');
      assert.equal(await upload.getByText(text(zh, 'documentType.risk_assessment_report')).count(), 1);
      await upload.locator('input[type="file"]').setInputFiles({
        name: '风险评估报告.pdf',
        mimeType: 'application/pdf',
        buffer: REPORT_PDF,
      });
      await page.getByTestId('upload-submit').click();
      await page
        .locator('.ant-message-notice')
        .filter({ hasText: text(zh, 'filing.uploaded') })
        .waitFor();
      const documents = page.getByTestId('filing-documents');
      const documentRow = documents.getByRole('row', { name: /风险评估报告\.pdf/ });
      await documentRow.waitFor();
      assert.match(await documentRow.innerText(), new RegExp(text(zh, 'documentType.risk_assessment_report')));

      await page.getByTestId('submit-filing').click();
      // A permanent step: the page asks first and says what cannot be undone.
      await page.getByTestId('confirm-submit-ok').click();
      await statusIs('submitted');
      assert.equal((await status.innerText()).trim(), text(zh, 'status.submitted'));
      await page
        .locator('.ant-message-notice')
        .filter({ hasText: text(zh, 'filing.submitted') })
        .waitFor();

      // The due date is the 20th working day after the submission (Asia/Shanghai calendar).
      const submitted = await api(`/api/v1/filings/${filingId}`, providerUser.headers);
      assert.equal(submitted.status, 'submitted');
      const submittedOn = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(
        new Date(String(submitted.submittedAt)),
      );
      const expected = await api(`/api/v1/calendar/working-days/add?from=${submittedOn}&days=20`);
      assert.equal(submitted.dueDate, expected.date);
      const dueText = await page.evaluate((date) => {
        const [y, m, d] = date.split('-').map(Number) as [number, number, number];
        return new Intl.DateTimeFormat('zh-CN', { dateStyle: 'medium', timeZone: 'UTC' }).format(
          new Date(Date.UTC(y, m - 1, d)),
        );
      }, String(submitted.dueDate));
      const due = page.getByTestId('filing-due-date');
      await due.filter({ hasText: dueText }).waitFor();

      // 3. A reviewer finds it in the queue and claims it.
      const reviewer = await newActor(browser, { name: 'reviewer' });
      page = reviewer.page;
      await login(page, base, reviewerUser.email, TEST_PASSWORD, /\/review$/);
      await heading(page, text(zh, 'review.queueTitle')).waitFor();
      const queueItem = page.getByTestId('queue-item').filter({ hasText: PRODUCT.name });
      await queueItem.waitFor();
      assert.equal(await queueItem.getByTestId('tier-tag').getAttribute('data-tier'), 'high');
      assert.equal((await queueItem.getByTestId('status-tag').innerText()).trim(), text(zh, 'status.submitted'));
      assert.match(await queueItem.innerText(), new RegExp(dueText));
      assert.match(await queueItem.innerText(), new RegExp(assessment));
      await screenshotBothLanguages(page, 'review-queue', (catalogue) =>
        heading(page, text(catalogue, 'review.queueTitle')).waitFor(),
      );
      await queueItem.getByRole('link', { name: PRODUCT.name }).click();
      await page.waitForURL(new RegExp(`/filings/${filingId}$`));
      const reviewStatus = page.getByTestId('filing-status');
      const reviewStatusIs = (value: string) => reviewStatus.and(page.locator(`[data-status="${value}"]`)).waitFor();
      await reviewStatusIs('submitted');
      await page.getByTestId('filing-documents').getByRole('link', { name: '风险评估报告.pdf' }).waitFor();
      await page.getByTestId('claim-filing').click();
      await reviewStatusIs('under_review');
      assert.equal((await reviewStatus.innerText()).trim(), text(zh, 'status.under_review'));

      // 4. The reviewer asks for more information; the clock stops.
      const question = '请补充说明模型在不同年龄段求职者之间的通过率差异，以及人工复核的抽样比例。';
      await page.getByTestId('information-request').locator('textarea').fill(question);
      await page.getByTestId('information-request-submit').click();
      await reviewStatusIs('information_requested');
      const requests = page.getByTestId('information-requests');
      await requests.getByText(question).waitFor();
      await requests.getByText(text(zh, 'filing.awaitingResponse')).waitFor();
      await page.getByTestId('decision-form').waitFor({ state: 'detached' });

      // 5. The provider sees the request and answers it; the filing is back under review.
      page = provider.page;
      await page.reload();
      await statusIs('information_requested');
      assert.equal((await status.innerText()).trim(), text(zh, 'status.information_requested'));
      const providerRequests = page.getByTestId('information-requests');
      await providerRequests.getByText(question).waitFor();
      const answer =
        '各年龄段通过率差异不超过 3 个百分点（详见报告第 4 节）；人工复核全部淘汰结果，并每周抽检 10% 的通过结果。';
      await page.getByTestId('information-response').locator('textarea').fill(answer);
      await page.getByTestId('information-response-submit').click();
      await statusIs('under_review');
      await providerRequests.getByText(answer).waitFor();
      await providerRequests
        .locator('.ant-alert')
        .filter({ hasText: text(zh, 'filing.respondedAt', { date: '' }) })
        .waitFor();

      // 6. The reviewer reads the answer and approves with reasons and a legal basis.
      page = reviewer.page;
      await page.reload();
      await reviewStatusIs('under_review');
      await page.getByTestId('information-requests').getByText(answer).waitFor();
      await screenshotBothLanguages(page, 'filing-review', (catalogue) =>
        page.getByRole('heading', { name: text(catalogue, 'decision.heading') }).waitFor(),
      );
      const reasons = '风险评估充分：偏差测试覆盖性别、年龄和地域，淘汰结果全部人工复核，补充材料已说明抽检比例。';
      const legalBasis = '《深圳经济特区人工智能产业促进条例》第六章';
      const decisionForm = page.getByTestId('decision-form');
      await decisionForm.getByTestId('decision-outcome-approved').click();
      await decisionForm.getByTestId('decision-reasons').fill(reasons);
      await decisionForm.getByLabel(text(zh, 'decision.legalBasis')).fill(legalBasis);
      await page.getByTestId('decide-submit').click();
      await page.getByTestId('confirm-decision-ok').click();
      await reviewStatusIs('approved');
      assert.equal((await reviewStatus.innerText()).trim(), text(zh, 'status.approved'));
      const decision = page.getByTestId('filing-decision');
      await decision.getByText(reasons).waitFor();
      await decision.getByText(legalBasis).waitFor();
      assert.equal(await page.getByTestId('decision-form').count(), 0);

      // 7. The outbox publishes the decision to the register and the transparency log.
      assert.ok((await app.drain()) > 0, 'the approval left no outbox event to publish');
      const entry = await api(`/api/v1/public/products/${productId}`);
      assert.equal(entry.status, 'approved');
      assert.equal(typeof entry.logIndex, 'number', `no logIndex on the register entry: ${JSON.stringify(entry)}`);
      const logIndex = entry.logIndex as number;

      // The provider's page follows: approved, with the decision.
      page = provider.page;
      await page.reload();
      await statusIs('approved');
      await page.getByTestId('filing-decision').getByText(reasons).waitFor();
      await screenshotBothLanguages(page, 'filing-assessment', (catalogue) =>
        status.filter({ hasText: text(catalogue, 'status.approved') }).waitFor(),
      );

      // 8. The public product page shows the approval with its log index, in both languages.
      const visitor = await newActor(browser, { name: 'visitor' });
      page = visitor.page;
      await page.goto(`${base}/products/${productId}`);
      await heading(page, PRODUCT.name).waitFor();
      const main = page.locator('main');
      assert.equal(await main.getByTestId('tier-tag').first().getAttribute('data-tier'), 'high');
      assert.equal((await main.getByTestId('tier-tag').first().innerText()).trim(), text(zh, 'tier.high'));
      assert.match(await main.innerText(), new RegExp(organization.name));
      // The public history names the outcome, the kind and the log entry. (The register does not
      // publish the reviewer's reasons, although the decision form says they will be public.)
      const history = main.getByTestId('decision-history-item').first();
      await history.waitFor();
      assert.match(await history.innerText(), new RegExp(text(zh, 'status.approved')));
      assert.match(await history.innerText(), new RegExp(assessment));
      assert.match(await history.innerText(), new RegExp(text(zh, 'product.logIndex', { index: logIndex })));
      const logBadge = main.getByTestId('log-index');
      assert.equal(await logBadge.getAttribute('data-log-index'), String(logIndex));
      assert.equal((await logBadge.innerText()).trim(), text(zh, 'product.verifiedInLog', { index: logIndex }));
      assert.match(await main.getByTestId('verify-command').innerText(), new RegExp(`--product ${productId}$`));
      await screenshotBothLanguages(page, 'product-page-assessment', (catalogue) =>
        main.getByText(text(catalogue, 'product.decisionsHeading')).waitFor(),
      );
      await switchLanguage(page, 'en');
      await heading(page, PRODUCT.nameEn).waitFor();
      assert.equal((await logBadge.innerText()).trim(), text(en, 'product.verifiedInLog', { index: logIndex }));
      assert.equal((await main.getByTestId('tier-tag').first().innerText()).trim(), text(en, 'tier.high'));
      assert.match(await history.innerText(), new RegExp(text(en, 'status.approved')));
      assert.match(await history.innerText(), new RegExp(text(en, 'filingKind.assessment')));

      // 9. From there to the transparency page: the browser checks the entry and the signature.
      await main.getByRole('link', { name: text(en, 'product.verifyGuide') }).click();
      await page.waitForURL(new RegExp(`/transparency\\?leaf=${logIndex}$`));
      await heading(page, text(en, 'transparency.title')).waitFor();
      const size = Number(await page.getByTestId('checkpoint-size').innerText());
      assert.ok(size > logIndex, `checkpoint size ${size} does not cover entry #${logIndex}`);
      assert.equal(await page.getByTestId('leaf-index-input').inputValue(), String(logIndex));
      await page.getByTestId('verify-entry').click();
      const inclusion = page.getByTestId('inclusion-result');
      await inclusion.waitFor();
      assert.equal((await inclusion.innerText()).trim(), text(en, 'transparency.included', { index: logIndex, size }));
      await page.getByTestId('verify-signature').click();
      const keyName = String((await api('/api/v1/transparency/public-key')).keyName);
      await page.getByText(text(en, 'transparency.signatureValid', { keyName })).waitFor();
      await screenshotBothLanguages(page, 'transparency', (catalogue) =>
        heading(page, text(catalogue, 'transparency.title')).waitFor(),
      );

      for (const actor of [provider, reviewer, visitor]) assert.deepEqual(actor.errors, []);
    });
  },
);
