import { assertCan, systemResource } from '../../platform/authz.ts';
import type { AppDeps } from '../../platform/deps.ts';
import type { RequestContext } from '../../platform/request-context.ts';
import { messageCounts } from './webhook-repo.ts';

/** `GET /integrations/status` (regulator administrators): what is configured, how deliveries stand. */
export async function integrationStatus(deps: AppDeps, ctx: RequestContext) {
  assertCan(ctx.principal, 'integrations.status', systemResource('integrations'));
  const counts = await messageCounts(deps.db);
  const subscriptions = await deps.db
    .selectFrom('webhook_subscriptions')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return {
    webhooks: {
      subscriptions: Number(subscriptions.n),
      ...counts,
      allowHosts: [...deps.config.webhookAllowHosts].sort(),
    },
    email: { transport: deps.config.smtpUrl === undefined ? ('file' as const) : ('smtp' as const) },
    metrics: { enabled: deps.config.metricsToken !== undefined },
    sso: { enabled: deps.config.oidc !== undefined, issuer: deps.config.oidc?.issuer ?? null },
  };
}
