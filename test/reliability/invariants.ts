/**
 * Invariants that must hold on any aigov database after any workload, crash or restore:
 *   1. the audit hash chain verifies (platform/audit.ts verifyAuditChain): the rows stored
 *      chained, as found; then, once the rows still pending are chained (what the next server
 *      start does: chainPendingAuditEvents), the whole trail;
 *   2. no filing is doubled: one decision per filing, every decided filing has exactly its
 *      decision, at most one open filing per product, no transition audited twice, no
 *      half-finished idempotency record;
 *   3. the transparency log verifies: leaves are contiguous, the stored level-0 nodes are
 *      their RFC 6962 leaf hashes, every stored checkpoint's root is recomputed from the
 *      stored leaves, the latest one covers every leaf and its signature verifies, and the
 *      log holds exactly the public decisions (one leaf per register decision, one register
 *      decision per public filing decision).
 * Written against raw SQL so it checks what is stored, not what the modules believe.
 * A table that does not exist yet is skipped with a note, never silently.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { chainPendingAuditEvents, verifyAuditChain } from '../../src/platform/audit.ts';
import { parseCheckpoint, verifyCheckpoint } from '../../src/lib/checkpoint.ts';
import { leafHash, rootFromLeafHashes } from '../../src/lib/merkle.ts';

/** Public outcomes put a product on the register (API-CONTRACT.md "Public register"). */
const PUBLIC_OUTCOMES = ['accepted', 'approved', 'approved_with_conditions'];
const DECIDED_STATUSES = ['accepted', 'approved', 'approved_with_conditions', 'rejected'];

export interface InvariantReport {
  /** Names of the invariants that were checked and held. */
  passed: string[];
  /** Broken invariants, each with what was found. */
  failures: string[];
  /** Invariants skipped because their tables do not exist (yet). */
  skipped: string[];
  /** Facts for the summary line. */
  stats: {
    auditEvents: number;
    /** Audit rows still pending when the check began, chained by it. */
    auditChainedAtCheck: number;
    filings: number;
    decisions: number;
    leaves: number;
    checkpoints: number;
  };
}

export interface InvariantOptions {
  /** Signed-note verifier key (GET /api/v1/transparency/public-key → verifierKey). */
  verifierKey?: string;
  /** Outbox events still pending are reported, not counted as a broken log (default: true). */
  requireDrainedOutbox?: boolean;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw checks over any schema version
type AnyDb = Kysely<any>;

async function tableExists(db: AnyDb, table: string): Promise<boolean> {
  const result = await sql<{
    present: boolean;
  }>`SELECT to_regclass(${`public.${table}`}) IS NOT NULL AS present`.execute(db);
  return result.rows[0]?.present === true;
}

async function rows<T>(db: AnyDb, query: RawBuilder<T>): Promise<T[]> {
  return (await query.execute(db)).rows;
}

function toBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string' && value.startsWith('\\x')) return Buffer.from(value.slice(2), 'hex');
  throw new Error(`not a bytea value: ${typeof value}`);
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a).equals(Buffer.from(b));
}

