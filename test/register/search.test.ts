import { test } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../helpers/test-app.ts';
import { decisionPayload, publish } from './helpers.ts';

interface Item {
  id: string;
  name: string;
  nameEn: string | null;
  provider: { name: string; uscc: string };
  catalogueCode: string;
  tier: string;
  status: string;
  decidedAt: string;
  logIndex: number | null;
}
interface Page {
  items: Item[];
  nextCursor: string | null;
}

const env = { AIGOV_DATA_DIR: os.tmpdir() };

async function search(app: FastifyInstance, query: Record<string, string | number>): Promise<Page> {
  const response = await app.inject({ method: 'GET', url: '/api/v1/public/products', query: stringify(query) });
  assert.equal(response.statusCode, 200, response.body);
  return response.json<Page>();
}

function stringify(query: Record<string, string | number>): Record<string, string> {
  return Object.fromEntries(Object.entries(query).map(([k, v]) => [k, String(v)]));
}

const names = (page: Page) => page.items.map((item) => item.name);

/** A small register with near misses, so each query must find the right products and only them. */
const CORPUS = [
  {
    name: '深圳市鹏城智能医疗影像辅助诊断系统',
    nameEn: 'Pengcheng Medical Imaging Diagnostic Assistant',
    catalogueCode: 'A0201',
    tier: 'high',
    description: '基于深度学习对CT医疗影像进行病灶检测。',
  },
  {
    name: '南山肺结节CT影像筛查软件',
    nameEn: 'Nanshan Lung Nodule CT Screening',
    catalogueCode: 'A0201',
    tier: 'high',
    description: '自动检出胸部CT中的肺结节，辅助放射科医生。',
  },
  {
    name: '前海云帆人脸识别门禁系统',
    nameEn: 'Yunfan Face Recognition Access Control',
    catalogueCode: 'T0701',
    tier: 'medium',
    description: '一比一人脸识别核验通行人员身份。',
  },
  {
    name: '星图人脸识别考勤终端',
    nameEn: 'Xingtu Face Recognition Attendance Terminal',
    catalogueCode: 'T0701',
    tier: 'medium',
    description: '员工刷脸考勤。',
  },
  {
    name: '灵犀智能客服机器人',
    nameEn: 'Lingxi Customer Service Chatbot',
    catalogueCode: 'A0803',
    tier: 'medium',
    description: '基于大模型自动回答用户咨询，复杂问题转人工。',
  },
  {
    name: '海纳智能客服平台',
    nameEn: 'Haina Intelligent Customer Service Platform',
    catalogueCode: 'A0803',
    tier: 'medium',
    description: '在线文本与语音客服。',
  },
  {
    name: '天枢工业视觉质检系统',
    nameEn: 'Tianshu Industrial Visual Inspection',
    catalogueCode: 'A0101',
    tier: 'low',
    description: '检测电子元器件表面缺陷。',
  },
  {
    name: '极光风电功率预测系统',
    nameEn: 'Jiguang Wind Power Forecasting',
    catalogueCode: 'A1001',
    tier: 'low',
    description: '预测风电场出力。',
  },
  {
    name: '麒麟智能座舱语音助手',
    nameEn: 'Qilin Smart Cockpit Voice Assistant',
    catalogueCode: 'A0302',
    tier: 'medium',
    description: '车内语音交互。',
  },
  {
    name: '慧眼健康管理智能问诊助手',
    nameEn: 'Huiyan Online Consultation Assistant',
    catalogueCode: 'A0204',
    tier: 'medium',
    description: '多轮对话采集症状并给出分诊建议。',
  },
] satisfies Parameters<typeof decisionPayload>[0][];

async function registerWithCorpus(t: Parameters<typeof buildTestApp>[0]) {
  const built = await buildTestApp(t, { env });
  const payloads = CORPUS.map((entry) => decisionPayload(entry));
  await publish(built.deps, payloads);
  return { ...built, payloads };
}

