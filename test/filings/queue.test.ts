import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filingWorld, itemIds, submitted } from './helpers.ts';

interface QueueItem {
  id: string;
  status: string;
  dueDate: string;
  workingDaysLeft: number | null;
  overdue: boolean;
  product: { id: string; name: string; tier: string };
  organization: { id: string; name: string };
}

test('the review queue puts overdue filings first, freezes the clock while information is requested, and pages', async (t) => {
  // Monday 2 March 2026, 10:00 Shanghai.
  const world = await filingWorld(t);
  const a = await submitted(world);
  assert.equal(a.dueDate, '2026-03-30');
  assert.equal(
    (await world.inject('POST', `/api/v1/filings/${a.filingId}/assignment`, world.reviewer, {})).statusCode,
    200,
  );

  await world.travel('2026-03-03T02:00:00Z');
  const asked = await world.inject('POST', `/api/v1/filings/${a.filingId}/information-requests`, world.reviewer, {
    message: '请补充',
  });
  assert.equal(asked.statusCode, 200, asked.body);
  const b = await submitted(world);
  assert.equal(b.dueDate, '2026-03-31');

  await world.travel('2026-03-10T02:00:00Z');
  const c = await submitted(world);
  // Across Qingming (4–6 April 2026).
  assert.equal(c.dueDate, '2026-04-08');

  // Thursday 2 April: B is overdue; A's clock has stood still since 3 March.
  await world.travel('2026-04-02T02:00:00Z');
  const queue = await world.inject('GET', '/api/v1/review/queue', world.reviewer);
  assert.equal(queue.statusCode, 200, queue.body);
  const items = queue.json<{ items: QueueItem[] }>().items;
  assert.deepEqual(
    items.map((item) => item.id),
    [b.filingId, a.filingId, c.filingId],
  );
  const [overdue, stopped, running] = items as [QueueItem, QueueItem, QueueItem];
  assert.equal(overdue.overdue, true);
  assert.equal(overdue.workingDaysLeft, -2);
  assert.equal(stopped.status, 'information_requested');
  assert.equal(stopped.overdue, false);
  assert.equal(stopped.workingDaysLeft, 19);
  assert.equal(running.overdue, false);
  assert.equal(running.workingDaysLeft, 3);
  assert.equal(running.product.id, c.productId);
  assert.equal(running.product.tier, 'high');
  assert.equal(running.organization.id, world.organizationId);

  // Paging walks the same order.
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await world.inject(
      'GET',
      `/api/v1/review/queue?limit=1${cursor === null ? '' : `&cursor=${cursor}`}`,
      world.reviewer,
    );
    assert.equal(page.statusCode, 200, page.body);
    seen.push(...itemIds(page));
    cursor = page.json<{ nextCursor: string | null }>().nextCursor;
  } while (cursor !== null);
  assert.deepEqual(seen, [b.filingId, a.filingId, c.filingId]);

  assert.deepEqual(itemIds(await world.inject('GET', '/api/v1/review/queue?assignee=me', world.reviewer)), [
    a.filingId,
  ]);
  assert.deepEqual(itemIds(await world.inject('GET', '/api/v1/review/queue?assignee=unassigned', world.reviewer)), [
    b.filingId,
    c.filingId,
  ]);
  assert.deepEqual(
    itemIds(await world.inject('GET', '/api/v1/review/queue?status=information_requested', world.reviewer)),
    [a.filingId],
  );
  assert.equal((await world.inject('GET', '/api/v1/review/queue', world.provider)).statusCode, 403);
  assert.equal((await world.inject('GET', '/api/v1/review/queue', world.admin)).statusCode, 403);
  assert.equal((await world.inject('GET', '/api/v1/review/queue')).statusCode, 401);
  assert.equal((await world.inject('GET', '/api/v1/review/queue?cursor=abc', world.reviewer)).statusCode, 400);

  // The answer on 2 April gives back the 22 working days the request stayed open (4 Mar – 2 Apr).
  const answered = await world.inject('POST', `/api/v1/filings/${a.filingId}/information-responses`, world.provider, {
    message: '已补充',
  });
  assert.equal(answered.statusCode, 200, answered.body);
  assert.equal(answered.json().stoppedWorkingDays, 22);
  assert.equal(answered.json().dueDate, '2026-04-30');
  const after = (await world.inject('GET', '/api/v1/review/queue', world.reviewer)).json<{ items: QueueItem[] }>()
    .items;
  const resumed = after.find((item) => item.id === a.filingId)!;
  assert.equal(resumed.workingDaysLeft, 19);
  assert.equal(resumed.overdue, false);
});
