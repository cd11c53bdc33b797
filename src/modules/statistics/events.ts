/** Events the statistics module produces (consumers import them from `statistics/index.ts`). */
import { Type } from '@fastify/type-provider-typebox';
import { defineEvent } from '../../platform/events.ts';

export const StatisticsPeriodCreated = defineEvent(
  'statistics.period_created',
  'statistics_period',
  Type.Object({
    code: Type.String(),
    opensOn: Type.String({ format: 'date' }),
    closesOn: Type.String({ format: 'date' }),
    dueDate: Type.String({ format: 'date' }),
  }),
);

/** A return was filed or corrected (`version` > 1). */
export const StatisticsReturnFiled = defineEvent(
  'statistics.return_filed',
  'statistics_return',
  Type.Object({
    period: Type.String(),
    organizationId: Type.String({ format: 'uuid' }),
    version: Type.Integer({ minimum: 1 }),
  }),
);

/** A period's tables were published; its returns are frozen. */
export const StatisticsPeriodPublished = defineEvent(
  'statistics.period_published',
  'statistics_period',
  Type.Object({
    code: Type.String(),
    publishedAt: Type.String({ format: 'date-time' }),
    returns: Type.Integer({ minimum: 0 }),
    primaryCount: Type.Integer({ minimum: 0 }),
    secondaryCount: Type.Integer({ minimum: 0 }),
  }),
);
