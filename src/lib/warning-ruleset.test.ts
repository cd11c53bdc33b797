import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WarningRulesetValidationError, validateWarningRuleset } from './warning-ruleset.ts';
import {
  DEFAULT_WARNING_RULESET_DIR,
  loadWarningRuleset,
  loadWarningRulesets,
  readWarningRulesetFile,
} from './warning-ruleset-files.ts';

const ruleset = await loadWarningRuleset('v1');
const RULESET_FILE = path.join(DEFAULT_WARNING_RULESET_DIR, 'ruleset-v1.json');

async function rawRuleset(): Promise<{ rules: Record<string, unknown>[] } & Record<string, unknown>> {
  return JSON.parse(await readFile(RULESET_FILE, 'utf8')) as { rules: Record<string, unknown>[] };
}

function problemsOf(json: unknown): readonly string[] {
  try {
    validateWarningRuleset(json);
  } catch (error) {
    assert.ok(error instanceof WarningRulesetValidationError, String(error));
    return error.problems;
  }
  assert.fail('expected a WarningRulesetValidationError');
}

test('ruleset v1 holds W1–W7 exactly as the contract table, with their levels and who lifts them', () => {
  assert.deepEqual(
    ruleset.rules.map(({ id, on, level, liftedBy }) => [id, on, level, liftedBy]),
    [
      ['W1', 'incident_reported', 'orange', 'reviewer'],
      ['W2', 'incident_reported', 'yellow', 'reviewer'],
      ['W3', 'incident_reported', 'red', 'reviewer'],
      ['W4', 'incident_reported', 'red', 'reviewer'],
      ['W5', 'tracking_report_overdue', 'blue', 'report_submission'],
      ['W6', 'tracking_report_overdue', 'yellow', 'report_submission'],
      ['W7', 'tracking_report_submitted', 'yellow', 'reviewer'],
    ],
  );
  const sources = new Set(ruleset.source.map((citation) => citation.id));
  for (const id of ['shenzhen-ai-regulations', 'shanghai-ai-regulations', 'eu-ai-act']) assert.ok(sources.has(id), id);
  for (const rule of ruleset.rules) {
    assert.ok(rule.refs.includes('shenzhen-ai-regulations'), rule.id);
    assert.ok(rule.basisZh.includes('第六章') && rule.basisEn.includes('chapter 6'), rule.id);
    assert.equal(rule.measuresZh.length, rule.measuresEn.length, rule.id);
  }
  // The incident rules cite Art. 73 where its periods are what the rule is about.
  for (const id of ['W1', 'W2', 'W3']) {
    assert.ok(ruleset.rules.find((rule) => rule.id === id)!.basisEn.includes('Art. 73'), id);
  }
  assert.ok(Object.isFrozen(ruleset) && Object.isFrozen(ruleset.rules[0]!.measuresZh));
});

test('validation reports every problem with its pointer', async () => {
  const json = await rawRuleset();
  const rules = json.rules;
  rules[0] = { ...rules[0], level: 'purple', refs: ['nowhere', 'eu-ai-act', 'eu-ai-act'] };
  rules[1] = { ...rules[1], condition: { eq: { fact: 'colour', value: 'red' } } };
  rules[2] = { ...rules[2], condition: { gt: { fact: 'harms', value: 1 } } };
  rules[3] = { ...rules[3], liftedBy: 'report_submission', reasonEn: 'On {occurredOn}, see {dueDate}.' };
  rules[4] = { ...rules[4], condition: { not: { eq: { fact: 'reportKind', value: 'tracking' } } } };
  rules[5] = { ...rules[5], id: 'W5', measuresEn: ['only one'] };
  rules[6] = { ...rules[6], condition: { in: { fact: 'reportKind', values: ['annual'] } }, extra: 1 };
  const problems = problemsOf(json);
  const expected = [
    '/rules/0/level: must be one of blue, yellow, orange, red (got "purple")',
    '/rules/0/refs/0: "nowhere" is not the id of a source citation',
    '/rules/0/refs/2: "eu-ai-act" is repeated',
    '/rules/1/condition/eq/fact: "colour" is not a fact of incident_reported',
    '/rules/2/condition/gt: "gt" does not apply to harms (a set)',
    "/rules/3/liftedBy: only a tracking_report_overdue rule is lifted by the report's submission",
    '/rules/3/reasonEn: {dueDate} is not a placeholder of incident_reported',
    '/rules/4/condition/not: a tracking_report_overdue rule cannot use "not"',
    '/rules/5/measuresEn: 1 measures, but measuresZh has 2',
    '/rules/5/id: "W5" is repeated',
    '/rules/6/extra: unknown field',
    '/rules/6/condition/in/values/0: "annual" is not one of tracking, monitoring',
  ];
  for (const start of expected) {
    assert.ok(
      problems.some((problem) => problem.startsWith(start)),
      `missing ${start}\n${problems.join('\n')}`,
    );
  }
  assert.equal(problems.length, expected.length, problems.join('\n'));
});

