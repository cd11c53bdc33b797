import type { Migration } from 'kysely';
import * as m0001 from './0001-foundation.ts';
import * as m0002 from './0002-identity.ts';
import * as m0003 from './0003-catalogue-products.ts';
import * as m0004 from './0004-filings.ts';
import * as m0005 from './0005-notifications.ts';
import * as m0006 from './0006-register-transparency.ts';
import * as m0007 from './0007-register-decision-reasons.ts';
import * as m0008 from './0008-provisional-deadlines.ts';
import * as m0009 from './0009-audit-sequencer.ts';
import * as m0010 from './0010-document-store.ts';
import * as m0011 from './0011-monitoring.ts';
import * as m0012 from './0012-trials.ts';
import * as m0013 from './0013-ethics.ts';
import * as m0014 from './0014-data-access.ts';
import * as m0015 from './0015-statistics.ts';
import * as m0017 from './0017-integrations.ts';

/** Every migration in order. Never edit one that has shipped: add the next number. */
export const migrations: Record<string, Migration> = {
  '0001-foundation': m0001,
  '0002-identity': m0002,
  '0003-catalogue-products': m0003,
  '0004-filings': m0004,
  '0005-notifications': m0005,
  '0006-register-transparency': m0006,
  '0007-register-decision-reasons': m0007,
  '0008-provisional-deadlines': m0008,
  '0009-audit-sequencer': m0009,
  '0010-document-store': m0010,
  '0011-monitoring': m0011,
  '0012-trials': m0012,
  '0013-ethics': m0013,
  '0014-data-access': m0014,
  '0015-statistics': m0015,
  '0017-integrations': m0017,
};