test('Chinese queries find the right products through jieba segmentation', async (t) => {
  const { app } = await registerWithCorpus(t);
  assert.deepEqual(names(await search(app, { q: '医疗影像' })), ['深圳市鹏城智能医疗影像辅助诊断系统']);
  assert.deepEqual(
    new Set(names(await search(app, { q: '人脸识别' }))),
    new Set(['前海云帆人脸识别门禁系统', '星图人脸识别考勤终端']),
  );
  assert.deepEqual(
    new Set(names(await search(app, { q: '智能客服' }))),
    new Set(['灵犀智能客服机器人', '海纳智能客服平台']),
  );
  // Every word must match: 人脸识别 + 考勤 is one product.
  assert.deepEqual(names(await search(app, { q: '人脸识别考勤' })), ['星图人脸识别考勤终端']);
  // Words of the description count too (weighted below the name).
  assert.deepEqual(names(await search(app, { q: '肺结节' })), ['南山肺结节CT影像筛查软件']);
  // A provider's two-character brand, which jieba keeps inside a longer word (前海云帆).
  assert.deepEqual(names(await search(app, { q: '云帆' })), ['前海云帆人脸识别门禁系统']);
  // Full-width input from a Chinese IME folds to ASCII.
  assert.ok(names(await search(app, { q: 'ＣＴ' })).includes('南山肺结节CT影像筛查软件'));
  assert.deepEqual(names(await search(app, { q: '区块链' })), []);
});

test('English queries match stemmed words of the English names', async (t) => {
  const { app } = await registerWithCorpus(t);
  assert.deepEqual(names(await search(app, { q: 'medical imaging' })), ['深圳市鹏城智能医疗影像辅助诊断系统']);
  assert.deepEqual(
    new Set(names(await search(app, { q: 'face recognition' }))),
    new Set(['前海云帆人脸识别门禁系统', '星图人脸识别考勤终端']),
  );
  assert.deepEqual(names(await search(app, { q: 'chatbots' })), ['灵犀智能客服机器人']);
  assert.deepEqual(
    new Set(names(await search(app, { q: 'Customer Service' }))),
    new Set(['灵犀智能客服机器人', '海纳智能客服平台']),
  );
  assert.deepEqual(names(await search(app, { q: 'forecast' })), ['极光风电功率预测系统']);
});

test('typos and partial names match by trigram, best match first', async (t) => {
  const { app } = await registerWithCorpus(t);
  assert.equal(names(await search(app, { q: 'imagng' }))[0], '深圳市鹏城智能医疗影像辅助诊断系统');
  assert.equal(names(await search(app, { q: 'Recogniton Acess' }))[0], '前海云帆人脸识别门禁系统');
  assert.equal(names(await search(app, { q: 'Jiguang Wind Powr' }))[0], '极光风电功率预测系统');
  // Partial Chinese names (a fragment jieba cuts differently from the document).
  assert.deepEqual(names(await search(app, { q: '影像辅助诊' })), ['深圳市鹏城智能医疗影像辅助诊断系统']);
  assert.equal(names(await search(app, { q: '视觉质' }))[0], '天枢工业视觉质检系统');
  assert.equal(names(await search(app, { q: 'yunfan fa' }))[0], '前海云帆人脸识别门禁系统');
});

test('a name match outranks a description match; equal scores are ordered by id', async (t) => {
  const { app, deps } = await buildTestApp(t, { env });
  const inName = decisionPayload({ name: '鹏城语音识别引擎', nameEn: 'Speech Engine A', description: '实时转写。' });
  const inDescription = decisionPayload({
    name: '鹏城会议纪要助手',
    nameEn: 'Minutes Helper',
    description: '基于语音识别自动生成会议纪要。',
  });
  const twins = [1, 2, 3].map(() =>
    decisionPayload({ name: '同名智能翻译机', nameEn: 'Same Name Translator', description: '同样的描述。' }),
  );
  await publish(deps, [inDescription, inName, ...twins]);
  assert.deepEqual(names(await search(app, { q: '语音识别' })), ['鹏城语音识别引擎', '鹏城会议纪要助手']);
  const tied = await search(app, { q: '翻译机' });
  assert.deepEqual(
    tied.items.map((item) => item.id),
    twins.map((p) => p.productId).sort(),
  );
});

