// Shared set-up for the browser tests: the real application on a fresh database listening on
// 127.0.0.1, a headless Chromium, the UI texts from the i18n catalogues, logging in through the
// UI, draining the outbox (the background poller does not run in tests) and screenshots.
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ManualClock } from '../../src/platform/clock.ts';
import { drainOutbox } from '../../src/platform/outbox-worker.ts';
import { WEB_DIST_DIR } from '../../src/platform/web.ts';
import { outboxConsumers } from '../../src/modules/index.ts';
import { buildTestApp, type TestApp } from '../helpers/test-app.ts';
import { PROCESS_CLOCK_START } from '../helpers/calendar-fixtures.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const root = path.resolve(import.meta.dirname, '../..');
export const SCREENSHOT_DIR = path.join(root, 'test-output/screenshots');

/** `skip` option of every browser test: a clear reason when Chromium is not installed. */
export const skip = fs.existsSync(CHROMIUM) ? false : `no ${CHROMIUM} (apt-get install chromium fonts-noto-cjk)`;

export interface Catalogue {
  [key: string]: string | Catalogue;
}

export type Language = 'zh-CN' | 'en';

export const zh = JSON.parse(fs.readFileSync(path.join(root, 'web/src/i18n/zh-CN.json'), 'utf8')) as Catalogue;
export const en = JSON.parse(fs.readFileSync(path.join(root, 'web/src/i18n/en.json'), 'utf8')) as Catalogue;
export const catalogues: Record<Language, Catalogue> = { 'zh-CN': zh, en };

/**
 * A UI string as the page shows it: the catalogue entry with `{{name}}` filled in. With a
 * numeric `count` the plural form is chosen as i18next does (English _one/_other, Chinese _other).
 */
export function text(catalogue: Catalogue, key: string, values: Record<string, string | number> = {}): string {
  const lookup = (dotted: string): string | undefined => {
    let node: string | Catalogue | undefined = catalogue;
    for (const part of dotted.split('.')) node = typeof node === 'object' ? node[part] : undefined;
    return typeof node === 'string' ? node : undefined;
  };
  let template = lookup(key);
  if (template === undefined && typeof values.count === 'number') {
    const form = values.count === 1 && catalogue === en ? 'one' : 'other';
    template = lookup(`${key}_${form}`) ?? lookup(`${key}_other`);
  }
  if (template === undefined) throw new Error(`no string ${key}`);
  return template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) =>
    values[name] === undefined ? whole : String(values[name]),
  );
}

/** An exact-match regular expression for a UI string (for `hasText` / `getByRole({name})`). */
export function exactly(value: string): RegExp {
  return new RegExp(`^\\s*${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
}

/** The server serves dist/web; CI builds it first, a bare checkout builds it here once. */
async function ensureWebBuild(): Promise<void> {
  if (fs.existsSync(path.join(WEB_DIST_DIR, 'index.html'))) return;
  const { build } = await import('vite');
  await build({ configFile: path.join(root, 'web/vite.config.ts'), logLevel: 'warn' });
}

export interface RunningApp extends TestApp {
  base: string;
  /** Runs the outbox consumers (register, transparency log, notifications) until nothing is pending. */
  drain(): Promise<number>;
}

export async function startApp(t: TestContext, options: { clockStart?: string } = {}): Promise<RunningApp> {
  await ensureWebBuild();
  // A fixed instant, never the machine's date (session cookies use Max-Age, so the browser's
  // own clock does not matter).
  const ta = await buildTestApp(t, { clock: new ManualClock(options.clockStart ?? PROCESS_CLOCK_START) });
  await ta.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = ta.app.server.address() as AddressInfo;
  const consumers = outboxConsumers(ta.deps);
  return {
    ...ta,
    base: `http://127.0.0.1:${port}`,
    drain: () => drainOutbox(ta.db, ta.clock, consumers),
  };
}

export async function launch(t: TestContext): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  t.after(() => browser.close());
  return browser;
}

/** Uncaught exceptions in the page fail the test; failed requests (401/404/422) are expected. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

/** Pages opened by newActor in this process, for screenshots when a flow fails. */
const openPages: Array<{ name: string; page: Page }> = [];

