/**
 * A bounded, realistic write load against one or more servers, with a ledger of every write
 * the server acknowledged — what the concurrency and crash tests check afterwards.
 * Providers create products and filings and submit them (each submission carries an
 * Idempotency-Key, and some are sent twice at once to different servers); reviewers claim
 * and decide (some decisions are raced: two at once, exactly one may win); the public
 * searches the register and reads the log.
 */
import crypto from 'node:crypto';
import {
  catalogueCode,
  claimFiling,
  createFiling,
  decideFiling,
  productBody,
  submitFiling,
  uploadRiskReport,
  type FilingView,
  type HttpClient,
  type HttpResponse,
  type Tier,
} from './workflow.ts';

export interface SubmittedFiling {
  filingId: string;
  productId: string;
  owner: Record<string, string>;
  tier: Tier;
  key: string;
  /** The status the submit answered (accepted for disclosures, submitted for assessments). */
  status: string;
}

export interface Ledger {
  products: Map<string, { owner: Record<string, string>; tier: Tier }>;
  filings: Map<string, { productId: string; owner: Record<string, string>; tier: Tier }>;
  submitted: Map<string, SubmittedFiling>;
  /** Submissions sent whose answer never came (the server died): they may or may not have committed. */
  unanswered: Map<string, Omit<SubmittedFiling, 'status'>>;
  decisions: Map<string, { outcome: string; key: string }>;
  /** Raced decisions: how many had exactly one winner. */
  racedDecisions: number;
  duplicateSubmits: number;
  publicReads: number;
  requests: number;
  /** Anything the contract forbids: 5xx, two winners, different answers for one key. */
  problems: string[];
  /** Requests that failed at the network level (expected only around a kill). */
  networkErrors: number;
}

export function newLedger(): Ledger {
  return {
    products: new Map(),
    filings: new Map(),
    submitted: new Map(),
    unanswered: new Map(),
    decisions: new Map(),
    racedDecisions: 0,
    duplicateSubmits: 0,
    publicReads: 0,
    requests: 0,
    problems: [],
    networkErrors: 0,
  };
}

export interface LoadOptions {
  clients: HttpClient[];
  providers: Array<Record<string, string>>;
  reviewers: Array<Record<string, string>>;
  /** Stop when this returns true (time budget, or "enough acknowledged writes, kill now"). */
  shouldStop: () => boolean;
  /** Race duplicate submits and decisions across clients (needs ≥ 1 client; best with 2). */
  race?: boolean;
  publicReaders?: number;
}

class NetworkDown extends Error {}

function pickFrom<T>(items: readonly T[]): T {
  return items[crypto.randomInt(items.length)]!;
}

/** Sends and records; a network failure (server killed) ends the worker. */
async function call(ledger: Ledger, what: string, send: () => Promise<HttpResponse>): Promise<HttpResponse> {
  ledger.requests += 1;
  let res: HttpResponse;
  try {
    res = await send();
  } catch (error) {
    ledger.networkErrors += 1;
    throw new NetworkDown(`${what}: ${(error as Error).message}`);
  }
  if (res.status >= 500) ledger.problems.push(`${what} → ${res.status}: ${res.text.slice(0, 200)}`);
  return res;
}

