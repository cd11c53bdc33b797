/**
 * Integrations (API-CONTRACT-2 §7): signed webhooks fed from the outbox, e-mail by SMTP,
 * Prometheus metrics and staff single sign-on.
 */
import type { AppModule } from '../../platform/module.ts';
import { registerProblemTitles } from '../../platform/problem-titles.ts';
import { ensureNotificationMailStart, smtpMailConsumers, startNotificationMailer } from './mail.ts';
import { metricsRoutes } from './metrics.ts';
import { integrationRoutes } from './routes.ts';
import { webhookConsumers } from './webhook-events.ts';
import { startWebhookWorker } from './webhook-worker.ts';

export { WEBHOOK_EVENT_TYPES, WEBHOOK_SOURCES, type WebhookEventType } from './webhook-events.ts';
export type { IntegrationTables } from './tables.ts';

export const integrationsModule: AppModule = {
  name: 'integrations',
  async routes(app, deps) {
    registerProblemTitles({
      webhook_url_refused: { zh: 'webhook 网址被拒绝', en: 'Webhook URL refused' },
      webhook_limit_reached: { zh: 'webhook 订阅已达上限', en: 'Too many webhook subscriptions' },
      webhook_message_delivered: { zh: '消息已送达', en: 'Message already delivered' },
      sso_login_expired: { zh: '单点登录已过期', en: 'Single sign-on expired' },
      sso_failed: { zh: '单点登录失败', en: 'Single sign-on failed' },
      sso_user_unknown: { zh: '没有对应的工作人员账户', en: 'No staff account for this sign-on' },
    });
    await metricsRoutes(app, deps);
    await integrationRoutes(app, deps);
  },
  async startup(deps) {
    if (deps.config.smtpUrl !== undefined) await ensureNotificationMailStart(deps);
  },
  outboxConsumers(deps) {
    return { ...webhookConsumers(), ...(deps.config.smtpUrl === undefined ? {} : smtpMailConsumers(deps)) };
  },
  jobs(deps, log) {
    const stops = [startWebhookWorker(deps, log)];
    if (deps.config.smtpUrl !== undefined) stops.push(startNotificationMailer(deps, log));
    return async () => {
      await Promise.all(stops.map((stop) => stop()));
    };
  },
};
