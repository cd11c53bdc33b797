import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../platform/deps.ts';
import { etagOf } from '../../platform/http.ts';
import { idempotencyKeyOf } from '../../platform/idempotency.ts';
import { contextOf } from '../../platform/request-context.ts';
import {
  AdverseEvent,
  AdverseEventBody,
  CreateTrialBody,
  Enrolment,
  EnrolmentBody,
  ExtensionBody,
  PublicTrial,
  PublicTrialPage,
  PublicTrialQuery,
  ReasonsBody,
  ReportBody,
  SiteReviewBody,
  SiteReviewQueue,
  Trial,
  TrialIdParams,
  TrialListQuery,
  TrialPage,
  TrialReport,
} from './schemas.ts';
import {
  createTrial,
  enrol,
  extendTrial,
  reportAdverseEvent,
  resumeTrial,
  reviewSite,
  submitReport,
  submitTrial,
} from './service.ts';
import { listPublicTrials, listTrialsFor, readPublicTrial, readTrial, siteReviewQueue } from './views.ts';

const tags = ['trials'];

export async function trialRoutes(plain: FastifyInstance, deps: AppDeps): Promise<void> {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/api/v1/trials',
    {
      config: { action: 'trials.create' },
      schema: {
        tags,
        summary: 'Apply for a pilot or a small-scale healthcare trial (a draft; every eligibility failure at once)',
        description:
          'Eligibility: product tier low; startDate not before today; endDate − startDate ≤ 183 days; pilot: an international standard and noApplicableNationalStandard; healthcare: verified medical institutions as hosts and at most 500 participants → 422 trial_not_eligible with one errors[] item {pointer, code, message} per failure.',
        body: CreateTrialBody,
        response: { 201: Trial },
      },
    },
    async (request, reply) => {
      const trial = await createTrial(deps, contextOf(request), request.body);
      return reply
        .code(201)
        .header('etag', etagOf(trial.version))
        .header('location', `/api/v1/trials/${trial.id}`)
        .send(trial);
    },
  );

  app.get(
    '/api/v1/trials',
    {
      config: { action: 'trials.list' },
      schema: {
        tags,
        summary: 'Own and hosted trials (regulator roles: all; suspended and overdue first on each page)',
        querystring: TrialListQuery,
        response: { 200: TrialPage },
      },
    },
    async (request) => listTrialsFor(deps, contextOf(request), request.query),
  );

  app.get(
    '/api/v1/trials/:id',
    {
      config: { action: 'trials.read' },
      schema: {
        tags,
        summary: 'One trial with its site reviews, adverse events and reports (provider, hosts, regulator roles)',
        params: TrialIdParams,
        response: { 200: Trial },
      },
    },
    async (request, reply) => {
      const trial = await readTrial(deps, contextOf(request), request.params.id);
      return reply.header('etag', etagOf(trial.version)).send(trial);
    },
  );

  app.post(
    '/api/v1/trials/:id/submit',
    {
      config: { action: 'trials.submit' },
      schema: {
        tags,
        summary: 'Submit a draft: a site review per host (due in 10 working days); healthcare: an ethics referral',
        description: 'No body. Optional Idempotency-Key.',
        params: TrialIdParams,
        response: { 200: Trial },
      },
    },
    async (request) =>
      submitTrial(deps, contextOf(request), { id: request.params.id, idempotencyKey: idempotencyKeyOf(request) }),
  );

  app.post(
    '/api/v1/trials/:id/site-reviews',
    {
      config: { action: 'trials.siteReview' },
      schema: {
        tags,
        summary: "A host's site review (org_admin of a host), once",
        description:
          'Every host approved (and, for healthcare, a favourable ethics opinion) → approved; one rejection → rejected. A second review by the same host → 409 site_review_given.',
        params: TrialIdParams,
        body: SiteReviewBody,
        response: { 200: Trial },
      },
    },
    async (request) =>
      reviewSite(deps, contextOf(request), {
        id: request.params.id,
        ...request.body,
        idempotencyKey: idempotencyKeyOf(request),
      }),
  );

  app.get(
    '/api/v1/site-reviews',
    {
      config: { action: 'trials.siteReviews' },
      schema: {
        tags,
        summary: "The host organisation's pending site reviews, the earliest due first (org_admin)",
        response: { 200: SiteReviewQueue },
      },
    },
    async (request) => siteReviewQueue(deps, contextOf(request)),
  );

  app.post(
    '/api/v1/trials/:id/enrolments',
    {
      config: { action: 'trials.enrol' },
      schema: {
        tags,
        summary: 'Enrol participants (member of a host), only while active, never past maxParticipants',
        description:
          'Not active → 409 trial_not_active; the running total above maxParticipants → 409 participant_cap_reached.',
        params: TrialIdParams,
        body: EnrolmentBody,
        response: { 201: Enrolment },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await enrol(deps, contextOf(request), { id: request.params.id, ...request.body })),
  );

  app.post(
    '/api/v1/trials/:id/adverse-events',
    {
      config: { action: 'trials.reportAdverseEvent' },
      schema: {
        tags,
        summary: 'Report an adverse event (provider or host); a serious one suspends the trial at once',
        description: 'Serious: reportDeadline = awareAt + 24 h; reportedLate when reported after it.',
        params: TrialIdParams,
        body: AdverseEventBody,
        response: { 201: AdverseEvent },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await reportAdverseEvent(deps, contextOf(request), { id: request.params.id, ...request.body })),
  );

  app.post(
    '/api/v1/trials/:id/resumption',
    {
      config: { action: 'trials.resume' },
      schema: {
        tags,
        summary: 'Lift a suspension (reviewer)',
        params: TrialIdParams,
        body: ReasonsBody,
        response: { 200: Trial },
      },
    },
    async (request) =>
      resumeTrial(deps, contextOf(request), {
        id: request.params.id,
        reasons: request.body.reasons,
        idempotencyKey: idempotencyKeyOf(request),
      }),
  );

  app.post(
    '/api/v1/trials/:id/extension',
    {
      config: { action: 'trials.extend' },
      schema: {
        tags,
        summary: 'Extend the trial once, by at most 183 days (provider)',
        description: 'More than 183 days → 422 extension_too_long; a second extension → 409 extension_used.',
        params: TrialIdParams,
        body: ExtensionBody,
        response: { 200: Trial },
      },
    },
    async (request) =>
      extendTrial(deps, contextOf(request), {
        id: request.params.id,
        endDate: request.body.endDate,
        idempotencyKey: idempotencyKeyOf(request),
      }),
  );

  app.post(
    '/api/v1/trials/:id/reports',
    {
      config: { action: 'trials.report' },
      schema: {
        tags,
        summary: 'An interim or the final report (provider); the final one completes the trial',
        description: 'The final report is due 20 working days after endDate; before endDate it ends the trial early.',
        params: TrialIdParams,
        body: ReportBody,
        response: { 201: TrialReport },
      },
    },
    async (request, reply) =>
      reply.code(201).send(
        await submitReport(deps, contextOf(request), {
          id: request.params.id,
          ...request.body,
          idempotencyKey: idempotencyKeyOf(request),
        }),
      ),
  );

  app.get(
    '/api/v1/public/trials',
    {
      config: { action: 'trials.public' },
      schema: {
        tags,
        summary: 'Public register of trials: approved, active, ended, suspended and completed ones',
        querystring: PublicTrialQuery,
        response: { 200: PublicTrialPage },
      },
    },
    async (request) => listPublicTrials(deps, request.query),
  );

  app.get(
    '/api/v1/public/trials/:id',
    {
      config: { action: 'trials.public' },
      schema: {
        tags,
        summary: 'The public page of one trial (drafts, trials under review and rejected ones: 404)',
        params: TrialIdParams,
        response: { 200: PublicTrial },
      },
    },
    async (request) => readPublicTrial(deps, request.params.id),
  );
}