async function providerWorker(options: LoadOptions, ledger: Ledger, owner: Record<string, string>) {
  const code = await catalogueCode(options.clients[0]!);
  while (!options.shouldStop()) {
    const client = pickFrom(options.clients);
    const tier = pickFrom<Tier>(['low', 'medium', 'high', 'high']);
    const created = await call(ledger, 'create product', () =>
      client.send({
        method: 'POST',
        url: '/api/v1/products',
        headers: owner,
        body: productBody(code, tier, crypto.randomBytes(3).toString('hex')),
      }),
    );
    if (created.status !== 201) {
      ledger.problems.push(`create product → ${created.status}: ${created.text.slice(0, 200)}`);
      continue;
    }
    const productId = created.json<{ id: string }>().id;
    ledger.products.set(productId, { owner, tier });
    let filing: FilingView;
    try {
      filing = await createFiling(client, owner, productId, tier);
    } catch (error) {
      if (isNetwork(error)) throw error;
      ledger.problems.push((error as Error).message);
      continue;
    }
    ledger.filings.set(filing.id, { productId, owner, tier });
    if (tier === 'high') await uploadRiskReport(client, owner, filing.id);
    const key = crypto.randomUUID();
    const pending = { filingId: filing.id, productId, owner, tier, key };
    ledger.unanswered.set(filing.id, pending);
    const twice = options.race === true && crypto.randomInt(3) === 0;
    const sends = [call(ledger, 'submit', () => submitFiling(client, owner, filing.id, key))];
    if (twice)
      sends.push(call(ledger, 'submit again', () => submitFiling(pickFrom(options.clients), owner, filing.id, key)));
    const answers = await Promise.all(sends);
    ledger.unanswered.delete(filing.id);
    const first = answers[0]!;
    if (first.status !== 200) {
      ledger.problems.push(`submit → ${first.status}: ${first.text.slice(0, 200)}`);
      continue;
    }
    const view = first.json<FilingView>();
    if (twice) {
      ledger.duplicateSubmits += 1;
      const second = answers[1]!;
      // Same key, same body: the same response, and no second effect (checked in the database later).
      if (
        second.status !== 200 ||
        second.json<FilingView>().id !== view.id ||
        second.json<FilingView>().status !== view.status
      ) {
        ledger.problems.push(
          `same Idempotency-Key answered ${first.status}/${second.status} differently: ${second.text.slice(0, 200)}`,
        );
      }
    }
    ledger.submitted.set(filing.id, { ...pending, status: view.status });
  }
}

interface QueueItem {
  id: string;
  status: string;
  assigneeId: string | null;
}

async function reviewerWorker(options: LoadOptions, ledger: Ledger, reviewer: Record<string, string>) {
  while (!options.shouldStop()) {
    const client = pickFrom(options.clients);
    const queue = await call(ledger, 'queue', () =>
      client.send({
        method: 'GET',
        url: '/api/v1/review/queue?status=submitted&assignee=unassigned&limit=20',
        headers: reviewer,
      }),
    );
    const items = queue.status === 200 ? queue.json<{ items: QueueItem[] }>().items : [];
    if (items.length === 0) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      continue;
    }
    const target = pickFrom(items);
    const claimed = await call(ledger, 'claim', () => claimFiling(client, reviewer, target.id));
    if (claimed.status !== 200) continue; // another reviewer won the claim: 409 is the contract
    const outcome = pickFrom(['approved', 'approved', 'rejected', 'approved_with_conditions'] as const);
    if (options.race === true && crypto.randomInt(2) === 0) {
      // Two decisions at once (different keys, different servers): exactly one wins.
      const other = outcome === 'rejected' ? 'approved' : 'rejected';
      const keys = [crypto.randomUUID(), crypto.randomUUID()];
      const answers = await Promise.all([
        call(ledger, 'decide', () => decideFiling(pickFrom(options.clients), reviewer, target.id, outcome, keys[0])),
        call(ledger, 'decide (race)', () =>
          decideFiling(pickFrom(options.clients), reviewer, target.id, other, keys[1]),
        ),
      ]);
      const winners = answers.filter((a) => a.status === 200);
      const losers = answers.filter((a) => a.status !== 200);
      if (winners.length !== 1 || !losers.every((l) => l.status === 409 || l.status === 412)) {
        ledger.problems.push(`raced decisions answered ${answers.map((a) => a.status).join('/')}`);
      }
      ledger.racedDecisions += 1;
      const winner = winners[0];
      if (winner !== undefined) {
        const decided = winner.json<FilingView>().status;
        ledger.decisions.set(target.id, { outcome: decided, key: keys[answers.indexOf(winner)]! });
      }
    } else {
      const key = crypto.randomUUID();
      const decided = await call(ledger, 'decide', () => decideFiling(client, reviewer, target.id, outcome, key));
      if (decided.status === 200) ledger.decisions.set(target.id, { outcome, key });
      else ledger.problems.push(`decide → ${decided.status}: ${decided.text.slice(0, 200)}`);
    }
  }
}

