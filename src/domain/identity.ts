/**
 * Who acts under the law: the regulator's staff roles and the roles inside an organisation,
 * and the organisations that file. Written once, imported by the server and the web app.
 */

/** Regulator side (API-CONTRACT.md "Identity"). */
export const REGULATOR_ROLES = [
  'regulator_admin',
  'reviewer',
  'ethics_member',
  'ethics_secretary',
  'statistician',
  'data_steward',
  'procurement_officer',
] as const;
/** Organisation side: an organisation's administrator and its members. */
export const ORGANIZATION_ROLES = ['org_admin', 'org_member'] as const;
export const ROLES = [...REGULATOR_ROLES, ...ORGANIZATION_ROLES] as const;
export type RegulatorRole = (typeof REGULATOR_ROLES)[number];
export type OrganizationRole = (typeof ORGANIZATION_ROLES)[number];
export type Role = (typeof ROLES)[number];

export function isRegulatorRole(role: string): role is RegulatorRole {
  return (REGULATOR_ROLES as readonly string[]).includes(role);
}

/** Providers identified by their unified social credit code; hospitals host healthcare trials. */
export const ORGANIZATION_TYPES = ['enterprise', 'medical_institution', 'research_institution'] as const;
export type OrganizationType = (typeof ORGANIZATION_TYPES)[number];

/** Only a verified organisation files (API-CONTRACT.md: "Only verified organisations can file"). */
export const ORGANIZATION_STATUSES = ['pending', 'verified', 'rejected'] as const;
export type OrganizationStatus = (typeof ORGANIZATION_STATUSES)[number];