test('filters: tier, catalogue code with its descendants, provider USCC, status', async (t) => {
  const { app, payloads } = await registerWithCorpus(t);
  assert.equal((await search(app, { tier: 'high' })).items.length, 2);
  assert.equal((await search(app, { tier: 'low', q: '系统' })).items.length, 2);
  assert.deepEqual(
    new Set(names(await search(app, { catalogueCode: 'A02' }))),
    new Set(['深圳市鹏城智能医疗影像辅助诊断系统', '南山肺结节CT影像筛查软件', '慧眼健康管理智能问诊助手']),
  );
  assert.equal((await search(app, { catalogueCode: 'A0201' })).items.length, 2);
  assert.equal((await search(app, { catalogueCode: 'A' })).items.length, 8);
  assert.equal((await search(app, { catalogueCode: 'F' })).items.length, 0);
  const provider = payloads[4]!.provider.uscc;
  assert.deepEqual(names(await search(app, { providerUscc: provider })), ['灵犀智能客服机器人']);
  assert.equal((await search(app, { status: 'approved' })).items.length, 2);
  assert.equal((await search(app, { status: 'accepted', tier: 'high' })).items.length, 0);
});

test('listing-date filters count days in Asia/Shanghai; sort=newest orders a query by listing date', async (t) => {
  const built = await buildTestApp(t, { env });
  const dated = [
    { ...CORPUS[0]!, decidedAt: '2026-03-01T15:59:00.000Z' }, // 23:59 on 1 March in Shenzhen
    { ...CORPUS[1]!, decidedAt: '2026-03-01T16:00:00.000Z' }, // 00:00 on 2 March in Shenzhen
    { ...CORPUS[6]!, decidedAt: '2026-03-05T02:00:00.000Z' },
  ];
  await publish(
    built.deps,
    dated.map((entry) => decisionPayload(entry)),
  );
  const { app } = built;
  assert.deepEqual(names(await search(app, { listedTo: '2026-03-01' })), [dated[0]!.name]);
  assert.deepEqual(names(await search(app, { listedFrom: '2026-03-02' })), [dated[2]!.name, dated[1]!.name]);
  assert.deepEqual(names(await search(app, { listedFrom: '2026-03-02', listedTo: '2026-03-02' })), [dated[1]!.name]);
  assert.deepEqual(names(await search(app, { listedFrom: '2026-03-06' })), []);

  // 系统 matches two of them; newest first on request, whatever their relevance.
  const byDate = await search(app, { q: '系统', sort: 'newest' });
  assert.deepEqual(names(byDate), [dated[2]!.name, dated[0]!.name]);
  const paged = await search(app, { q: '系统', sort: 'newest', limit: 1 });
  assert.deepEqual(names(paged), [dated[2]!.name]);
  assert.ok(paged.nextCursor !== null);
  const second = await search(app, { q: '系统', sort: 'newest', limit: 1, cursor: paged.nextCursor });
  assert.deepEqual(names(second), [dated[0]!.name]);

  const badQueries: Record<string, string>[] = [
    { listedFrom: '2026-03-05', listedTo: '2026-03-01' },
    { listedFrom: '2026-02-30' },
    { listedTo: 'yesterday' },
    { sort: 'oldest' },
  ];
  for (const query of badQueries) {
    const response = await app.inject({ method: 'GET', url: '/api/v1/public/products', query });
    assert.equal(response.statusCode, 400, JSON.stringify(query));
    assert.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8');
  }
});

test('the unfiltered list is newest first with logIndex, decidedAt and provider', async (t) => {
  const { app, payloads } = await registerWithCorpus(t);
  const page = await search(app, { limit: 3 });
  assert.equal(page.items.length, 3);
  assert.ok(page.nextCursor !== null);
  const newest = payloads[payloads.length - 1]!;
  assert.deepEqual(page.items[0], {
    id: newest.productId,
    name: newest.product.name,
    nameEn: newest.product.nameEn,
    description: newest.product.description,
    provider: { name: newest.provider.name, nameEn: newest.provider.nameEn, uscc: newest.provider.uscc },
    catalogueCode: newest.product.catalogueCode,
    tier: newest.product.tier,
    status: 'accepted',
    decidedAt: newest.decidedAt,
    logIndex: payloads.length - 1,
  });
});

/** Pages through a query, inserting new decisions between pages; returns the ids seen, in order. */
async function pageThroughWhileInserting(
  app: FastifyInstance,
  query: Record<string, string | number>,
  insertBetweenPages: (page: number) => Promise<void>,
): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 100; page += 1) {
    const result: Page = await search(app, cursor === null ? query : { ...query, cursor });
    seen.push(...result.items.map((item) => item.id));
    if (result.nextCursor === null) return seen;
    cursor = result.nextCursor;
    // Entries inserted after the cursor are (correctly) shown later: stop adding so paging ends.
    if (page < 4) await insertBetweenPages(page);
  }
  throw new Error('paging did not end');
}