/**
 * Runs a flow; if it throws, every open page is saved under test-output/failures/ (named by
 * actor) before the error is passed on, so a red run shows what each person saw.
 */
export async function withFailureScreenshots(flow: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    const dir = path.join(root, 'test-output/failures');
    fs.mkdirSync(dir, { recursive: true });
    for (const { name, page } of openPages) {
      if (page.isClosed()) continue;
      await page
        .screenshot({ path: path.join(dir, `${flow}.${name}.png`), fullPage: true, timeout: 5_000 })
        .catch(() => undefined);
    }
    throw error;
  } finally {
    openPages.length = 0;
  }
}

export interface Actor {
  context: BrowserContext;
  page: Page;
  errors: string[];
}

/** A separate browser profile (own cookies and storage) for one person in a flow. */
export async function newActor(browser: Browser, options: { name?: string; language?: Language } = {}): Promise<Actor> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  if (options.language !== undefined) {
    await context.addInitScript((language) => {
      if (window.localStorage.getItem('aigov.language') === null)
        window.localStorage.setItem('aigov.language', language);
    }, options.language);
  }
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  openPages.push({ name: options.name ?? `actor${openPages.length + 1}`, page });
  return { context, page, errors: watchErrors(page) };
}

/** Logs in through the login form and waits for the role's landing page. */
export async function login(page: Page, base: string, email: string, password: string, landing: RegExp) {
  await page.goto(`${base}/login`);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL(landing);
  await page.getByTestId('current-user').waitFor();
}

/** The page's language as the app set it on <html lang>. */
export async function pageLanguage(page: Page): Promise<Language> {
  return (await page.evaluate(() => document.documentElement.lang)) === 'en' ? 'en' : 'zh-CN';
}

/** Clicks the language switch and waits until <html lang> and the page heading follow. */
export async function switchLanguage(page: Page, to: Language): Promise<void> {
  if ((await pageLanguage(page)) === to) return;
  await page.getByTestId('language-switch').click();
  await page.waitForFunction((language) => document.documentElement.lang === language, to);
  await page
    .getByTestId('language-switch')
    .filter({ hasText: exactly(text(catalogues[to], 'nav.otherLanguage')) })
    .waitFor();
}

/** The <h1> of the page, as a locator filtered to the given text. */
export function heading(page: Page, value: string) {
  return page.locator('h1').filter({ hasText: value });
}

/** Waits until no request has been in flight for a moment and no skeleton or spinner is shown. */
export async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.locator('.ant-skeleton, .ant-spin-spinning').first().waitFor({ state: 'detached' });
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
}

const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
/** The rules the platform promises to meet: WCAG 2.1 level A and AA. */
const WCAG_AA_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/**
 * Runs axe-core on the page as it is and fails on any WCAG 2.1 AA violation, naming the rule,
 * the first elements and why (issue #19 item 17).
 */
export async function assertAccessible(page: Page, where = page.url()): Promise<void> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: unknown) => Promise<unknown> } }).axe;
    const result = (await axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    })) as {
      violations: AxeViolation[];
    };
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
      count: v.nodes.length,
    }));
  }, WCAG_AA_TAGS);
  assert.deepEqual(
    violations.map(
      (v) =>
        `${v.id} ×${v.count}: ${v.help} — ${v.nodes.map((n) => `${n.target.join(' ')} (${(n.failureSummary ?? '').split('\n').slice(1, 2).join('').trim()})`).join('; ')}`,
    ),
    [],
    `WCAG 2.1 AA violations on ${where} (${await pageLanguage(page)})`,
  );
}

/** A full-page screenshot under test-output/screenshots/<name>.<language>.png, after an axe check. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await settle(page);
  await assertAccessible(page, name);
  // Toasts fade in and out: keep them out of the pictures.
  await page
    .locator('.ant-message-notice')
    .first()
    .waitFor({ state: 'detached' })
    .catch(() => undefined);
  // The header is sticky: from the top, a full-page capture shows it once, where it belongs.
  await page.evaluate(() => window.scrollTo(0, 0));
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.${await pageLanguage(page)}.png`);
  await page.screenshot({ path: file, fullPage: true });
  assert.ok(fs.statSync(file).size > 5_000, `${file} looks empty`);
  return file;
}

/**
 * Screenshots of the page in Chinese and in English (through the language switch), then back
 * to the language it was in. `ready` waits for something language-specific on the page.
 */
