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
};