test('keyset paging never repeats or skips an entry while decisions are being published', async (t) => {
  const { app, deps } = await buildTestApp(t, { env });
  const base = Date.UTC(2025, 5, 1);
  const at = (minutes: number) => new Date(base + minutes * 60_000).toISOString();
  // Some share a decision time, so ties on listedAt are exercised too.
  const original = Array.from({ length: 23 }, (_, i) =>
    decisionPayload({
      name: `鹏城智能客服机器人${i}号`,
      nameEn: `Pengcheng Chatbot ${i}`,
      decidedAt: at(Math.floor(i / 2) * 10),
    }),
  );
  await publish(deps, original);
  const originalIds = new Set(original.map((p) => p.productId));

  let inserted = 0;
  const insert = async () => {
    // Newer and older than anything seen, and with the same text (same relevance score).
    await publish(deps, [
      decisionPayload({
        name: `鹏城智能客服机器人新${inserted}`,
        nameEn: 'Pengcheng Chatbot new',
        decidedAt: at(10_000 + inserted),
      }),
      decisionPayload({
        name: `鹏城智能客服机器人旧${inserted}`,
        nameEn: 'Pengcheng Chatbot old',
        decidedAt: at(-10_000 - inserted),
      }),
      decisionPayload({
        name: `鹏城智能客服机器人${inserted}号`,
        nameEn: `Pengcheng Chatbot ${inserted}`,
        decidedAt: at(55),
      }),
    ]);
    inserted += 1;
  };

  for (const query of [
    { limit: 4 },
    { q: '智能客服', limit: 4 },
    { q: 'chatbot', limit: 5 },
    { q: 'Pengcheng Chatbot 1', limit: 3 },
  ] as Record<string, string | number>[]) {
    const seen = await pageThroughWhileInserting(app, query, insert);
    assert.equal(new Set(seen).size, seen.length, `no repeats for ${JSON.stringify(query)}`);
    const missing = [...originalIds].filter((id) => !seen.includes(id));
    if (query.q === 'Pengcheng Chatbot 1') {
      // A narrower query: every original entry it matched on page one is still matched once.
      assert.ok(seen.length > 0);
    } else {
      assert.deepEqual(missing, [], `no skips for ${JSON.stringify(query)}`);
    }
  }
  assert.ok(inserted >= 12);
});

test('malformed or out-of-range query parameters are 400 problem+json, never 5xx', async (t) => {
  const { app } = await registerWithCorpus(t);
  const first = await search(app, { limit: 2 });
  const ranked = await search(app, { q: '系统', limit: 1 });
  const cases: Record<string, string>[] = [
    { limit: '0' },
    { limit: '201' },
    { limit: 'ten' },
    { limit: '-1' },
    { cursor: 'not-a-cursor' },
    { cursor: Buffer.from('[1,2]').toString('base64url') },
    { cursor: Buffer.from('["l","x","2026-01-01T00:00:00Z","not-a-uuid"]').toString('base64url') },
    // A cursor of one query used with another: rejected, not silently wrong.
    { cursor: first.nextCursor!, q: '系统' },
    { cursor: ranked.nextCursor! },
    { cursor: ranked.nextCursor!, q: '系统', tier: 'high' },
    { tier: 'extreme' },
    { tier: '' },
    { q: 'x'.repeat(201) },
    { q: 'a\u0000b' },
    { catalogueCode: 'A02%' },
    { catalogueCode: 'a02' },
    { providerUscc: '12345' },
    { status: 'withdrawn' },
    { status: 'rejected' },
  ];
  for (const query of cases) {
    const response = await app.inject({ method: 'GET', url: '/api/v1/public/products', query });
    assert.equal(response.statusCode, 400, `${JSON.stringify(query)} → ${response.statusCode} ${response.body}`);
    assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
    const problem = response.json<{ status: number; code: string }>();
    assert.equal(problem.status, 400);
  }
  const q200 = await app.inject({ method: 'GET', url: '/api/v1/public/products', query: { q: '智'.repeat(200) } });
  assert.equal(q200.statusCode, 200);
  const odd = await app.inject({ method: 'GET', url: '/api/v1/public/products', query: { q: `%_\\'"); --` } });
  assert.equal(odd.statusCode, 200);
  assert.deepEqual(odd.json<Page>().items, []);
});

