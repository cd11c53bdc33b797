import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import { FilingTransitioned } from '../../src/modules/filings/index.ts';
import { outboxConsumers } from '../../src/modules/index.ts';
import { newId } from '../../src/platform/ids.ts';
import { enqueueEvent } from '../../src/platform/outbox.ts';
import { drainOutbox } from '../../src/platform/outbox-worker.ts';
import type { TestApp } from '../helpers/test-app.ts';

export interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}

/** A webhook receiver on 127.0.0.1 (port 0); `answer` decides each status (200 by default). */
export async function startReceiver(t: Pick<TestContext, 'after'>, answer: (r: Received) => number = () => 200) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: performance.now() };
      received.push(r);
      res.statusCode = answer(r);
      res.end('ok');
    });
  });
  server.keepAliveTimeout = 1;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}/hooks`, port, received, server };
}

export const ALLOW_LOOPBACK = { AIGOV_WEBHOOK_ALLOW_HOSTS: '127.0.0.1' };

/** A `filing.<status>` outbox event about an organisation's filing, as the filings module writes it. */
export async function filingEvent(
  ta: TestApp,
  status: 'submitted' | 'information_requested' | 'approved' | 'rejected',
  organizationId: string,
  ids: { filingId?: string; productId?: string } = {},
) {
  const filingId = ids.filingId ?? newId();
  const productId = ids.productId ?? newId();
  const eventId = await ta.db.transaction().execute((trx) =>
    enqueueEvent(trx, ta.clock, FilingTransitioned[status], filingId, {
      filingId,
      productId,
      organizationId,
      kind: 'assessment',
      from: 'under_review',
      to: status,
      version: 2,
      dueDate: null,
    }),
  );
  return { eventId, filingId, productId };
}

export async function drain(ta: TestApp) {
  return drainOutbox(ta.db, ta.clock, outboxConsumers(ta.deps));
}