async function publicWorker(options: LoadOptions, ledger: Ledger) {
  const queries = [
    '',
    '?q=可靠性',
    '?q=reliability',
    '?tier=high',
    '?q=%E4%BA%A7%E5%93%81&limit=5',
    '?tier=low&limit=200',
  ];
  while (!options.shouldStop()) {
    const client = pickFrom(options.clients);
    const url =
      crypto.randomInt(4) === 0 ? '/api/v1/transparency/checkpoint' : `/api/v1/public/products${pickFrom(queries)}`;
    const res = await call(ledger, `GET ${url}`, () => client.send({ method: 'GET', url }));
    if (res.status !== 200) ledger.problems.push(`GET ${url} → ${res.status}`);
    ledger.publicReads += 1;
  }
}

function isNetwork(error: unknown): boolean {
  return (
    error instanceof NetworkDown ||
    (error instanceof Error && /fetch failed|ECONNRE|socket|aborted/i.test(error.message))
  );
}

/** Runs every worker until shouldStop; network failures end a worker quietly (the server died). */
export async function runLoad(options: LoadOptions, ledger: Ledger = newLedger()): Promise<Ledger> {
  const guard = async (work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      if (isNetwork(error)) ledger.networkErrors += 1;
      else ledger.problems.push(`worker failed: ${(error as Error).message.slice(0, 300)}`);
    }
  };
  await Promise.all([
    ...options.providers.map((owner) => guard(() => providerWorker(options, ledger, owner))),
    ...options.reviewers.map((reviewer) => guard(() => reviewerWorker(options, ledger, reviewer))),
    ...Array.from({ length: options.publicReaders ?? 1 }, () => guard(() => publicWorker(options, ledger))),
  ]);
  return ledger;
}

/** Acknowledged writes, for the "every acknowledged write survived" check. */
export function acknowledgedWrites(ledger: Ledger): number {
  return ledger.products.size + ledger.filings.size + ledger.submitted.size + ledger.decisions.size;
}

/**
 * After a restart: every acknowledged product, filing, submission and decision is there,
 * with at least the acknowledged status; returns the problems found.
 */
export async function verifyAcknowledged(
  client: HttpClient,
  ledger: Ledger,
  reader: Record<string, string>,
): Promise<string[]> {
  const problems: string[] = [];
  for (const [id, { owner }] of ledger.products) {
    const res = await client.send({ method: 'GET', url: `/api/v1/products/${id}`, headers: owner });
    if (res.status !== 200) problems.push(`acknowledged product ${id} → ${res.status}`);
  }
  for (const [id] of ledger.filings) {
    const res = await client.send({ method: 'GET', url: `/api/v1/filings/${id}`, headers: reader });
    if (res.status !== 200) {
      problems.push(`acknowledged filing ${id} → ${res.status}`);
      continue;
    }
    const status = res.json<{ status: string }>().status;
    const submitted = ledger.submitted.get(id);
    const decision = ledger.decisions.get(id);
    if (decision !== undefined && status !== decision.outcome) {
      problems.push(`filing ${id} was decided ${decision.outcome} (acknowledged) but is ${status}`);
    } else if (submitted !== undefined && status === 'draft') {
      problems.push(`filing ${id} was submitted (acknowledged ${submitted.status}) but is a draft again`);
    } else if (submitted?.status === 'accepted' && status !== 'accepted') {
      problems.push(`disclosure ${id} was accepted (acknowledged) but is ${status}`);
    }
  }
  return problems;
}

/**
 * Re-sends every submission whose answer was lost in the crash with its original key: the
 * client's retry must complete it exactly once (replayed if it had committed).
 */
export async function retryUnanswered(client: HttpClient, ledger: Ledger): Promise<number> {
  let retried = 0;
  for (const [filingId, pending] of ledger.unanswered) {
    const res = await submitFiling(client, pending.owner, filingId, pending.key);
    retried += 1;
    if (res.status === 200) {
      ledger.submitted.set(filingId, { ...pending, status: res.json<FilingView>().status });
      ledger.unanswered.delete(filingId);
    } else {
      ledger.problems.push(`retried submit of ${filingId} after the crash → ${res.status}: ${res.text.slice(0, 200)}`);
    }
  }
  return retried;
}
