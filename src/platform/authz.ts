import fs from 'node:fs';
import path from 'node:path';
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import type { EntityJson } from '@cedar-policy/cedar-wasm/nodejs';
import { forbidden, notFound, unauthorized } from './errors.ts';
import { isRegulator, type Principal } from './principal.ts';

const POLICY_DIR = path.resolve(import.meta.dirname, '../../policies');
const POLICY_SET_ID = 'aigov';
const SCHEMA_ID = 'aigov';

/** The object an action is performed on. `organizationId` null: owned by no organisation. */
export interface ResourceRef {
  readonly type: string;
  readonly id: string;
  readonly organizationId: string | null;
}

/** A resource for actions on a whole collection or the system (list users, create staff…). */
export function systemResource(type: string): ResourceRef {
  return { type, id: type, organizationId: null };
}

interface LoadedPolicies {
  actions: ReadonlySet<string>;
}

let loaded: LoadedPolicies | undefined;

/** Parses the Cedar schema and policies once per process; a bad file stops the start. */
export function loadPolicies(): LoadedPolicies {
  if (loaded !== undefined) return loaded;
  const schema = fs.readFileSync(path.join(POLICY_DIR, 'schema.cedarschema'), 'utf8');
  const policyText = fs
    .readdirSync(POLICY_DIR)
    .filter((file) => file.endsWith('.cedar'))
    .sort()
    .map((file) => fs.readFileSync(path.join(POLICY_DIR, file), 'utf8'))
    .join('\n');
  const schemaAnswer = cedar.preparseSchema(SCHEMA_ID, schema);
  if (schemaAnswer.type !== 'success') throw new Error(`Cedar schema: ${JSON.stringify(schemaAnswer.errors)}`);
  const validation = cedar.validate({ schema, policies: { staticPolicies: policyText } });
  if (validation.type !== 'success' || validation.validationErrors.length > 0) {
    throw new Error(`Cedar policies do not validate: ${JSON.stringify(validation)}`);
  }
  const policyAnswer = cedar.preparsePolicySet(POLICY_SET_ID, { staticPolicies: policyText });
  if (policyAnswer.type !== 'success') throw new Error(`Cedar policies: ${JSON.stringify(policyAnswer.errors)}`);
  loaded = { actions: new Set(parseActionIds(schema)) };
  return loaded;
}

/** Every action id declared with `appliesTo` in the schema (groups excluded). */
function parseActionIds(schema: string): string[] {
  const ids: string[] = [];
  for (const match of schema.matchAll(/action\s+((?:"[^"]+"\s*,\s*)*"[^"]+")\s+in\s+\[[^\]]*\]\s+appliesTo/g)) {
    for (const id of match[1]!.matchAll(/"([^"]+)"/g)) ids.push(id[1]!);
  }
  return ids;
}

export function declaredActions(): ReadonlySet<string> {
  return loadPolicies().actions;
}

function principalEntity(principal: Principal): EntityJson {
  if (principal.kind === 'anonymous') {
    return { uid: { type: 'Aigov::Anonymous', id: 'public' }, attrs: {}, parents: [] };
  }
  return {
    uid: { type: 'Aigov::User', id: principal.userId },
    attrs: {
      roles: [...principal.roles],
      organizationId: principal.organizationId ?? '',
      organizationVerified: principal.organizationStatus === 'verified',
    },
    parents: [],
  };
}

/**
 * Decisions already taken, keyed by everything the policies can read: the action, the
 * principal's kind, roles, verification and whether it has an organisation, and whether the
 * resource belongs to that organisation (or to none). Entity ids are read by no policy. A
 * Cedar evaluation costs ≈ 250 µs here, a memo hit ≈ 2 µs (bench/README.md). If a policy
 * starts reading another attribute, add it to this key.
 */
const decisions = new Map<string, boolean>();

function decisionKey(principal: Principal, action: string, resource: ResourceRef): string {
  if (principal.kind === 'anonymous') return `${action}|anon|${resource.organizationId === null ? '-' : 'org'}`;
  const own = principal.organizationId ?? '';
  const resourceOrg = resource.organizationId ?? '';
  return [
    action,
    principal.roles.join(','),
    own === '' ? '-' : 'org',
    resourceOrg === '' ? '-' : resourceOrg === own ? 'same' : 'other',
    principal.organizationStatus === 'verified' ? 'v' : 'u',
  ].join('|');
}

/** The single decision point: does Cedar permit `principal` to do `action` on `resource`? */
export function isAllowed(principal: Principal, action: string, resource: ResourceRef): boolean {
  const policies = loadPolicies();
  if (!policies.actions.has(action)) throw new Error(`Undeclared authorization action "${action}"`);
  // A personal API token only carries the scopes it was created with.
  if (principal.kind === 'user' && principal.scopes !== undefined && !scopeCovers(principal.scopes, action))
    return false;
  const key = decisionKey(principal, action, resource);
  const known = decisions.get(key);
  if (known !== undefined) return known;
  const allowed = evaluate(principal, action, resource);
  if (decisions.size > 50_000) decisions.clear();
  decisions.set(key, allowed);
  return allowed;
}

function evaluate(principal: Principal, action: string, resource: ResourceRef): boolean {
  const subject = principalEntity(principal);
  const answer = cedar.statefulIsAuthorized({
    principal: subject.uid,
    action: { type: 'Aigov::Action', id: action },
    resource: { type: 'Aigov::Resource', id: `${resource.type}:${resource.id}` },
    context: {},
    preparsedPolicySetId: POLICY_SET_ID,
    preparsedSchemaName: SCHEMA_ID,
    validateRequest: true,
    entities: [
      subject,
      {
        uid: { type: 'Aigov::Resource', id: `${resource.type}:${resource.id}` },
        attrs: { type: resource.type, organizationId: resource.organizationId ?? '' },
        parents: [],
      },
    ],
  });
  if (answer.type !== 'success') throw new Error(`Cedar evaluation failed: ${JSON.stringify(answer.errors)}`);
  return answer.response.decision === 'allow';
}

/** `filings.read` is covered by scope `filings.read`, `filings.*` or `*`. */
function scopeCovers(scopes: readonly string[], action: string): boolean {
  return scopes.some(
    (scope) => scope === '*' || scope === action || (scope.endsWith('.*') && action.startsWith(scope.slice(0, -1))),
  );
}

/**
 * Throws unless allowed: 401 for the anonymous, 404 when the object belongs to another
 * organisation (its existence must not leak), 403 otherwise.
 */
export function assertCan(principal: Principal, action: string, resource: ResourceRef): void {
  if (isAllowed(principal, action, resource)) return;
  if (principal.kind === 'anonymous') throw unauthorized();
  if (
    resource.organizationId !== null &&
    !isRegulator(principal) &&
    principal.organizationId !== resource.organizationId
  ) {
    throw notFound();
  }
  // The action's id is for programs (an extension member); people read a sentence without it.
  throw forbidden({
    detail: { zh: '当前账号的角色不允许此操作', en: "Your account's roles do not allow this operation" },
    extensions: { action },
  });
}

/** Actions anyone may perform without signing in (decided by the policies, not a list). */
export function isPublicAction(action: string): boolean {
  return isAllowed({ kind: 'anonymous' }, action, systemResource('route'));
}
