import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createOrganization, createUser } from '../factories.ts';
import { failures, trialBody, trialWorld } from './helpers.ts';

test('a healthcare application: 201 draft, readable by the provider, its hosts and regulators only', async (t) => {
  const w = await trialWorld(t);
  const response = await w.inject('POST', '/api/v1/trials', w.provider, trialBody(w));
  assert.equal(response.statusCode, 201, response.body);
  const trial = response.json();
  assert.equal(trial.status, 'draft');
  assert.equal(trial.kind, 'healthcare');
  assert.equal(trial.enrolled, 0);
  assert.equal(trial.ethicsOpinion, null);
  assert.deepEqual(trial.hostOrganizationIds, [w.hostA.id, w.hostB.id]);
  assert.equal(trial.siteReviews.length, 2);
  assert.equal(response.headers.location, `/api/v1/trials/${trial.id}`);
  for (const reader of [w.provider, w.hostA.member, w.hostB.admin, w.reviewer]) {
    const read = await w.inject('GET', `/api/v1/trials/${trial.id}`, reader);
    assert.equal(read.statusCode, 200, read.body);
    assert.equal(read.json().id, trial.id);
  }
  assert.equal((await w.inject('GET', `/api/v1/trials/${trial.id}`, w.stranger)).statusCode, 404);
  assert.equal((await w.inject('GET', `/api/v1/trials/${trial.id}`)).statusCode, 401);
  // Lists: the provider's and each host's include it; a stranger's does not.
  const ids = async (user: typeof w.provider) =>
    (await w.inject('GET', '/api/v1/trials', user))
      .json<{ items: { id: string }[] }>()
      .items.map((item: { id: string }) => item.id);
  assert.deepEqual(await ids(w.provider), [trial.id]);
  assert.deepEqual(await ids(w.hostB.member), [trial.id]);
  assert.deepEqual(await ids(w.reviewer), [trial.id]);
  assert.deepEqual(await ids(w.stranger), []);
  const audit = await w.t.db.selectFrom('audit_events').select('action').where('resource_id', '=', trial.id).execute();
  assert.deepEqual(
    audit.map((row) => row.action),
    ['trial.created'],
  );
});

test('eligibility: each rule alone, with its code and pointer, nothing stored', async (t) => {
  const w = await trialWorld(t);
  const medium = await w.createProduct('medium');
  const cases: [string, Record<string, unknown>, string[]][] = [
    ['tier', { productId: medium }, ['/productId tier_not_eligible']],
    ['start in the past', { startDate: '2026-03-01', endDate: '2026-06-30' }, ['/startDate start_in_past']],
    ['184 days', { startDate: '2026-04-01', endDate: '2026-10-02' }, ['/endDate duration_too_long']],
    ['end before start', { startDate: '2026-04-01', endDate: '2026-03-31' }, ['/endDate end_before_start']],
    [
      'pilot without a standard',
      { kind: 'pilot', internationalStandards: [] },
      ['/internationalStandards international_standard_required'],
    ],
    [
      'pilot where a national standard applies',
      { kind: 'pilot', noApplicableNationalStandard: false },
      ['/noApplicableNationalStandard international_standard_required'],
    ],
    [
      'healthcare hosted by an enterprise',
      { hostOrganizationIds: [w.hostA.id, w.enterprise.id] },
      ['/hostOrganizationIds/1 host_not_medical_institution'],
    ],
    ['healthcare over 500', { maxParticipants: 501 }, ['/maxParticipants participant_cap_too_high']],
  ];
  const before = await w.snapshot();
  for (const [name, overrides, expected] of cases) {
    const response = await w.inject('POST', '/api/v1/trials', w.provider, trialBody(w, overrides));
    assert.equal(response.statusCode, 422, `${name}: ${response.body}`);
    assert.equal(response.json().code, 'trial_not_eligible', name);
    assert.deepEqual(failures(response), expected, name);
    assert.match(response.headers['content-type'] as string, /application\/problem\+json/);
  }
  assert.deepEqual(await w.snapshot(), before);
  // The boundaries pass: exactly 183 days, 500 participants, start today.
  await w.draft({ startDate: '2026-03-02', endDate: '2026-09-01', maxParticipants: 500 });
  // A pilot may be hosted by any verified organisation and has no participant cap of 500.
  await w.draft({ kind: 'pilot', hostOrganizationIds: [w.enterprise.id], maxParticipants: 5000 });
  // Healthcare needs no standard and no declaration.
  await w.draft({ internationalStandards: [], noApplicableNationalStandard: false });
});

