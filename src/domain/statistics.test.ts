import { test } from 'node:test';
import assert from 'node:assert/strict';
import { periodDateProblems, periodStatusAt, returnProblems, type StatisticsReturnFigures } from './statistics.ts';

const CODES = new Set(['F01', 'F02', 'T01']);
const valid: StatisticsReturnFigures = {
  district: '440305',
  employees: 100,
  aiEmployees: 100,
  revenue: 500,
  aiRevenue: 500,
  rdExpenditure: 0,
  byCategory: [
    { catalogueCode: 'F01', aiRevenue: 300 },
    { catalogueCode: 'T01', aiRevenue: 200 },
  ],
};

const pointers = (figures: Partial<StatisticsReturnFigures>) =>
  returnProblems({ ...valid, ...figures }, CODES).map((problem) => problem.pointer);

test('a return at the edges (AI share 100 %, categories adding up exactly) is valid; zero AI revenue needs no category', () => {
  assert.deepEqual(pointers({}), []);
  assert.deepEqual(pointers({ aiRevenue: 0, byCategory: [] }), []);
  assert.deepEqual(pointers({ aiRevenue: 0, byCategory: [{ catalogueCode: 'F02', aiRevenue: 0 }] }), []);
});

test('each rule has its pointer, and every problem is reported at once', () => {
  assert.deepEqual(pointers({ district: '440300' }), ['/district']);
  assert.deepEqual(pointers({ aiEmployees: 101 }), ['/aiEmployees']);
  assert.deepEqual(pointers({ revenue: 499 }), ['/aiRevenue']);
  assert.deepEqual(pointers({ revenue: 600, aiRevenue: 501 }), ['/byCategory']);
  assert.deepEqual(
    pointers({
      byCategory: [
        { catalogueCode: 'F01', aiRevenue: 300 },
        { catalogueCode: 'F01', aiRevenue: 200 },
      ],
    }),
    ['/byCategory/1/catalogueCode'],
  );
  assert.deepEqual(
    pointers({
      byCategory: [
        { catalogueCode: 'F0101', aiRevenue: 300 },
        { catalogueCode: 'T01', aiRevenue: 200 },
      ],
    }),
    ['/byCategory/0/catalogueCode'],
  );
  assert.deepEqual(pointers({ district: 'x', aiEmployees: 200, revenue: 1, aiRevenue: 2 }), [
    '/district',
    '/aiEmployees',
    '/aiRevenue',
    '/byCategory',
  ]);
  for (const problem of returnProblems({ ...valid, district: 'x' }, CODES)) {
    assert.ok(problem.message.zh.length > 0 && problem.message.en.length > 0);
  }
});

test('period dates and status: opensOn ≤ dueDate ≤ closesOn; both ends inclusive; published wins', () => {
  assert.deepEqual(periodDateProblems({ opensOn: '2026-01-01', closesOn: '2026-01-01', dueDate: '2026-01-01' }), []);
  assert.deepEqual(
    periodDateProblems({ opensOn: '2026-01-02', closesOn: '2026-01-01', dueDate: '2026-01-03' }).map((p) => p.pointer),
    ['/closesOn', '/dueDate'],
  );
  const period = { opensOn: '2026-03-01', closesOn: '2026-03-31', publishedAt: null };
  assert.equal(periodStatusAt(period, '2026-02-28'), 'scheduled');
  assert.equal(periodStatusAt(period, '2026-03-01'), 'open');
  assert.equal(periodStatusAt(period, '2026-03-31'), 'open');
  assert.equal(periodStatusAt(period, '2026-04-01'), 'closed');
  assert.equal(periodStatusAt({ ...period, publishedAt: '2026-03-10T00:00:00Z' }, '2026-03-10'), 'published');
});
