import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ATOM_CONTENT_TYPE } from '../../lib/atom-feed.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { tooManyRequests } from '../../platform/errors.ts';
import { contextOf, preconditionsOf } from '../../platform/request-context.ts';
import { TokenBucketLimiter } from '../risk/index.ts';
import {
  CreateIncidentBody,
  CreatePublicReportBody,
  IdParams,
  Incident,
  IncidentClosureBody,
  IncidentPage,
  IncidentQuery,
  IncidentUpdateBody,
  IssueWarningBody,
  LiftWarningBody,
  PublicReport,
  PublicReportList,
  PublicReportReceipt,
  PublicReportResponseBody,
  PublicReportStatus,
  PublicWarningPage,
  PublicWarningQuery,
  ReviewerPublicReportPage,
  ReviewerPublicReportQuery,
  ReviewerReportQuery,
  ReviewerTrackingReportPage,
  ReviewerWarningPage,
  SubmissionBody,
  TrackingCodeParams,
  TrackingReport,
  TrackingReportList,
  Warning,
  WarningList,
  WarningQuery,
} from './schemas.ts';
import { addIncidentUpdate, closeIncident, listIncidents, readIncident, reportIncident } from './incidents.ts';
import {
  answerPublicReport,
  filePublicReport,
  listProductPublicReports,
  listPublicReportsForReviewer,
  trackPublicReport,
} from './public-reports.ts';
import { listProductReports, listReportsForReviewer, submitReport } from './tracking.ts';
import {
  issueManualWarning,
  liftWarning,
  listProductWarnings,
  listPublicWarnings,
  listWarningsForReviewer,
  publicWarningsFeed,
} from './warning-service.ts';

const idempotencyHeader = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({ description: 'Same key + same body → the same response, no second effect (1–255 visible ASCII)' }),
  ),
});
const tags = ['monitoring'];

