import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createOrgMember, createUser, TEST_PASSWORD } from '../factories.ts';
import { withWorkingDayCalendar } from '../../src/modules/calendar/index.ts';
import { referTrialIfTriggered } from '../../src/modules/ethics/index.ts';
import { newId } from '../../src/platform/ids.ts';
import { en, heading, launch, login, newActor, skip, startApp, text, withFailureScreenshots, zh } from './helpers.ts';

test(
  'ethics: members declare and vote (zh), the secretary publishes (en), the public page shows the opinion',
  { skip },
  async (t) => {
    const app = await startApp(t);
    const { base, deps } = app;
    const { organization } = await createOrgMember(app, { role: 'org_admin' });
    const members = [
      await createUser(app, { roles: ['ethics_member'], name: '李委员' }),
      await createUser(app, { roles: ['ethics_member'], name: '张委员' }),
      await createUser(app, { roles: ['ethics_member'], name: '陈委员' }),
    ];
    const secretary = await createUser(app, { roles: ['ethics_secretary'], name: '周秘书' });
    // A healthcare trial's case, opened as the trials module does when the trial is submitted.
    const opened = await withWorkingDayCalendar(deps, (calendar) =>
      deps.db.transaction().execute((trx) =>
        referTrialIfTriggered(
          { trx, calendar, clock: deps.clock, audit: { principal: { kind: 'anonymous' }, clock: deps.clock } },
          {
            id: newId(),
            organizationId: organization.id,
            kind: 'healthcare',
            title: '糖尿病视网膜病变筛查试用',
            titleEn: 'Diabetic retinopathy screening trial',
          },
        ),
      ),
    );
    const caseId = opened!.id;
    const browser = await launch(t);
    await withFailureScreenshots('ethics', async () => {
      // 1. Two members through the API, the third through the UI in Chinese.
      for (const member of members.slice(1)) {
        for (const [path, body] of [
          ['declarations', { conflictOfInterest: false, statement: '无利益关系' }],
          ['votes', { vote: 'favourable', comment: '同意' }],
        ] as const) {
          const response = await app.app.inject({
            method: 'POST',
            url: `/api/v1/ethics/cases/${caseId}/${path}`,
            headers: member.headers,
            payload: body,
          });
          assert.equal(response.statusCode, 201, response.body);
        }
      }
      const member = await newActor(browser, { name: 'member', language: 'zh-CN' });
      let page = member.page;
      await login(page, base, members[0]!.email, TEST_PASSWORD, /\/ethics$/);
      await heading(page, text(zh, 'ethics.casesTitle')).waitFor();
      await page.getByTestId('ethics-cases').getByRole('link', { name: '糖尿病视网膜病变筛查试用' }).click();
      await page.waitForURL(new RegExp(`/ethics/cases/${caseId}$`));
      // The ballot appears only after the declaration.
      assert.equal(await page.getByTestId('ballot').count(), 0);
      await page.getByTestId('conflict-no').click();
      await page.getByTestId('declaration-statement').fill('本人与申请人及试用机构无利益关系');
      await page.getByTestId('declare-submit').click();
      await page.getByTestId('ballot').waitFor();
      await page.getByTestId('vote-favourable_with_conditions').click();
      await page.getByTestId('vote-comment').fill('须每月报告不良事件');
      await page.getByTestId('vote-submit').click();
      await page
        .getByTestId('my-vote')
        .filter({ hasText: text(zh, 'ethics.youVoted', { vote: text(zh, 'ethics.vote.favourable_with_conditions') }) })
        .waitFor();
      // Who voted, never how.
      const voters = page.getByTestId('voters');
      await voters.getByText('张委员', { exact: false }).waitFor();
      assert.ok(!(await voters.innerText()).includes(text(zh, 'ethics.vote.favourable')));

      // 2. The secretary publishes, in English.
      const sec = await newActor(browser, { name: 'secretary', language: 'en' });
      page = sec.page;
      await login(page, base, secretary.email, TEST_PASSWORD, /\/ethics$/);
      await page.goto(`${base}/ethics/cases/${caseId}`);
      await page.getByTestId('opinion-form').waitFor();
      await page
        .getByTestId('tally-progress')
        .filter({ hasText: text(en, 'ethics.tallyProgress', { cast: 3, required: 3, eligible: 3 }) })
        .waitFor();
      await page.getByTestId('opinion-summary-input').fill('The committee finds the trial protocol sound.');
      await page.getByTestId('opinion-conditions-input').fill('Report adverse events monthly');
      await page.getByTestId('opinion-submit').click();
      await page.getByTestId('opinion').waitFor();
      await page
        .getByTestId('ethics-outcome')
        .first()
        .filter({ hasText: text(en, 'ethics.outcome.favourable_with_conditions') })
        .waitFor();

      // 3. The public page, in both languages, without member names.
      for (const [language, catalogue] of [
        ['zh-CN', zh],
        ['en', en],
      ] as const) {
        const visitor = await newActor(browser, { name: `public-${language}`, language });
        await visitor.page.goto(`${base}/ethics-opinions`);
        await heading(visitor.page, text(catalogue, 'ethics.publicTitle')).waitFor();
        const opinion = visitor.page.getByTestId('public-opinion');
        await opinion.getByText('The committee finds the trial protocol sound.').waitFor();
        await opinion.getByText('Report adverse events monthly').waitFor();
        const body = await visitor.page.locator('main').innerText();
        for (const name of ['李委员', '张委员', '陈委员', '周秘书']) assert.ok(!body.includes(name), name);
      }
    });
  },
);
