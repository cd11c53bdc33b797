import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { serialize } from 'cookie';
import type { AppDeps } from '../../platform/deps.ts';
import { decodeIdCursor, encodeCursor, PageQuery, pageOf, stringEnum } from '../../platform/http.ts';
import { contextOf } from '../../platform/request-context.ts';
import { presentedCredential, SESSION_COOKIE } from './authentication.ts';
import type { Organization, User } from './repo.ts';
import * as schemas from './schemas.ts';
import * as service from './service.ts';
import * as sessions from './session-service.ts';

const NoContent = Type.Null({ description: 'No content' });

export function userView(user: User) {
  return { id: user.id, email: user.email, name: user.name, roles: user.roles, organizationId: user.organizationId };
}

export function organizationView(org: Organization) {
  return {
    id: org.id,
    name: org.name,
    nameEn: org.nameEn,
    uscc: org.uscc,
    type: org.type,
    status: org.status,
    statusReason: org.statusReason,
    decidedAt: org.decidedAt?.toISOString() ?? null,
    createdAt: org.createdAt.toISOString(),
    version: org.version,
  };
}

function page<T extends { id: string }, V>(rows: T[], limit: number, view: (row: T) => V) {
  return {
    items: rows.map(view),
    nextCursor: rows.length === limit ? encodeCursor([rows[rows.length - 1]!.id]) : null,
  };
}

