/**
 * `aigov demo`: a demonstration install seeded through the real services, so its data is
 * what the workflow makes — organisations registered and verified, products graded by the
 * risk self-check, filings drafted, submitted, reviewed and decided by signed-in users, the
 * register and transparency log fed by the outbox as a decision would feed them.
 *
 * Time: the demo runs on its own manual clock, from a year before `deps.clock.now()` (which
 * honours AIGOV_CLOCK_START) forward in step order, never past "now"; every service, the
 * outbox and the audit trail read that clock, so decisions are spread over the last year.
 */
import {
  assignFiling,
  createFiling,
  decideFiling,
  requestInformation,
  respondToInformationRequest,
  submitFiling,
  uploadDocument,
  withdrawFiling,
} from '../../modules/filings/index.ts';
import {
  createStaffUser,
  decideOrganizationVerification,
  firstRegulatorAdministrator,
  login,
  principalOfToken,
  registerOrganization,
} from '../../modules/identity/index.ts';
import { outboxConsumers } from '../../modules/index.ts';
import { registerProduct } from '../../modules/products/index.ts';
import { chainPendingAuditEvents } from '../../platform/audit.ts';
import { ManualClock } from '../../platform/clock.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { drainOutbox } from '../../platform/outbox-worker.ts';
import type { RequestContext } from '../../platform/request-context.ts';
import { systemContext } from '../../platform/request-context.ts';
import { kindForTier } from '../../domain/filings.ts';
import { DEMO_MAIL_DOMAIN, DEMO_ORGANIZATIONS, DEMO_STAFF, type DemoProduct } from './scenario.ts';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** The password of every demo login: printed at the end, for demonstration installs only. */
export const DEMO_PASSWORD = 'Lotus-Harbour-Nanshan-2026';

export interface DemoLogin {
  email: string;
  password: string;
  role: string;
  organization?: string;
}

export interface DemoSeed {
  logins: DemoLogin[];
  organizations: number;
  products: number;
  /** Filings per final status. */
  filings: Record<string, number>;
}

/** A minimal PDF: the risk assessment report every assessment needs. */
const REPORT_PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

interface Step {
  at: number;
  run: () => Promise<void>;
}

/** A signed-in demo user: signs in through the identity module and acts as the session's principal. */
async function signIn(deps: AppDeps, email: string): Promise<RequestContext> {
  const session = await login(deps, systemContext(), { email, password: DEMO_PASSWORD });
  const principal = await principalOfToken(deps, session.token);
  if (principal === undefined) throw new Error(`aigov demo: the session of ${email} does not resolve`);
  return { ...systemContext(), principal };
}

/**
 * Seeds the demonstration data. The caller has checked that the install is one the demo may
 * write to (see the command); a first regulator administrator must exist (server start-up
 * creates one) — the demo acts on that operator's behalf to create its own staff.
 */
export async function seedDemo(deps: AppDeps): Promise<DemoSeed> {
  const operator = await firstRegulatorAdministrator(deps);
  if (operator === undefined) throw new Error('aigov demo: no regulator administrator (start the server once first)');
  const end = deps.clock.now().getTime();
  const clock = new ManualClock(new Date(end - 372 * DAY_MS));
  const demo: AppDeps = { ...deps, clock };
  const consumers = outboxConsumers(demo);
  const logins: DemoLogin[] = [];
  const mail = (login: string) => `${login}@${DEMO_MAIL_DOMAIN}`;

  // The demo's staff, created by the operator.
  const operatorContext = { ...systemContext(), principal: operator };
  for (const staff of DEMO_STAFF) {
    await createStaffUser(demo, operatorContext, {
      email: mail(staff.login),
      name: staff.name,
      roles: [...staff.roles],
      password: DEMO_PASSWORD,
    });
    logins.push({ email: mail(staff.login), password: DEMO_PASSWORD, role: staff.roles.join(', ') });
  }
  const admin = await signIn(demo, mail('admin'));
  const reviewers = [await signIn(demo, mail('reviewer')), await signIn(demo, mail('reviewer2'))];

  const steps: Step[] = [];
  const at = (daysAgo: number, hours = 0) => end - daysAgo * DAY_MS + hours * HOUR_MS;
  const filings: Record<string, number> = {};
  let productCount = 0;
  for (const [index, organization] of DEMO_ORGANIZATIONS.entries()) {
    const contexts: { provider?: RequestContext } = {};
    const email = mail(organization.login);
    steps.push({
      at: at(organization.registeredDaysAgo),
      run: async () => {
        const receipt = await registerOrganization(demo, systemContext(), {
          organization: {
            name: organization.name,
            nameEn: organization.nameEn,
            uscc: organization.uscc,
            type: 'enterprise',
          },
          admin: { email, name: organization.adminName, password: DEMO_PASSWORD },
        });
        clock.advanceMs(3 * HOUR_MS);
        await decideOrganizationVerification(demo, admin, {
          organizationId: receipt.organizationId,
          decision: 'verified',
        });
        contexts.provider = await signIn(demo, email);
      },
    });
    logins.push({ email, password: DEMO_PASSWORD, role: 'org_admin', organization: organization.name });
    for (const product of organization.products) {
      productCount += 1;
      filings[product.end] = (filings[product.end] ?? 0) + 1;
      steps.push(...productSteps(product, at, () => contexts.provider!, reviewers[(index + productCount) % 2]!, demo));
    }
  }

  // One clock: every step in time order (each product's steps are in order already).
  steps.sort((a, b) => a.at - b.at);
  for (const step of steps) {
    if (step.at > clock.now().getTime()) clock.set(new Date(step.at));
    await step.run();
    await drainOutbox(demo.db, clock, consumers);
  }
  while ((await chainPendingAuditEvents(deps.db)) > 0);
  return { logins, organizations: DEMO_ORGANIZATIONS.length, products: productCount, filings };
}

