import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../platform/deps.ts';
import { etagOf } from '../../platform/http.ts';
import type { StoredResponse } from '../../platform/idempotency.ts';
import { contextOf, preconditionsOf } from '../../platform/request-context.ts';
import {
  castVote,
  committeeMembers,
  declare,
  getCase,
  listCasesFor,
  memberDeclarations,
  publicOpinions,
  publishOpinion,
  referFiling,
  setMembership,
} from './service.ts';
import {
  CaseListQuery,
  CasePage,
  CaseView,
  DeclarationBody,
  DeclarationView,
  IdParams,
  MemberDeclarations,
  MemberList,
  MemberView,
  MembershipBody,
  OpinionBody,
  OpinionView,
  PublicOpinionPage,
  PublicQuery,
  ReferralBody,
  VoteBody,
  VoteView,
} from './schemas.ts';

const idempotencyHeader = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({ description: 'Same key + same body → the same response, no second effect (1–255 visible ASCII)' }),
  ),
});

function send<T>(reply: FastifyReply, response: StoredResponse<T>) {
  return reply
    .code(response.status)
    .headers(response.headers ?? {})
    .send(response.body);
}

export async function ethicsRoutes(plain: FastifyInstance, deps: AppDeps): Promise<void> {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/api/v1/filings/:id/ethics-referral',
    {
      config: { action: 'ethics.refer' },
      schema: {
        tags: ['ethics'],
        summary: 'Refer a submitted filing to the AI ethics committee (reviewer)',
        description:
          'Opens a case due 15 working days after the referral. A draft or withdrawn filing → 409 ethics_referral_not_allowed; an open case on the filing → 409 ethics_case_open.',
        params: IdParams,
        headers: idempotencyHeader,
        body: ReferralBody,
        response: { 201: CaseView },
      },
    },
    async (request, reply) =>
      send(
        reply,
        await referFiling(deps, contextOf(request), {
          filingId: request.params.id,
          body: request.body,
          idempotencyKey: preconditionsOf(request).idempotencyKey,
        }),
      ),
  );

  app.get(
    '/api/v1/ethics/cases',
    {
      config: { action: 'ethics.cases.read' },
      schema: {
        tags: ['ethics'],
        summary: 'The committee’s cases, by due date',
        querystring: CaseListQuery,
        response: { 200: CasePage },
      },
    },
    async (request, reply) => {
      void reply.header('cache-control', 'private, no-cache');
      return listCasesFor(deps, contextOf(request), request.query);
    },
  );

  app.get(
    '/api/v1/ethics/cases/:id',
    {
      config: { action: 'ethics.cases.read' },
      schema: {
        tags: ['ethics'],
        summary: 'A case: who has voted (committee), the tally and opinion once published',
        description:
          'Votes are secret until the opinion: before it, committee roles see who voted, never how; reviewers and administrators see neither.',
        params: IdParams,
        response: { 200: CaseView },
      },
    },
    async (request, reply) => {
      const view = await getCase(deps, contextOf(request), { id: request.params.id });
      void reply.header('etag', etagOf(view.version)).header('cache-control', 'private, no-cache');
      return view;
    },
  );

  app.post(
    '/api/v1/ethics/cases/:id/declarations',
    {
      config: { action: 'ethics.declare' },
      schema: {
        tags: ['ethics'],
        summary: 'Declare a conflict of interest or none (ethics member; required before voting)',
        description: 'Once per member and case → 409 already_declared; a decided case → 409 ethics_case_decided.',
        params: IdParams,
        headers: idempotencyHeader,
        body: DeclarationBody,
        response: { 201: DeclarationView },
      },
    },
    async (request, reply) =>
      send(
        reply,
        await declare(deps, contextOf(request), {
          id: request.params.id,
          body: request.body,
          idempotencyKey: preconditionsOf(request).idempotencyKey,
        }),
      ),
  );

  app.post(
    '/api/v1/ethics/cases/:id/votes',
    {
      config: { action: 'ethics.vote' },
      schema: {
        tags: ['ethics'],
        summary: 'Vote on a case (ethics member, after declaring no conflict)',
        description:
          'No declaration → 409 declaration_required; a declared conflict → 403 conflict_of_interest; a second vote → 409 already_voted.',
        params: IdParams,
        headers: idempotencyHeader,
        body: VoteBody,
        response: { 201: VoteView },
      },
    },
    async (request, reply) =>
      send(
        reply,
        await castVote(deps, contextOf(request), {
          id: request.params.id,
          body: request.body,
          idempotencyKey: preconditionsOf(request).idempotencyKey,
        }),
      ),
  );

  app.post(
    '/api/v1/ethics/cases/:id/opinion',
    {
      config: { action: 'ethics.publish' },
      schema: {
        tags: ['ethics'],
        summary: 'Publish the reasoned opinion (ethics secretary); the outcome follows from the votes',
        description:
          'Quorum: at least 3 votes and two thirds of the eligible members (abstentions count), else 422 quorum_not_met. Outcome: favourable-type votes against unfavourable, a tie is unfavourable.',
        params: IdParams,
        headers: idempotencyHeader,
        body: OpinionBody,
        response: { 200: OpinionView },
      },
    },
    async (request, reply) =>
      send(
        reply,
        await publishOpinion(deps, contextOf(request), {
          id: request.params.id,
          body: request.body,
          idempotencyKey: preconditionsOf(request).idempotencyKey,
        }),
      ),
  );

  app.get(
    '/api/v1/ethics/members',
    {
      config: { action: 'ethics.members.read' },
      schema: {
        tags: ['ethics'],
        summary: 'The committee: users with an ethics role',
        response: { 200: MemberList },
      },
    },
    async (request) => committeeMembers(deps, contextOf(request)),
  );

  app.get(
    '/api/v1/ethics/members/:id/declarations',
    {
      config: { action: 'ethics.members.read' },
      schema: {
        tags: ['ethics'],
        summary: 'A member’s history of declarations of interest',
        params: IdParams,
        response: { 200: MemberDeclarations },
      },
    },
    async (request) => memberDeclarations(deps, contextOf(request), { id: request.params.id }),
  );

  app.put(
    '/api/v1/ethics/members/:id',
    {
      config: { action: 'ethics.members.manage' },
      schema: {
        tags: ['ethics'],
        summary: 'Give or take a regulator user’s committee roles (regulator administrator)',
        params: IdParams,
        body: MembershipBody,
        response: { 200: MemberView },
      },
    },
    async (request) => setMembership(deps, contextOf(request), { id: request.params.id, body: request.body }),
  );

  app.get(
    '/api/v1/public/ethics-opinions',
    {
      config: { action: 'ethics.opinions.read' },
      schema: {
        tags: ['ethics'],
        summary: 'Published opinions of the AI ethics committee (no member is named)',
        querystring: PublicQuery,
        response: { 200: PublicOpinionPage },
      },
    },
    async (request) => publicOpinions(deps, contextOf(request), request.query),
  );
}
