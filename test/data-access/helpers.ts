import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import type { TestApp } from '../helpers/test-app.ts';
import { createOrgMember, createUser, type TestUser } from '../factories.ts';

export const CONDITIONAL_FIELDS = [
  { name: '姓名', type: 'string', classification: 'direct_identifier' },
  { name: 'age', type: 'integer', classification: 'quasi_identifier' },
  { name: 'district', type: 'string', classification: 'quasi_identifier' },
  { name: 'visit_date', type: 'date', classification: 'quasi_identifier' },
  { name: 'diagnosis', type: 'string', classification: 'sensitive' },
  { name: 'cost', type: 'number', classification: 'other' },
] as const;

export function datasetBody(overrides: Record<string, unknown> = {}) {
  return {
    title: '门诊就诊记录',
    titleEn: 'Outpatient visits',
    description: '全市公立医院门诊就诊记录（样本）',
    descriptionEn: 'Outpatient visits at public hospitals (sample)',
    publisher: '深圳市卫生健康委员会',
    openness: 'conditional',
    themes: ['HEAL', 'SOCI'],
    license: 'CC-BY-4.0',
    updateFrequency: 'MONTHLY',
    fields: CONDITIONAL_FIELDS,
    ...overrides,
  };
}

export const OPEN_FIELDS = [
  { name: 'station', type: 'string', classification: 'other' },
  { name: 'day', type: 'date', classification: 'other' },
  { name: 'pm25', type: 'number', classification: 'other' },
] as const;

export function openDatasetBody(overrides: Record<string, unknown> = {}) {
  return datasetBody({
    title: '空气质量日报',
    titleEn: 'Daily air quality',
    description: '各监测站每日 PM2.5',
    descriptionEn: 'Daily PM2.5 per station',
    publisher: '深圳市生态环境局',
    openness: 'open',
    themes: ['ENVI'],
    updateFrequency: 'DAILY',
    fields: OPEN_FIELDS,
    ...overrides,
  });
}

export interface Actors {
  steward: TestUser;
  member: TestUser;
  organizationId: string;
  other: TestUser;
}

export async function actors(t: TestApp): Promise<Actors> {
  const steward = await createUser(t, { roles: ['data_steward'] });
  const a = await createOrgMember(t);
  const b = await createOrgMember(t);
  return { steward, member: a.user, organizationId: a.organization.id, other: b.user };
}

export async function createDataset(t: TestApp, steward: TestUser, body: Record<string, unknown>) {
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/v1/datasets',
    headers: steward.headers,
    payload: body,
  });
  assert.equal(response.statusCode, 201, response.body);
  return response.json<{ id: string; fields: { name: string }[] }>();
}

export async function upload(t: TestApp, steward: TestUser, id: string, csv: string | Buffer) {
  return t.app.inject({
    method: 'PUT',
    url: `/api/v1/datasets/${id}/data`,
    headers: { ...steward.headers, 'content-type': 'text/csv' },
    payload: csv,
  });
}

/** A conditional-dataset CSV of n rows, values from a seeded generator. */
export function visitsCsv(n: number, seed = 1): string {
  let state = seed;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const districts = ['福田区', '南山区', '罗湖区', '宝安区', '龙岗区'];
  const diagnoses = ['J06', 'K29', 'I10', 'E11'];
  const lines = ['姓名,age,district,visit_date,diagnosis,cost'];
  for (let i = 0; i < n; i += 1) {
    const day = String(1 + Math.floor(random() * 28)).padStart(2, '0');
    lines.push(
      [
        `患者${i}`,
        18 + Math.floor(random() * 70),
        districts[Math.floor(random() * districts.length)],
        `2026-0${1 + Math.floor(random() * 9)}-${day}`,
        diagnoses[Math.floor(random() * diagnoses.length)],
        (random() * 1000).toFixed(2),
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

export async function requestAccess(
  t: TestApp,
  member: TestUser,
  datasetId: string,
  body: Record<string, unknown> = {},
) {
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/datasets/${datasetId}/access-requests`,
    headers: member.headers,
    payload: {
      purpose: '训练门诊分诊模型',
      legalBasis: '《深圳经济特区人工智能产业促进条例》',
      fields: ['age', 'district', 'diagnosis', 'cost'],
      durationDays: 30,
      ...body,
    },
  });
}

export async function decide(t: TestApp, steward: TestUser, requestId: string, body: Record<string, unknown>) {
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/access-requests/${requestId}/decision`,
    headers: steward.headers,
    payload: { reasons: '用途合法，风险可控', ...body },
  });
}

export function parseCsv(text: string): string[][] {
  const records: string[][] = parse(text, { bom: true });
  return records;
}

export function problemOf(response: { json: <T>() => T }) {
  return response.json<{
    code: string;
    errors?: { pointer: string; message: unknown }[];
    problems?: { code: string }[];
  }>();
}
