import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { toQuestionnaire } from '../../lib/risk-evaluation.ts';
import type { RiskAssessment } from '../../lib/risk-rules.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { tooManyRequests } from '../../platform/errors.ts';
import { sendSerializedJson } from '../../platform/http.ts';
import { contextOf } from '../../platform/request-context.ts';
import { TokenBucketLimiter } from './rate-limit.ts';
import { loadCurrentRuleset } from './rulesets.ts';
import { Assessment, AssessmentBody, Questionnaire } from './schemas.ts';
import { assessAnswers } from './service.ts';

export async function riskRoutes(plain: FastifyInstance, deps: AppDeps): Promise<void> {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  // Loaded and validated while the app is built (a broken file stops the start), then fixed
  // for the process: rulesets change only with a release (rulesets.ts).
  const ruleset = await loadCurrentRuleset();

  app.get(
    '/api/v1/risk/questionnaire',
    {
      config: { action: 'risk.questionnaire' },
      schema: {
        tags: ['risk'],
        summary: 'The risk self-check questionnaire of the current ruleset',
        response: { 200: Questionnaire },
      },
    },
    () => {
      const { rulesetVersion, questions } = toQuestionnaire(ruleset);
      return {
        rulesetVersion,
        questions: questions.map(({ options, ...question }) => ({
          ...question,
          ...(options === undefined ? {} : { options: [...options] }),
        })),
      };
    },
  );

  const perMinute = deps.config.selfCheckRateLimitPerMinute;
  const limiter = perMinute > 0 ? new TokenBucketLimiter(perMinute, () => deps.clock.now().getTime()) : undefined;
  const rateLimit = async (request: FastifyRequest) => {
    const decision = limiter?.take(request.ip);
    if (decision?.allowed === false) {
      throw tooManyRequests(decision.retryAfterSeconds, {
        detail: {
          zh: `自评请求过于频繁（每个地址每分钟 ${perMinute} 次），请 ${decision.retryAfterSeconds} 秒后再试`,
          en: `Too many self-checks (${perMinute} a minute per address); retry in ${decision.retryAfterSeconds} s`,
        },
      });
    }
  };

  // The self-check is the busiest anonymous endpoint and has few distinct answers: evaluateRisk
  // shares one frozen assessment per combination of matching rules, so its JSON is built and
  // encoded once.
  const serialized = new WeakMap<RiskAssessment, Buffer>();

  app.post(
    '/api/v1/risk/assessments',
    {
      config: { action: 'risk.assess' },
      // Checked before the body is read or validated, so refused requests cost little.
      ...(limiter === undefined ? {} : { onRequest: rateLimit }),
      schema: {
        tags: ['risk'],
        summary: 'Grade answers into a risk tier with reasons and obligations (stores nothing)',
        description: `Anonymous; rate-limited per client address and per instance (AIGOV_SELF_CHECK_RATE_LIMIT a minute).`,
        body: AssessmentBody,
        response: { 200: Assessment },
      },
    },
    (request, reply) => {
      const assessment = assessAnswers(ruleset, contextOf(request), request.body);
      let json = serialized.get(assessment);
      if (json === undefined) {
        json = Buffer.from(reply.serialize(assessment) as string);
        serialized.set(assessment, json);
      }
      sendSerializedJson(reply, json);
    },
  );
}
