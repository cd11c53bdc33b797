import { uuidv7 } from 'uuidv7';

/** Time-ordered UUIDv7 (RFC 9562) for every entity, so ids sort by creation. */
export function newId(): string {
  return uuidv7();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}