export async function identityRoutes(plain: FastifyInstance, deps: AppDeps): Promise<void> {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const secureCookie = deps.config.publicUrl?.startsWith('https:') === true;
  const setSessionCookie = (reply: FastifyReply, token: string, expiresAt: Date | null) =>
    reply.header(
      'set-cookie',
      serialize(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'lax',
        secure: secureCookie,
        path: '/',
        // Max-Age, not Expires: relative to the browser's own clock, so a session stays valid
        // whatever the browser's date says (and under the rehearsal clock, API-CONTRACT-2 §0).
        maxAge:
          expiresAt === null ? 0 : Math.max(1, Math.ceil((expiresAt.getTime() - deps.clock.now().getTime()) / 1000)),
      }),
    );

  app.post(
    '/api/v1/auth/login',
    {
      config: { action: 'auth.login' },
      schema: {
        tags: ['identity'],
        summary: 'Sign in; sets the aigov_session cookie and returns the same token for Bearer use',
        body: schemas.LoginBody,
        response: { 200: schemas.LoginResponse },
      },
    },
    async (request, reply) => {
      const result = await sessions.login(deps, contextOf(request), request.body);
      setSessionCookie(reply, result.token, result.expiresAt);
      return { token: result.token, expiresAt: result.expiresAt.toISOString(), user: userView(result.user) };
    },
  );

  app.post(
    '/api/v1/auth/logout',
    {
      config: { action: 'auth.logout' },
      schema: { tags: ['identity'], summary: 'Sign out: revokes this session', response: { 204: NoContent } },
    },
    async (request, reply) => {
      await sessions.logout(deps, contextOf(request), { token: presentedCredential(request)?.token });
      setSessionCookie(reply, '', null);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/auth/me',
    {
      config: { action: 'auth.me' },
      schema: { tags: ['identity'], summary: 'The signed-in user', response: { 200: schemas.MeResponse } },
    },
    async (request) => ({ user: userView(await sessions.currentUser(deps, contextOf(request))) }),
  );

  app.post(
    '/api/v1/auth/password',
    {
      config: { action: 'auth.password.change' },
      schema: {
        tags: ['identity'],
        summary: 'Change the password; revokes every session and every personal API token',
        body: schemas.PasswordChangeBody,
        response: { 204: NoContent },
      },
    },
    async (request, reply) => {
      await sessions.changePassword(deps, contextOf(request), request.body);
      setSessionCookie(reply, '', null);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/auth/password-reset-requests',
    {
      config: { action: 'auth.password.reset' },
      schema: {
        tags: ['identity'],
        summary: 'Request a password reset link (same answer whether or not the email exists)',
        body: schemas.ResetRequestBody,
        response: { 202: NoContent },
      },
    },
    async (request, reply) => {
      await sessions.requestPasswordReset(deps, contextOf(request), request.body);
      return reply.code(202).send(null);
    },
  );

  app.post(
    '/api/v1/auth/password-resets',
    {
      config: { action: 'auth.password.reset' },
      schema: {
        tags: ['identity'],
        summary: 'Set a new password with a reset token; revokes every session and every personal API token',
        body: schemas.ResetBody,
        response: { 204: NoContent },
      },
    },
    async (request, reply) => {
      await sessions.completePasswordReset(deps, contextOf(request), request.body);
      return reply.code(204).send(null);
    },
  );

  const tokenView = (token: sessions.ApiTokenView) => ({
    id: token.id,
    name: token.name,
    scopes: token.scopes,
    createdAt: token.createdAt.toISOString(),
    expiresAt: token.expiresAt?.toISOString() ?? null,
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
  });

  app.post(
    '/api/v1/auth/tokens',
    {
      config: { action: 'tokens.manage' },
      schema: {
        tags: ['identity'],
        summary: 'Create a personal API token (the secret is shown once)',
        body: schemas.TokenCreateBody,
        response: { 201: schemas.TokenCreatedSchema },
      },
    },
    async (request, reply) => {
      const created = await sessions.createApiToken(deps, contextOf(request), request.body);
      return reply.code(201).send({ ...tokenView(created), token: created.token });
    },
  );

  app.get(
    '/api/v1/auth/tokens',
    {
      config: { action: 'tokens.manage' },
      schema: {
        tags: ['identity'],
        summary: 'My active API tokens',
        response: { 200: Type.Object({ items: Type.Array(schemas.TokenSchema) }) },
      },
    },
    async (request) => ({ items: (await sessions.listApiTokens(deps, contextOf(request))).map(tokenView) }),
  );

  app.delete(
    '/api/v1/auth/tokens/:id',
    {
      config: { action: 'tokens.manage' },
      schema: {
        tags: ['identity'],
        summary: 'Revoke an API token',
        params: schemas.IdParams,
        response: { 204: NoContent },
      },
    },
    async (request, reply) => {
      await sessions.revokeApiToken(deps, contextOf(request), request.params);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/registrations',
    {
      config: { action: 'registrations.create' },
      schema: {
        tags: ['identity'],
        summary: 'Register an organisation and its first administrator (pending verification)',
        body: schemas.RegistrationBody,
        response: { 201: schemas.RegistrationResponse },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await service.registerOrganization(deps, contextOf(request), request.body)),
  );

  app.get(
    '/api/v1/organizations',
    {
      config: { action: 'organizations.list' },
      schema: {
        tags: ['identity'],
        summary: 'Organisations (regulator administrators), optionally by status',
        querystring: Type.Object(
          { ...PageQuery, status: Type.Optional(stringEnum(schemas.ORGANIZATION_STATUSES)) },
          { additionalProperties: false },
        ),
        response: { 200: pageOf(schemas.OrganizationSchema) },
      },
    },
    async (request) => {
      const { limit, cursor, status } = request.query;
      const rows = await service.listOrganizations(deps, contextOf(request), {
        status,
        afterId: decodeIdCursor(cursor),
        limit,
      });
      return page(rows, limit, organizationView);
    },
  );

  app.get(
    '/api/v1/organizations/:id',
    {
      config: { action: 'organizations.read' },
      schema: {
        tags: ['identity'],
        summary: 'One organisation',
        params: schemas.IdParams,
        response: { 200: schemas.OrganizationSchema },
      },
    },
    async (request) => organizationView(await service.getOrganization(deps, contextOf(request), request.params)),
  );

  app.post(
    '/api/v1/organizations/:id/verification',
    {
      config: { action: 'organizations.verify' },
      schema: {
        tags: ['identity'],
        summary: 'Verify or reject a registered organisation',
        params: schemas.IdParams,
        body: schemas.VerificationBody,
        response: { 200: schemas.OrganizationSchema },
      },
    },
    async (request) =>
      organizationView(
        await service.decideOrganizationVerification(deps, contextOf(request), {
          organizationId: request.params.id,
          ...request.body,
        }),
      ),
  );

  app.post(
    '/api/v1/organizations/:id/users',
    {
      config: { action: 'organizations.users.create' },
      schema: {
        tags: ['identity'],
        summary: 'Add a member to an organisation (its org_admin or a regulator admin)',
        params: schemas.IdParams,
        body: schemas.OrgUserBody,
        response: { 201: schemas.UserSchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(
        userView(
          await service.addOrganizationUser(deps, contextOf(request), {
            organizationId: request.params.id,
            ...request.body,
          }),
        ),
      ),
  );

  app.get(
    '/api/v1/organizations/:id/users',
    {
      config: { action: 'organizations.users.list' },
      schema: {
        tags: ['identity'],
        summary: "An organisation's members",
        params: schemas.IdParams,
        querystring: Type.Object(PageQuery, { additionalProperties: false }),
        response: { 200: pageOf(schemas.UserSchema) },
      },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      const rows = await service.listOrganizationUsers(deps, contextOf(request), {
        organizationId: request.params.id,
        afterId: decodeIdCursor(cursor),
        limit,
      });
      return page(rows, limit, userView);
    },
  );

  app.post(
    '/api/v1/users',
    {
      config: { action: 'users.create' },
      schema: {
        tags: ['identity'],
        summary: 'Create a regulator staff account',
        body: schemas.StaffUserBody,
        response: { 201: schemas.UserSchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(userView(await service.createStaffUser(deps, contextOf(request), request.body))),
  );

  app.get(
    '/api/v1/users',
    {
      config: { action: 'users.list' },
      schema: {
        tags: ['identity'],
        summary: 'All user accounts (regulator administrators)',
        querystring: Type.Object(PageQuery, { additionalProperties: false }),
        response: { 200: pageOf(schemas.UserSchema) },
      },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      const rows = await service.listStaffAndUsers(deps, contextOf(request), {
        afterId: decodeIdCursor(cursor),
        limit,
      });
      return page(rows, limit, userView);
    },
  );
}