export async function checkInvariants(db: AnyDb, options: InvariantOptions = {}): Promise<InvariantReport> {
  const report: InvariantReport = {
    passed: [],
    failures: [],
    skipped: [],
    stats: { auditEvents: 0, auditChainedAtCheck: 0, filings: 0, decisions: 0, leaves: 0, checkpoints: 0 },
  };
  const check = (name: string, problems: string[]) => {
    if (problems.length === 0) report.passed.push(name);
    else report.failures.push(...problems.map((p) => `${name}: ${p}`));
  };

  // 1. Audit chain: what is stored, then every row once the pending ones are chained.
  const stored = await verifyAuditChain(db as Kysely<Database>);
  check(
    'audit chain verifies',
    stored.ok ? [] : [`broken at seq ${stored.firstBroken?.seq} (${stored.firstBroken?.problem})`],
  );
  const chained = await chainPendingAuditEvents(db as Kysely<Database>);
  const audit = await verifyAuditChain(db as Kysely<Database>);
  report.stats.auditEvents = audit.checked;
  report.stats.auditChainedAtCheck = chained;
  check(
    'every audit row chained and verified',
    audit.ok && audit.pending === 0
      ? []
      : [`after chaining ${chained}: ok ${audit.ok}, ${audit.pending} pending, ${JSON.stringify(audit.firstBroken)}`],
  );

  // 2. Filings.
  if (await tableExists(db, 'filings')) {
    const [counts] = await rows(
      db,
      sql<{ filings: number; decisions: number }>`SELECT (SELECT count(*) FROM filings)::int AS filings,
        (SELECT count(*) FROM filing_decisions)::int AS decisions`,
    );
    report.stats.filings = counts!.filings;
    report.stats.decisions = counts!.decisions;
    const doubled = await rows(
      db,
      sql<{ filing_id: string; n: number }>`SELECT filing_id, count(*)::int AS n FROM filing_decisions
        GROUP BY filing_id HAVING count(*) > 1`,
    );
    check(
      'one decision per filing',
      doubled.map((r) => `filing ${r.filing_id} has ${r.n} decisions`),
    );
    const mismatched = await rows(
      db,
      sql<{ id: string; status: string; outcome: string | null }>`
        SELECT f.id, f.status, d.outcome FROM filings f LEFT JOIN filing_decisions d ON d.filing_id = f.id
        WHERE (f.status IN (${sql.join(DECIDED_STATUSES)}) AND (d.outcome IS NULL OR d.outcome <> f.status))
           OR (f.status NOT IN (${sql.join(DECIDED_STATUSES)}) AND d.outcome IS NOT NULL)`,
    );
    check(
      'every decided filing has exactly its decision',
      mismatched.map((r) => `filing ${r.id} is ${r.status} with decision ${r.outcome ?? 'none'}`),
    );
    const open = await rows(
      db,
      sql<{ product_id: string; n: number }>`SELECT product_id, count(*)::int AS n FROM filings
        WHERE status IN ('draft', 'submitted', 'under_review', 'information_requested')
        GROUP BY product_id HAVING count(*) > 1`,
    );
    check(
      'at most one open filing per product',
      open.map((r) => `product ${r.product_id} has ${r.n} open filings`),
    );
    const twice = await rows(
      db,
      sql<{ resource_id: string; action: string; n: number }>`
        SELECT resource_id, action, count(*)::int AS n FROM audit_events
        WHERE resource_type = 'filing'
          AND action IN ('filing.submitted', 'filing.accepted', 'filing.approved', 'filing.approved_with_conditions', 'filing.rejected', 'filing.withdrawn')
        GROUP BY resource_id, action HAVING count(*) > 1`,
    );
    check(
      'no filing transition audited twice',
      twice.map((r) => `filing ${r.resource_id}: ${r.action} ×${r.n}`),
    );
    const submittedUnaudited = await rows(
      db,
      sql<{ id: string }>`SELECT f.id FROM filings f WHERE f.submitted_at IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM audit_events a WHERE a.resource_type = 'filing' AND a.resource_id = f.id::text
          AND a.action IN ('filing.submitted', 'filing.accepted'))`,
    );
    check(
      'every submission is audited',
      submittedUnaudited.map((r) => `filing ${r.id} submitted without an audit event`),
    );
  } else {
    report.skipped.push('filings invariants (no filings table yet)');
  }
  const halfDone = await rows(
    db,
    sql<{ scope: string; key: string }>`SELECT scope, key FROM idempotency_keys WHERE status_code = 0`,
  );
  check(
    'no half-finished idempotency record',
    halfDone.map((r) => `${r.scope} ${r.key}`),
  );

  // 3. Transparency log.
  if (await tableExists(db, 'log_leaves')) {
    const leaves = await rows(
      db,
      sql<{ leaf_index: string; leaf: unknown }>`SELECT leaf_index, leaf FROM log_leaves ORDER BY leaf_index`,
    );
    report.stats.leaves = leaves.length;
    const gaps = leaves.filter((leaf, i) => Number(leaf.leaf_index) !== i).slice(0, 3);
    check(
      'log leaves are contiguous from 0',
      gaps.map((g) => `leaf ${g.leaf_index} where ${leaves.indexOf(g)} expected`),
    );
    const hashes = leaves.map((leaf) => leafHash(toBytes(leaf.leaf)));
    const levelZero = await rows(
      db,
      sql<{ idx: string; hash: unknown }>`SELECT idx, hash FROM log_nodes WHERE level = 0 ORDER BY idx`,
    );
    const badNodes = levelZero
      .filter((node) => {
        const expected = hashes[Number(node.idx)];
        return expected === undefined || !equalBytes(expected, toBytes(node.hash));
      })
      .slice(0, 3);
    check(
      'stored leaf hashes match the leaves',
      badNodes.map((n) => `level-0 node ${n.idx} differs`),
    );
    const unparsable = leaves
      .filter((leaf) => {
        try {
          JSON.parse(Buffer.from(toBytes(leaf.leaf)).toString('utf8'));
          return false;
        } catch {
          return true;
        }
      })
      .slice(0, 3);
    check(
      'leaves are JSON',
      unparsable.map((l) => `leaf ${l.leaf_index} is not JSON`),
    );

    const checkpoints = await rows(
      db,
      sql<{ size: string; root: unknown; note: string }>`SELECT size, root, note FROM log_checkpoints ORDER BY size`,
    );
    report.stats.checkpoints = checkpoints.length;
    const rootProblems: string[] = [];
    for (const checkpoint of checkpoints.slice(-50)) {
      const size = Number(checkpoint.size);
      if (size > hashes.length) {
        rootProblems.push(`checkpoint of size ${size} but only ${hashes.length} leaves`);
        continue;
      }
      const recomputed = rootFromLeafHashes(hashes.slice(0, size));
      if (!equalBytes(recomputed, toBytes(checkpoint.root))) rootProblems.push(`root of size ${size} differs`);
      const noted = parseCheckpoint(checkpoint.note).checkpoint;
      if (noted.size !== size || !equalBytes(noted.root, recomputed)) {
        rootProblems.push(`signed note of size ${size} names size ${noted.size} or another root`);
      }
    }
    check('checkpoint roots recomputed from stored leaves', rootProblems);
    const latest = checkpoints[checkpoints.length - 1];
    check(
      'latest checkpoint covers every leaf',
      hashes.length === 0 || (latest !== undefined && Number(latest.size) === hashes.length)
        ? []
        : [`latest checkpoint size ${latest?.size ?? 'none'}, ${hashes.length} leaves`],
    );
    if (options.verifierKey !== undefined && latest !== undefined) {
      const signatureProblems: string[] = [];
      for (const checkpoint of checkpoints.slice(-20)) {
        try {
          verifyCheckpoint(checkpoint.note, options.verifierKey);
        } catch (error) {
          signatureProblems.push(`checkpoint ${checkpoint.size}: ${(error as Error).message}`);
        }
      }
      check('checkpoint signatures verify', signatureProblems);
    } else if (options.verifierKey === undefined) {
      report.skipped.push('checkpoint signatures (no verifier key given)');
    }

    if (await tableExists(db, 'register_decisions')) {
      const [registered] = await rows(
        db,
        sql<{ n: number; with_filing: number }>`SELECT count(*)::int AS n,
          count(filing_id)::int AS with_filing FROM register_decisions`,
      );
      check(
        'one leaf per register decision',
        registered!.n === hashes.length ? [] : [`${registered!.n} register decisions, ${hashes.length} leaves`],
      );
      const badIndex = await rows(
        db,
        sql<{ id: string }>`SELECT id FROM register_decisions WHERE log_index < 0 OR log_index >= ${hashes.length}`,
      );
      check(
        'register decisions point at existing leaves',
        badIndex.map((r) => `register decision ${r.id}`),
      );
      if (await tableExists(db, 'filing_decisions')) {
        const pending = await rows(
          db,
          sql<{ n: number }>`SELECT count(*)::int AS n FROM outbox_events
            WHERE processed_at IS NULL AND topic = 'register.decision_published'`,
        );
        const pendingCount = pending[0]!.n;
        const [publicDecisions] = await rows(
          db,
          sql<{ n: number }>`SELECT count(*)::int AS n FROM filing_decisions
            WHERE outcome IN (${sql.join(PUBLIC_OUTCOMES)})`,
        );
        const missing = await rows(
          db,
          sql<{ filing_id: string }>`SELECT d.filing_id FROM filing_decisions d
            WHERE d.outcome IN (${sql.join(PUBLIC_OUTCOMES)})
              AND NOT EXISTS (SELECT 1 FROM register_decisions r WHERE r.filing_id = d.filing_id)
            LIMIT 5`,
        );
        const extra = await rows(
          db,
          sql<{ filing_id: string }>`SELECT r.filing_id FROM register_decisions r
            WHERE r.filing_id IS NOT NULL AND NOT EXISTS (
              SELECT 1 FROM filing_decisions d WHERE d.filing_id = r.filing_id AND d.outcome IN (${sql.join(PUBLIC_OUTCOMES)}))
            LIMIT 5`,
        );
        if (pendingCount > 0 && options.requireDrainedOutbox !== false) {
          report.failures.push(
            `log holds exactly the public decisions: ${pendingCount} decision events still pending in the outbox (drain it first)`,
          );
        } else {
          check('log holds exactly the public decisions', [
            ...(pendingCount === 0 && registered!.with_filing !== publicDecisions!.n
              ? [`${publicDecisions!.n} public filing decisions, ${registered!.with_filing} logged`]
              : []),
            ...(pendingCount === 0 ? missing.map((m) => `public decision on filing ${m.filing_id} not logged`) : []),
            ...extra.map((e) => `logged decision on filing ${e.filing_id} is not a public filing decision`),
          ]);
        }
      }
    } else {
      report.skipped.push('register ↔ log invariants (no register_decisions table yet)');
    }
  } else {
    report.skipped.push('transparency log invariants (no log_leaves table yet)');
  }
  return report;
}

/** One line for t.diagnostic / console. */
export function describeReport(report: InvariantReport): string {
  const s = report.stats;
  return (
    `invariants: ${report.passed.length} held, ${report.failures.length} broken, ${report.skipped.length} skipped ` +
    `(${s.auditEvents} audit events of which ${s.auditChainedAtCheck} chained at the check, ${s.filings} filings, ${s.decisions} decisions, ${s.leaves} log leaves, ` +
    `${s.checkpoints} checkpoints)` +
    (report.skipped.length > 0 ? `; skipped: ${report.skipped.join('; ')}` : '') +
    (report.failures.length > 0 ? `\n  ${report.failures.join('\n  ')}` : '')
  );
}