export async function monitoringRoutes(plain: FastifyInstance, deps: AppDeps): Promise<void> {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();

  // ----- tracking reports -----
  app.get(
    '/api/v1/products/:id/tracking-reports',
    {
      config: { action: 'monitoring.read' },
      schema: {
        tags,
        summary: "The product's tracking / monitoring reports, oldest period first",
        params: IdParams,
        response: { 200: TrackingReportList },
      },
    },
    async (request) => listProductReports(deps, contextOf(request), { productId: request.params.id }),
  );
  app.post(
    '/api/v1/tracking-reports/:id/submission',
    {
      config: { action: 'trackingReports.submit' },
      schema: {
        tags,
        summary: 'Submit a report (from the day after periodEnd; once); opens the next period',
        params: IdParams,
        headers: idempotencyHeader,
        body: SubmissionBody,
        response: { 200: TrackingReport },
      },
    },
    async (request, reply) => {
      const stored = await submitReport(deps, contextOf(request), {
        id: request.params.id,
        body: request.body,
        idempotencyKey: preconditionsOf(request).idempotencyKey,
      });
      return reply
        .code(stored.status as 200)
        .headers(stored.headers ?? {})
        .send(stored.body);
    },
  );
  app.get(
    '/api/v1/monitoring/tracking-reports',
    {
      config: { action: 'monitoring.queue' },
      schema: {
        tags,
        summary: "Every organisation's reports by due date (?status=overdue: the overdue list)",
        querystring: ReviewerReportQuery,
        response: { 200: ReviewerTrackingReportPage },
      },
    },
    async (request) => listReportsForReviewer(deps, contextOf(request), request.query),
  );

  // ----- incidents -----
  app.post(
    '/api/v1/products/:id/incidents',
    {
      config: { action: 'incidents.create' },
      schema: {
        tags,
        summary: 'Report an incident (deadline from awareAt; warning rules W1–W4)',
        params: IdParams,
        body: CreateIncidentBody,
        response: { 201: Incident },
      },
    },
    async (request, reply) => {
      const incident = await reportIncident(deps, contextOf(request), {
        productId: request.params.id,
        body: request.body,
      });
      return reply.code(201).header('location', `/api/v1/incidents/${incident.id}`).send(incident);
    },
  );
  app.get(
    '/api/v1/incidents/:id',
    {
      config: { action: 'monitoring.read' },
      schema: { tags, summary: 'One incident with its updates', params: IdParams, response: { 200: Incident } },
    },
    async (request) => readIncident(deps, contextOf(request), { id: request.params.id }),
  );
  app.post(
    '/api/v1/incidents/:id/updates',
    {
      config: { action: 'incidents.update' },
      schema: {
        tags,
        summary: 'A follow-up update by the owning organisation',
        params: IdParams,
        body: IncidentUpdateBody,
        response: { 200: Incident },
      },
    },
    async (request) => addIncidentUpdate(deps, contextOf(request), { id: request.params.id, body: request.body }),
  );
  app.post(
    '/api/v1/incidents/:id/closure',
    {
      config: { action: 'incidents.close' },
      schema: {
        tags,
        summary: 'Close an incident (reviewer)',
        params: IdParams,
        body: IncidentClosureBody,
        response: { 200: Incident },
      },
    },
    async (request) => closeIncident(deps, contextOf(request), { id: request.params.id, body: request.body }),
  );
  app.get(
    '/api/v1/monitoring/incidents',
    {
      config: { action: 'monitoring.queue' },
      schema: {
        tags,
        summary: 'Every incident, newest first (reviewer)',
        querystring: IncidentQuery,
        response: { 200: IncidentPage },
      },
    },
    async (request) => listIncidents(deps, contextOf(request), request.query),
  );

  // ----- warnings -----
  app.post(
    '/api/v1/products/:id/warnings',
    {
      config: { action: 'warnings.issue' },
      schema: {
        tags,
        summary: 'Issue a manual warning (reviewer); red suspends the product',
        params: IdParams,
        body: IssueWarningBody,
        response: { 201: Warning },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await issueManualWarning(deps, contextOf(request), { productId: request.params.id, body: request.body })),
  );
  app.post(
    '/api/v1/warnings/:id/lifting',
    {
      config: { action: 'warnings.lift' },
      schema: {
        tags,
        summary: 'Lift a warning (reviewer); the last red one reinstates the product',
        params: IdParams,
        body: LiftWarningBody,
        response: { 200: Warning },
      },
    },
    async (request) => liftWarning(deps, contextOf(request), { id: request.params.id, body: request.body }),
  );
  app.get(
    '/api/v1/products/:id/warnings',
    {
      config: { action: 'monitoring.read' },
      schema: {
        tags,
        summary: "The product's warnings and warningLevel",
        params: IdParams,
        response: { 200: WarningList },
      },
    },
    async (request) => listProductWarnings(deps, contextOf(request), { productId: request.params.id }),
  );
  app.get(
    '/api/v1/monitoring/warnings',
    {
      config: { action: 'monitoring.queue' },
      schema: {
        tags,
        summary: 'Every warning, newest first (reviewer)',
        querystring: WarningQuery,
        response: { 200: ReviewerWarningPage },
      },
    },
    async (request) => listWarningsForReviewer(deps, contextOf(request), request.query),
  );
  app.get(
    '/api/v1/public/warnings',
    {
      config: { action: 'warnings.public' },
      schema: {
        tags,
        summary: 'Orange and red warnings (lifted ones stay listed)',
        querystring: PublicWarningQuery,
        response: { 200: PublicWarningPage },
      },
    },
    async (request) => listPublicWarnings(deps, contextOf(request), request.query),
  );
  app.get(
    '/api/v1/public/warnings.atom',
    {
      config: { action: 'warnings.public' },
      schema: {
        tags,
        summary: 'Orange and red warnings as an Atom feed',
        produces: ['application/atom+xml'],
        response: { 200: Type.String({ description: 'Atom feed (RFC 4287)' }) },
      },
    },
    async (request, reply) => {
      const base = deps.config.publicUrl ?? `${request.protocol}://${request.host}`;
      const xml = await publicWarningsFeed(deps, contextOf(request), base);
      return reply.type(ATOM_CONTENT_TYPE).send(xml);
    },
  );

  // ----- public reports -----
  const perMinute = deps.config.selfCheckRateLimitPerMinute;
  const limiter = perMinute > 0 ? new TokenBucketLimiter(perMinute, () => deps.clock.now().getTime()) : undefined;
  const rateLimit = async (request: FastifyRequest) => {
    const decision = limiter?.take(request.ip);
    if (decision?.allowed === false) {
      throw tooManyRequests(decision.retryAfterSeconds, {
        detail: {
          zh: `提交过于频繁（每个地址每分钟 ${perMinute} 次），请 ${decision.retryAfterSeconds} 秒后再试`,
          en: `Too many reports (${perMinute} a minute per address); retry in ${decision.retryAfterSeconds} s`,
        },
      });
    }
  };
  app.post(
    '/api/v1/public/products/:id/reports',
    {
      config: { action: 'publicReports.create' },
      ...(limiter === undefined ? {} : { onRequest: rateLimit }),
      schema: {
        tags,
        summary: 'Report a problem with a register entry (anonymous; rate-limited per address)',
        params: IdParams,
        body: CreatePublicReportBody,
        response: { 202: PublicReportReceipt },
      },
    },
    async (request, reply) =>
      reply
        .code(202)
        .send(await filePublicReport(deps, contextOf(request), { productId: request.params.id, body: request.body })),
  );
  app.get(
    '/api/v1/public/reports/:trackingCode',
    {
      config: { action: 'publicReports.track' },
      schema: {
        tags,
        summary: 'A public report by its tracking code',
        params: TrackingCodeParams,
        response: { 200: PublicReportStatus },
      },
    },
    async (request) => trackPublicReport(deps, contextOf(request), { trackingCode: request.params.trackingCode }),
  );
  app.get(
    '/api/v1/products/:id/public-reports',
    {
      config: { action: 'monitoring.read' },
      schema: {
        tags,
        summary: 'Public reports on the product (no reporter contact)',
        params: IdParams,
        response: { 200: PublicReportList },
      },
    },
    async (request) => listProductPublicReports(deps, contextOf(request), { productId: request.params.id }),
  );
  app.post(
    '/api/v1/public-reports/:id/response',
    {
      config: { action: 'publicReports.respond' },
      schema: {
        tags,
        summary: "The provider's public answer (within 10 working days)",
        params: IdParams,
        body: PublicReportResponseBody,
        response: { 200: PublicReport },
      },
    },
    async (request) => answerPublicReport(deps, contextOf(request), { id: request.params.id, body: request.body }),
  );
  app.get(
    '/api/v1/monitoring/public-reports',
    {
      config: { action: 'monitoring.queue' },
      schema: {
        tags,
        summary: 'Every public report by due date (reviewer; ?status=overdue)',
        querystring: ReviewerPublicReportQuery,
        response: { 200: ReviewerPublicReportPage },
      },
    },
    async (request) => listPublicReportsForReviewer(deps, contextOf(request), request.query),
  );
}
