/**
 * Checks shared by every reference-data file (catalogue, risk rulesets): plain-object
 * tests, field lists and the `source` citations. Problems are strings led by a JSON pointer.
 */

const SOURCE_ID_PATTERN = /^[a-z0-9][a-z0-9_.-]*$/;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}

/** RFC 6901 escaping of one reference token. */
export function escapePointerToken(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** Reports missing required fields, unknown fields and empty texts of `object`. */
export function checkFields(
  object: Record<string, unknown>,
  pointer: string,
  fields: { required: readonly string[]; optional?: readonly string[]; texts?: readonly string[] },
  problems: string[],
): void {
  const known = [...fields.required, ...(fields.optional ?? [])];
  for (const key of Object.keys(object)) {
    if (!known.includes(key)) problems.push(`${pointer}/${escapePointerToken(key)}: unknown field`);
  }
  for (const key of fields.required) {
    if (!Object.hasOwn(object, key)) problems.push(`${pointer}/${key}: is required`);
  }
  for (const key of fields.texts ?? []) {
    if (Object.hasOwn(object, key) && !isNonEmptyString(object[key])) {
      problems.push(`${pointer}/${key}: must be a non-empty string`);
    }
  }
}

/** Validates a `source` list of citations; returns the citation ids (for `refs` checks). */
export function checkSourceCitations(value: unknown, pointer: string, problems: string[]): Set<string> {
  const ids = new Set<string>();
  if (!Array.isArray(value) || value.length === 0) {
    problems.push(`${pointer}: must be a non-empty array of citations`);
    return ids;
  }
  value.forEach((citation: unknown, index) => {
    const at = `${pointer}/${index}`;
    if (!isRecord(citation)) {
      problems.push(`${at}: must be an object`);
      return;
    }
    checkFields(
      citation,
      at,
      {
        required: ['id', 'title', 'issuer', 'year'],
        optional: ['titleZh', 'titleEn', 'number', 'url', 'notes'],
        texts: ['id', 'title', 'issuer', 'titleZh', 'titleEn', 'number', 'url', 'notes'],
      },
      problems,
    );
    const { id, year, url } = citation;
    if (typeof id === 'string') {
      if (!SOURCE_ID_PATTERN.test(id)) problems.push(`${at}/id: must match ${SOURCE_ID_PATTERN} (got "${id}")`);
      if (ids.has(id)) problems.push(`${at}/id: "${id}" is repeated`);
      ids.add(id);
    }
    if (
      Object.hasOwn(citation, 'year') &&
      !(typeof year === 'number' && Number.isInteger(year) && year >= 1900 && year <= 2100)
    ) {
      problems.push(`${at}/year: must be a four-digit year (got ${JSON.stringify(year)})`);
    }
    if (typeof url === 'string' && !/^https?:\/\/\S+$/.test(url)) problems.push(`${at}/url: must be an http(s) URL`);
  });
  return ids;
}

/** Validated reference data is returned deeply frozen: nobody mutates a ruleset or catalogue in place. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
