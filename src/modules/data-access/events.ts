/** Events the data-access module produces (consumers import them from `data-access/index.ts`). */
import { Type } from '@fastify/type-provider-typebox';
import { defineEvent } from '../../platform/events.ts';

const Uuid = Type.String({ format: 'uuid' });

export const DatasetCreated = defineEvent(
  'dataset.created',
  'dataset',
  Type.Object({ datasetId: Uuid, openness: Type.String() }),
);

export const DatasetDataUploaded = defineEvent(
  'dataset.data_uploaded',
  'dataset',
  Type.Object({ datasetId: Uuid, dataVersion: Type.Integer(), rows: Type.Integer() }),
);

export const AccessRequestSubmitted = defineEvent(
  'data_access_request.submitted',
  'data_access_request',
  Type.Object({
    requestId: Uuid,
    datasetId: Uuid,
    organizationId: Uuid,
    dueDate: Type.String(),
    dueDateProvisional: Type.Boolean(),
  }),
);

export const AccessRequestDecided = defineEvent(
  'data_access_request.decided',
  'data_access_request',
  Type.Object({
    requestId: Uuid,
    datasetId: Uuid,
    organizationId: Uuid,
    decision: Type.Union([Type.Literal('granted'), Type.Literal('refused')]),
    grantId: Type.Union([Uuid, Type.Null()]),
    expiresAt: Type.Union([Type.String(), Type.Null()]),
  }),
);