test('eligibility: every failure at once in one 422', async (t) => {
  const w = await trialWorld(t);
  const medium = await w.createProduct('medium');
  const pending = await createOrganization(w.t, { type: 'medical_institution', status: 'pending' });
  const healthcare = await w.inject(
    'POST',
    '/api/v1/trials',
    w.provider,
    trialBody(w, {
      productId: medium,
      startDate: '2026-02-01',
      endDate: '2026-12-31',
      hostOrganizationIds: [w.enterprise.id, w.hostA.id, pending.id],
      maxParticipants: 900,
    }),
  );
  assert.equal(healthcare.statusCode, 422);
  assert.deepEqual(failures(healthcare), [
    '/productId tier_not_eligible',
    '/startDate start_in_past',
    '/endDate duration_too_long',
    '/hostOrganizationIds/0 host_not_medical_institution',
    '/hostOrganizationIds/2 host_not_medical_institution',
    '/maxParticipants participant_cap_too_high',
  ]);
  const messages = healthcare.json<{ errors: { message: string }[] }>().errors.map((e) => e.message);
  assert.ok(
    messages.every((m: string) => /[\u4e00-\u9fff]/.test(m)),
    'Chinese by default',
  );
  const pilot = await w.inject(
    'POST',
    '/api/v1/trials',
    w.provider,
    trialBody(w, {
      kind: 'pilot',
      productId: medium,
      internationalStandards: [],
      noApplicableNationalStandard: false,
    }),
    { 'accept-language': 'en' },
  );
  assert.equal(pilot.statusCode, 422);
  assert.deepEqual(failures(pilot), [
    '/productId tier_not_eligible',
    '/internationalStandards international_standard_required',
    '/noApplicableNationalStandard international_standard_required',
  ]);
  assert.match(pilot.json<{ errors: { message: string }[] }>().errors[0]!.message, /low-risk/);
  assert.equal((await w.t.db.selectFrom('trials').select('id').execute()).length, 0);
});

test('bad input: 400 with pointers, unknown objects, wrong actors; nothing stored', async (t) => {
  const w = await trialWorld(t);
  const before = await w.snapshot();
  const bad: [Record<string, unknown>, string][] = [
    [{ kind: 'research' }, '/kind'],
    [{ hostOrganizationIds: [] }, '/hostOrganizationIds'],
    [{ hostOrganizationIds: Array.from({ length: 6 }, () => w.hostA.id) }, '/hostOrganizationIds'],
    [{ maxParticipants: 0 }, '/maxParticipants'],
    [{ startDate: '2026-02-30' }, '/startDate'],
    [{ title: 'a\u202Eb' }, '/title'],
    [{ extra: true }, ''],
  ];
  for (const [overrides, pointer] of bad) {
    const response = await w.inject('POST', '/api/v1/trials', w.provider, trialBody(w, overrides));
    assert.equal(response.statusCode, 400, `${JSON.stringify(overrides)}: ${response.body}`);
    if (pointer !== '') {
      const pointers = response.json<{ errors: { pointer: string }[] }>().errors.map((e) => e.pointer);
      assert.ok(
        pointers.some((p) => p.startsWith(pointer)),
        `${pointer} in ${pointers.join(', ')}`,
      );
    }
  }
  const unknownHost = await w.inject(
    'POST',
    '/api/v1/trials',
    w.provider,
    trialBody(w, { hostOrganizationIds: [w.hostA.id, '0190a000-0000-7000-8000-000000000000'] }),
  );
  assert.equal(unknownHost.statusCode, 422);
  assert.equal(unknownHost.json().code, 'unknown_organization');
  assert.deepEqual(failures(unknownHost), ['/hostOrganizationIds/1']);
  // Someone else's product looks missing; an unknown one is missing.
  const foreign = await w.inject('POST', '/api/v1/trials', w.stranger, trialBody(w));
  assert.equal(foreign.statusCode, 422);
  assert.equal(foreign.json().code, 'unknown_product');
  assert.equal(
    (
      await w.inject(
        'POST',
        '/api/v1/trials',
        w.provider,
        trialBody(w, { productId: '0190a000-0000-7000-8000-000000000000' }),
      )
    ).statusCode,
    422,
  );
  // Regulators do not apply; an unverified organisation is told why.
  assert.equal((await w.inject('POST', '/api/v1/trials', w.reviewer, trialBody(w))).statusCode, 403);
  const unverified = await createOrganization(w.t, { status: 'pending' });
  const member = await createUser(w.t, { roles: ['org_member'], organizationId: unverified.id });
  const refused = await w.inject('POST', '/api/v1/trials', member, trialBody(w));
  assert.equal(refused.statusCode, 403);
  assert.equal(refused.json().code, 'organization_not_verified');
  assert.deepEqual(await w.snapshot(), before);
});
