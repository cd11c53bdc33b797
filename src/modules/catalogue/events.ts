/** Events the catalogue module produces. */
import { Type } from '@fastify/type-provider-typebox';
import { defineEvent } from '../../platform/events.ts';

/** A new version of the AI industry classification catalogue; `mapping`: retired code → its successors. */
export const CataloguePublished = defineEvent(
  'catalogue.published',
  'catalogue_version',
  Type.Object({
    version: Type.String({ minLength: 1 }),
    previousVersion: Type.String({ minLength: 1 }),
    mapping: Type.Record(Type.String(), Type.Unknown()),
  }),
);
