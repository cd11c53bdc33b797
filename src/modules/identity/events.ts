/**
 * Events the identity module produces: organisations' registration and verification, and the
 * e-mails it sends through the outbox (delivered by the mail consumers).
 */
import { Type } from '@fastify/type-provider-typebox';
import { ORGANIZATION_STATUSES } from '../../domain/identity.ts';
import { defineEvent } from '../../platform/events.ts';

const Uuid = Type.String({ format: 'uuid' });
const Email = Type.String({ minLength: 3, maxLength: 320 });

export const OrganizationRegistered = defineEvent(
  'organization.registered',
  'organization',
  Type.Object({ organizationId: Uuid, name: Type.String({ minLength: 1 }) }),
);

const VerificationPayload = Type.Object({ organizationId: Uuid, status: Type.Enum(ORGANIZATION_STATUSES) });
/** The regulator's verification decision: `organization.verified` or `organization.rejected`. */
export const OrganizationVerificationDecided = {
  verified: defineEvent('organization.verified', 'organization', VerificationPayload),
  rejected: defineEvent('organization.rejected', 'organization', VerificationPayload),
} as const;

/** A password reset mail; the token is scrubbed from the stored event once delivered. */
export const PasswordResetMail = defineEvent(
  'mail.password_reset',
  'user',
  Type.Object({
    to: Email,
    name: Type.String(),
    resetToken: Type.String({ minLength: 1 }),
    expiresInMinutes: Type.Integer({ minimum: 1 }),
  }),
);

/** To a registrant: the registration arrived and awaits the regulator's verification. */
export const RegistrationReceivedMail = defineEvent(
  'mail.registration_received',
  'user',
  Type.Object({ to: Email, uscc: Type.String({ minLength: 18, maxLength: 18 }) }),
);

/** To an account's owner: someone tried to register with the address (the API answered as for a new one). */
export const RegistrationEmailTakenMail = defineEvent(
  'mail.registration_email_taken',
  'user',
  Type.Object({ to: Email }),
);