export async function screenshotBothLanguages(
  page: Page,
  name: string,
  ready: (catalogue: Catalogue) => Promise<unknown>,
): Promise<void> {
  const original = await pageLanguage(page);
  for (const language of [original, original === 'en' ? 'zh-CN' : 'en'] as const) {
    await switchLanguage(page, language);
    await ready(catalogues[language]);
    await screenshot(page, name);
  }
  await switchLanguage(page, original);
  await ready(catalogues[original]);
}

interface QuestionOption {
  value: string;
  labelZh: string;
  labelEn: string;
}

export interface Question {
  key: string;
  type: string;
  labelZh: string;
  labelEn: string;
  options?: QuestionOption[];
}

/** The risk questionnaire as the server publishes it (the option labels the form shows). */
export async function questionnaire(app: RunningApp): Promise<Question[]> {
  const response = await app.app.inject({ method: 'GET', url: '/api/v1/risk/questionnaire' });
  assert.equal(response.statusCode, 200, response.body);
  return response.json<{ questions: Question[] }>().questions;
}

export interface ProductInput {
  name: string;
  nameEn: string;
  description: string;
  intendedUse: string;
  catalogueCode: string;
  version: string;
  /** Every question's answer, as the API takes them. */
  riskAnswers: Record<string, string | boolean | string[]>;
}

/**
 * Fills the product form (/provider/products/new) in Chinese the way a person does: typing,
 * picking the catalogue class in the tree, and answering every risk question by its label.
 */
export async function fillProductForm(page: Page, questions: Question[], product: ProductInput): Promise<void> {
  const form = page.getByTestId('product-form');
  await form.waitFor();
  await page.getByTestId('product-name').fill(product.name);
  await form.getByLabel(text(zh, 'product.nameEn')).fill(product.nameEn);
  await form.getByLabel(text(zh, 'product.description')).fill(product.description);
  await form.getByLabel(text(zh, 'product.intendedUse')).fill(product.intendedUse);
  await form.getByLabel(text(zh, 'product.productVersion')).fill(product.version);

  // The catalogue tree: search by code, then pick the node.
  await form.getByLabel(text(zh, 'product.catalogue')).click();
  await form.getByLabel(text(zh, 'product.catalogue')).fill(product.catalogueCode);
  await page
    .locator('.ant-select-tree-node-content-wrapper')
    .filter({ hasText: new RegExp(`^${product.catalogueCode} `) })
    .click();
  await form
    .getByTestId('product-catalogue')
    .filter({ hasText: new RegExp(`^${product.catalogueCode} `) })
    .waitFor();

  for (const question of questions) {
    const answer = product.riskAnswers[question.key];
    if (answer === undefined) throw new Error(`no answer for question ${question.key}`);
    const field = form.getByTestId(`question-${question.key}`);
    const label = (value: string) => question.options?.find((option) => option.value === value)?.labelZh ?? value;
    if (typeof answer === 'boolean') {
      await field
        .locator('.ant-radio-wrapper')
        .filter({ hasText: exactly(text(zh, answer ? 'common.yes' : 'common.no')) })
        .click();
    } else if (Array.isArray(answer)) {
      for (const value of answer) {
        await field
          .locator('.ant-checkbox-wrapper')
          .filter({ has: page.locator('span', { hasText: exactly(label(value)) }) })
          .click();
      }
    } else if ((await field.locator('.ant-select').count()) > 0) {
      await field.locator('.ant-select').click();
      await page.keyboard.type(label(answer));
      await page
        .locator('.ant-select-dropdown:visible .ant-select-item-option')
        .filter({ hasText: exactly(label(answer)) })
        .click();
    } else {
      await field
        .locator('.ant-radio-wrapper')
        .filter({ has: page.locator('span', { hasText: exactly(label(answer)) }) })
        .click();
    }
  }
}
