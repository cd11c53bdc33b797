import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createUser } from '../factories.ts';
import { filingWorld, itemIds, submitted, underReview } from './helpers.ts';

interface NotificationPage {
  items: Array<{
    id: string;
    kind: string;
    titleZh: string;
    titleEn: string;
    link: string | null;
    readAt: string | null;
  }>;
  nextCursor: string | null;
}

test('notifications reach the provider organisation and the reviewers; each reader marks their own as read', async (t) => {
  const world = await filingWorld(t);
  const otherReviewer = await createUser(world.t, { roles: ['reviewer'] });
  const { filingId } = await underReview(world);
  await world.inject('POST', `/api/v1/filings/${filingId}/information-requests`, world.reviewer, {
    message: '请补充说明',
  });

  assert.equal((await world.inject('GET', '/api/v1/notifications')).statusCode, 401);

  const provider = (await world.inject('GET', '/api/v1/notifications', world.provider)).json<NotificationPage>();
  assert.deepEqual(
    provider.items.map((item) => item.kind),
    ['filing.information_requested'],
  );
  assert.equal(provider.items[0]!.link, `/filings/${filingId}`);
  assert.ok(provider.items[0]!.titleZh.length > 0 && provider.items[0]!.titleEn.length > 0);
  assert.equal(provider.items[0]!.readAt, null);
  assert.deepEqual(
    (await world.inject('GET', '/api/v1/notifications', world.stranger)).json<NotificationPage>().items,
    [],
  );

  const forReviewers = (await world.inject('GET', '/api/v1/notifications', world.reviewer)).json<NotificationPage>();
  assert.deepEqual(
    forReviewers.items.map((item) => item.kind),
    ['filing.submitted'],
  );
  const noticeId = forReviewers.items[0]!.id;

  // Someone else's notification looks missing.
  assert.equal(
    (await world.inject('POST', `/api/v1/notifications/${provider.items[0]!.id}/read`, world.reviewer)).statusCode,
    404,
  );
  assert.equal((await world.inject('POST', '/api/v1/notifications/nope/read', world.reviewer)).statusCode, 400);

  const read = await world.inject('POST', `/api/v1/notifications/${noticeId}/read`, world.reviewer);
  assert.equal(read.statusCode, 204);
  assert.equal((await world.inject('POST', `/api/v1/notifications/${noticeId}/read`, world.reviewer)).statusCode, 204);
  const after = (await world.inject('GET', '/api/v1/notifications', world.reviewer)).json<NotificationPage>();
  assert.equal(after.items[0]!.readAt, world.t.clock.now().toISOString());
  assert.deepEqual(
    (await world.inject('GET', '/api/v1/notifications?unread=true', world.reviewer)).json<NotificationPage>().items,
    [],
  );
  // The other reviewer's copy of the role notice is still unread.
  const other = (
    await world.inject('GET', '/api/v1/notifications?unread=true', otherReviewer)
  ).json<NotificationPage>();
  assert.deepEqual(
    other.items.map((item) => item.id),
    [noticeId],
  );
});

test('notifications are paged newest first with an opaque cursor', async (t) => {
  const world = await filingWorld(t);
  for (let i = 0; i < 3; i += 1) {
    await submitted(world);
    world.t.clock.advanceMs(1000);
  }
  const first = await world.inject('GET', '/api/v1/notifications?limit=2', world.reviewer);
  assert.equal(first.statusCode, 200);
  const page = first.json<NotificationPage>();
  assert.equal(page.items.length, 2);
  assert.ok(page.nextCursor);
  const second = await world.inject('GET', `/api/v1/notifications?limit=2&cursor=${page.nextCursor}`, world.reviewer);
  assert.equal(second.json<NotificationPage>().items.length, 1);
  assert.equal(second.json<NotificationPage>().nextCursor, null);
  const all = await world.inject('GET', '/api/v1/notifications', world.reviewer);
  assert.deepEqual(itemIds(all), [...itemIds(first), ...itemIds(second)]);
  assert.equal((await world.inject('GET', '/api/v1/notifications?cursor=%%%', world.reviewer)).statusCode, 400);
  assert.equal((await world.inject('GET', '/api/v1/notifications?limit=0', world.reviewer)).statusCode, 400);
});
