/**
 * The public register's vocabulary, shared by the server and the web app: which statuses a
 * citizen can find, and how a search may be ordered.
 */

/** Register statuses the public search shows (API contract: approved, accepted or suspended). */
export const PUBLIC_STATUSES = ['accepted', 'approved', 'approved_with_conditions', 'suspended'] as const;
export type PublicStatus = (typeof PUBLIC_STATUSES)[number];

/** Every register status: the public ones plus those that take a product off the public list. */
export const REGISTER_STATUSES = [...PUBLIC_STATUSES, 'withdrawn', 'reassessment_required'] as const;

/** `relevance` (the default: newest first without a query, or for a very broad one) or `newest`. */
export const SEARCH_SORTS = ['relevance', 'newest'] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];
