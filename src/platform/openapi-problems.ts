/**
 * The errors an operation can answer because of its domain rules, beyond the ones every
 * operation of its kind answers (400 for a parameter or a body, 401, 403 off the public
 * paths, 404 for a path id, 413/415 for a body: see `genericProblemStatuses` in openapi.ts).
 * Keyed by `METHOD /path` as the OpenAPI document spells it. A key naming no route stops the
 * document from being built, and the test suite fails when a route answers a status its
 * document does not list (test/helpers/documented-statuses.ts).
 */
export const DOMAIN_PROBLEM_STATUSES: Readonly<Record<string, readonly number[]>> = {
  // The readiness probe answers 503 while the database does not.
  'GET /readyz': [503],
  // identity: throttled sign-in; conflicts on taken emails and USCCs; weak or wrong passwords.
  'POST /api/v1/auth/login': [429],
  'POST /api/v1/auth/password': [422],
  'POST /api/v1/auth/password-resets': [422],
  'POST /api/v1/auth/tokens': [422],
  'POST /api/v1/registrations': [409, 422],
  'POST /api/v1/organizations/{id}/verification': [409, 422],
  'POST /api/v1/organizations/{id}/users': [409, 422],
  'POST /api/v1/users': [409, 422],
  // catalogue: a version that does not exist; publishing one that exists or is not newer.
  'GET /api/v1/catalogue': [404],
  'POST /api/v1/catalogue/versions': [409, 422],
  // risk: answers the ruleset rejects; the self-check is rate-limited per client.
  'POST /api/v1/risk/assessments': [422, 429],
  // products: classification and grading; a product under review cannot change; If-Match;
  // another organisation's list (?organizationId=) looks missing.
  'GET /api/v1/products': [404],
  'POST /api/v1/products': [422],
  'PATCH /api/v1/products/{id}': [409, 412, 422],
  // calendar: a year without an official calendar (never a guess); If-Match on a reload.
  'GET /api/v1/calendar/working-days/add': [422],
  'PUT /api/v1/calendar/{year}': [412, 422],
  'POST /api/v1/calendar/{year}/preview': [422],
  // filings: every write runs in the filing frame (illegal transition → 409; a reused
  // Idempotency-Key or a missing calendar year → 422); If-Match where the route reads it.
  'POST /api/v1/products/{id}/filings': [409, 422],
  'PATCH /api/v1/filings/{id}': [409, 412, 422],
  'POST /api/v1/filings/{id}/documents': [409, 422],
  'DELETE /api/v1/filings/{id}/documents/{documentId}': [409],
  // integrations: a refused webhook target or too many subscriptions; a delivered message is
  // never redelivered.
  'POST /api/v1/webhooks': [422],
  'POST /api/v1/webhooks/{id}/messages/{messageId}/redeliveries': [409],
  'POST /api/v1/filings/{id}/submit': [409, 422],
  'POST /api/v1/filings/{id}/withdraw': [409, 412, 422],
  'POST /api/v1/filings/{id}/information-responses': [409, 422],
  'POST /api/v1/filings/{id}/assignment': [409, 412, 422],
  'POST /api/v1/filings/{id}/information-requests': [409, 412, 422],
  'POST /api/v1/filings/{id}/decision': [409, 412, 422],
  // statistics: period dates, a taken code; returns outside the open period or inconsistent;
  // publication twice, or a table failing its own disclosure audit; a reused Idempotency-Key.
  'POST /api/v1/statistics/periods': [409, 422],
  'PUT /api/v1/statistics/periods/{code}/returns/mine': [409, 422],
  'GET /api/v1/statistics/periods/{code}/returns/mine': [404],
  'GET /api/v1/statistics/periods/{code}/returns': [404],
  'GET /api/v1/statistics/periods/{code}/overdue': [404],
  'GET /api/v1/statistics/periods/{code}/publication/preview': [404, 409],
  'POST /api/v1/statistics/periods/{code}/publication': [404, 409, 422],
  'GET /api/v1/public/statistics/periods/{code}/tables/ai-revenue': [404],
  'GET /api/v1/public/statistics/periods/{code}/tables/enterprises': [404],
  // ethics: one open case per subject, one declaration and one vote per member, a decided
  // case takes nothing more; quorum, conditions and a reused Idempotency-Key → 422.
  'POST /api/v1/filings/{id}/ethics-referral': [409, 422],
  'POST /api/v1/ethics/cases/{id}/declarations': [409, 422],
  'POST /api/v1/ethics/cases/{id}/votes': [409, 422],
  'POST /api/v1/ethics/cases/{id}/opinion': [409, 422],
  'PUT /api/v1/ethics/members/{id}': [422],
  // data-access: §4 rules; a dataset changed during an upload; decided requests; expired grants.
  'POST /api/v1/datasets': [422],
  'PUT /api/v1/datasets/{id}/data': [409, 422],
  'POST /api/v1/datasets/{id}/access-requests': [422],
  'POST /api/v1/access-requests/{id}/decision': [409, 422],
  // trials: eligibility and body rules (422), the life cycle, the cap and the one extension (409).
  'POST /api/v1/trials': [422],
  'POST /api/v1/trials/{id}/submit': [409, 422],
  'POST /api/v1/trials/{id}/site-reviews': [409, 422],
  'POST /api/v1/trials/{id}/enrolments': [409, 422],
  'POST /api/v1/trials/{id}/adverse-events': [409, 422],
  'POST /api/v1/trials/{id}/resumption': [409, 422],
  'POST /api/v1/trials/{id}/extension': [409, 422],
  'POST /api/v1/trials/{id}/reports': [409, 422],
  // monitoring: a report before its period ends or a second submission; incident times;
  // closed incidents, lifted warnings, answered reports; the public report is rate-limited.
  'POST /api/v1/tracking-reports/{id}/submission': [409, 422],
  'POST /api/v1/products/{id}/incidents': [422],
  'POST /api/v1/incidents/{id}/updates': [409],
  'POST /api/v1/incidents/{id}/closure': [409],
  'POST /api/v1/warnings/{id}/lifting': [409],
  'POST /api/v1/public/products/{id}/reports': [422, 429],
  'POST /api/v1/public-reports/{id}/response': [409],
};