/**
 * The steps of one product's history: registered (graded by its risk answers) and a filing
 * drafted the same day; then submitted, claimed, asked for information, answered, decided or
 * withdrawn, days apart, ending `daysAgo` days before now in the status the scenario names.
 */
function productSteps(
  product: DemoProduct,
  at: (daysAgo: number, hours?: number) => number,
  provider: () => RequestContext,
  reviewer: RequestContext,
  deps: AppDeps,
): Step[] {
  const kind = kindForTier(product.tier);
  if (kind === undefined) throw new Error(`aigov demo: ${product.name} cannot be filed`);
  const state: { filingId?: string } = {};
  const filingId = () => state.filingId!;
  const history: Array<(days: number) => Step> = [];
  const step = (run: () => Promise<void>) => (days: number) => ({ at: at(days), run });

  history.push(
    step(async () => {
      const registered = await registerProduct(deps, provider(), {
        name: product.name,
        nameEn: product.nameEn,
        description: product.description,
        catalogueCode: product.catalogueCode,
        productVersion: '1.0.0',
        intendedUse: product.intendedUse,
        riskAnswers: product.riskAnswers,
      });
      if (registered.tier !== product.tier) {
        throw new Error(`aigov demo: ${product.name} graded ${registered.tier}, the scenario expects ${product.tier}`);
      }
      const created = await createFiling(deps, provider(), {
        productId: registered.id,
        body: {
          kind,
          summary: `${product.description}用途：${product.intendedUse}`,
          ...(product.tier === 'medium'
            ? {
                transparencyMeasures:
                  '界面和每次对话开头提示用户正在与人工智能交互；生成内容带有显式标识和元数据隐式标识。',
              }
            : {}),
        },
      });
      state.filingId = created.body.id;
      if (kind === 'assessment') {
        await uploadDocument(deps, provider(), {
          id: filingId(),
          readUpload: () =>
            Promise.resolve({
              documentType: 'risk_assessment_report',
              fileName: '风险评估报告.pdf',
              declaredContentType: 'application/pdf',
              bytes: REPORT_PDF,
            }),
        });
      }
    }),
  );
  if (product.end === 'draft') return schedule(history, product.daysAgo);
  if (product.end === 'withdrawn') {
    history.push(step(() => done(withdrawFiling(deps, provider(), { id: filingId() }))));
    return schedule(history, product.daysAgo);
  }
  history.push(step(() => done(submitFiling(deps, provider(), { id: filingId() }))));
  if (kind === 'disclosure' || product.end === 'submitted') return schedule(history, product.daysAgo);

  history.push(step(() => done(assignFiling(deps, reviewer, { id: filingId(), body: {} }))));
  if (product.end === 'under_review') return schedule(history, product.daysAgo);
  if (product.askedForInformation === true || product.end === 'information_requested') {
    const message = { message: '请补充训练数据来源说明和误报率测试结果。' };
    history.push(step(() => done(requestInformation(deps, reviewer, { id: filingId(), body: message }))));
    if (product.end === 'information_requested') return schedule(history, product.daysAgo);
    const answer = { message: '已补充训练数据来源清单和第三方测试报告，详见附件说明。' };
    history.push(step(() => done(respondToInformationRequest(deps, provider(), { id: filingId(), body: answer }))));
  }
  const outcome = product.end;
  if (outcome !== 'approved' && outcome !== 'approved_with_conditions' && outcome !== 'rejected') {
    throw new Error(`aigov demo: an assessment cannot end ${outcome}`);
  }
  history.push(
    step(() =>
      done(
        decideFiling(deps, reviewer, {
          id: filingId(),
          body: {
            outcome,
            reasons:
              outcome === 'rejected'
                ? '风险评估未覆盖对求职者的歧视性影响，缺少人工复核机制。'
                : '风险评估充分，人工复核和投诉渠道完备。',
            legalBasis: '《深圳经济特区人工智能产业促进条例》',
            ...(outcome === 'approved_with_conditions'
              ? { conditions: ['每半年提交一次偏差监测报告', '评估结论须由面试官复核后方可使用'] }
              : {}),
          },
        }),
      ),
    ),
  );
  return schedule(history, product.daysAgo);
}

/** Spreads a history's steps a few days apart so that the last one is `daysAgo` days before now. */
function schedule(history: Array<(days: number) => Step>, daysAgo: number): Step[] {
  const gap = history.length <= 3 ? 1 : 4;
  return history.map((make, index) => make(daysAgo + (history.length - 1 - index) * gap));
}

async function done(work: Promise<unknown>): Promise<void> {
  await work;
}