test('validation: shape of the file and of conditions', async () => {
  assert.deepEqual(problemsOf([]), [': a warning ruleset must be a JSON object']);
  assert.deepEqual(problemsOf({ version: 'v 1', source: [], rules: [] }), [
    '/version: must be a non-empty string without spaces (got "v 1")',
    '/source: must be a non-empty array of citations',
    '/rules: must be a non-empty array',
  ]);
  const json = await rawRuleset();
  const base = json.rules[0]!;
  const withCondition = (condition: unknown) => ({ ...json, rules: [{ ...base, condition }] });
  assert.deepEqual(problemsOf(withCondition({ all: [] })), ['/rules/0/condition/all: must be a non-empty array']);
  assert.deepEqual(problemsOf(withCondition({ eq: { fact: 'serious', value: true }, gt: {} })), [
    '/rules/0/condition: must be an object with exactly one operator of all, any, not, eq, in, includes, gt, gte, lt, lte',
  ]);
  assert.deepEqual(problemsOf(withCondition({ eq: { fact: 'serious', value: 'yes' } })), [
    '/rules/0/condition/eq/value: must be true or false',
  ]);
  assert.deepEqual(problemsOf(withCondition({ lte: { fact: 'nearestOtherSeriousIncidentDays', value: '90' } })), [
    '/rules/0/condition/lte/value: must be a finite number',
  ]);
  let deep: unknown = { eq: { fact: 'serious', value: true } };
  for (let i = 0; i < 20; i += 1) deep = { not: deep };
  assert.ok(problemsOf(withCondition(deep)).some((problem) => problem.includes('nested deeper than 16')));
  // An incident rule may use "not" and "lt": only time-driven rules must stay true.
  assert.doesNotThrow(() =>
    validateWarningRuleset(withCondition({ not: { lt: { fact: 'nearestOtherSeriousIncidentDays', value: 5 } } })),
  );
});

test('the loader checks every file and the version in its name', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'aigov-warnings-'));
  try {
    await assert.rejects(loadWarningRulesets(dir), /no ruleset-<version>\.json files/);
    const json = await rawRuleset();
    await writeFile(path.join(dir, 'ruleset-v2.json'), JSON.stringify(json));
    await writeFile(path.join(dir, 'ruleset-v3.json'), '{ not json');
    await writeFile(path.join(dir, 'ruleset-v4.json'), JSON.stringify({ ...json, version: 'v4', rules: [] }));
    await assert.rejects(loadWarningRulesets(dir), (error: unknown) => {
      assert.ok(error instanceof WarningRulesetValidationError);
      assert.deepEqual(
        error.problems.map((problem) => problem.split(':')[0]),
        ['ruleset-v2.json/version', 'ruleset-v3.json', 'ruleset-v4.json/rules'],
      );
      return true;
    });
    await writeFile(path.join(dir, 'ruleset-v1.json'), JSON.stringify(json));
    await assert.rejects(readWarningRulesetFile(path.join(dir, 'ruleset-v3.json')), /not valid JSON/);
    assert.equal((await readWarningRulesetFile(path.join(dir, 'ruleset-v1.json'))).version, 'v1');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  await assert.rejects(loadWarningRuleset('v9'), /no warning ruleset with version "v9"/);
  assert.deepEqual(
    (await loadWarningRulesets()).map(({ version }) => version),
    ['v1'],
  );
});