test('search answers carry ETag and Cache-Control and honour If-None-Match', async (t) => {
  const { app } = await registerWithCorpus(t);
  const response = await app.inject({ method: 'GET', url: '/api/v1/public/products?q=%E5%AE%A2%E6%9C%8D' });
  assert.equal(response.headers['cache-control'], 'public, max-age=60');
  const etag = String(response.headers.etag);
  assert.match(etag, /^"[\w-]+"$/);
  const again = await app.inject({
    method: 'GET',
    url: '/api/v1/public/products?q=%E5%AE%A2%E6%9C%8D',
    headers: { 'if-none-match': `W/${etag}, "other"` },
  });
  assert.equal(again.statusCode, 304);
  assert.equal(again.body, '');
});

test('a Chinese query with a wrong character falls back to any-word matching, best first', async (t) => {
  const { app } = await registerWithCorpus(t);
  // 影象 is a typo of 影像: no entry has every word, so entries with any of them are ranked.
  const page = await search(app, { q: '鹏城医疗影象' });
  assert.equal(page.items[0]?.name, '深圳市鹏城智能医疗影像辅助诊断系统');
});

test('broad queries are listed newest first, fuzzy ones too, and the cursor pins the mode while paging', async (t) => {
  const { SEARCH_TUNING } = await import('../../src/modules/register/search.ts');
  const saved = { ...SEARCH_TUNING };
  SEARCH_TUNING.rankCap = 5;
  SEARCH_TUNING.fuzzyCap = 3;
  t.after(() => Object.assign(SEARCH_TUNING, saved));
  const { app, deps } = await buildTestApp(t, { env });
  const at = (minutes: number) => new Date(Date.UTC(2025, 0, 1) + minutes * 60_000).toISOString();
  const original = Array.from({ length: 12 }, (_, i) =>
    decisionPayload({ name: `海纳智能客服平台${i}`, nameEn: `Haina Chatbot ${i}`, decidedAt: at(i * 10) }),
  );
  await publish(deps, original);
  const newestFirst = [...original].reverse().map((p) => p.productId);

  // 12 full-text matches > rankCap: newest first.
  const broad = await search(app, { q: '智能客服', limit: 20 });
  assert.deepEqual(
    broad.items.map((item) => item.id),
    newestFirst,
  );
  // A typo: full text finds nothing; 12 trigram matches > fuzzyCap: newest first as well.
  const typo = await search(app, { q: 'haina chatbto', limit: 20 });
  assert.deepEqual(
    typo.items.map((item) => item.id),
    newestFirst,
  );

  let inserted = 0;
  for (const query of [
    { q: '智能客服', limit: 5 },
    { q: 'haina chatbto', limit: 5 },
  ]) {
    const seen = await pageThroughWhileInserting(app, query, async () => {
      await publish(deps, [
        decisionPayload({
          name: `海纳智能客服平台新${inserted}`,
          nameEn: `Haina Chatbot new ${inserted}`,
          decidedAt: at(5000 + inserted),
        }),
        decisionPayload({
          name: `海纳智能客服平台旧${inserted}`,
          nameEn: `Haina Chatbot old ${inserted}`,
          decidedAt: at(-5000 - inserted),
        }),
      ]);
      inserted += 1;
    });
    assert.equal(new Set(seen).size, seen.length, `no repeats for ${query.q}`);
    assert.deepEqual(
      original.map((p) => p.productId).filter((id) => !seen.includes(id)),
      [],
      `no skips for ${query.q}`,
    );
  }
  // A ranked cursor stays ranked even after the register grew past the cap.
  SEARCH_TUNING.rankCap = 1000;
  const ranked = await search(app, { q: '智能客服', limit: 2 });
  SEARCH_TUNING.rankCap = 5;
  const next = await search(app, { q: '智能客服', limit: 2, cursor: ranked.nextCursor! });
  assert.equal(next.items.length, 2);
  assert.ok(!next.items.some((item) => ranked.items.some((r) => r.id === item.id)));
});
