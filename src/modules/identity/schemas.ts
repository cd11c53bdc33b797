import { Type } from '@fastify/type-provider-typebox';
import { stringEnum } from '../../platform/http.ts';
import {
  ORGANIZATION_ROLES,
  ORGANIZATION_STATUSES,
  ORGANIZATION_TYPES,
  REGULATOR_ROLES,
  ROLES,
} from '../../domain/identity.ts';
import { DISPLAY_NAME_FORMAT } from '../../platform/validation.ts';

export { ORGANIZATION_STATUSES, ORGANIZATION_TYPES };

const Email = Type.String({ format: 'email', maxLength: 254, description: 'Sign-in email address' });
const Password = Type.String({
  minLength: 1,
  maxLength: 1024,
  description: 'At least 12 characters, not a common password',
});
/** Names are shown to reviewers and the public: no control or bidi characters (validation.ts). */
const PersonName = Type.String({ minLength: 1, maxLength: 100, format: DISPLAY_NAME_FORMAT });
const Uuid = Type.String({ format: 'uuid' });

export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });

export const UserSchema = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  roles: Type.Array(stringEnum(ROLES)),
  organizationId: Type.Union([Type.String(), Type.Null()]),
});

export const OrganizationSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  nameEn: Type.Union([Type.String(), Type.Null()]),
  uscc: Type.String(),
  type: stringEnum(ORGANIZATION_TYPES),
  status: stringEnum(ORGANIZATION_STATUSES),
  statusReason: Type.Union([Type.String(), Type.Null()]),
  decidedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  version: Type.Integer(),
});

export const LoginBody = Type.Object({ email: Email, password: Password }, { additionalProperties: false });
export const LoginResponse = Type.Object({
  token: Type.String({ description: 'Also set as the aigov_session cookie; usable as a Bearer token' }),
  expiresAt: Type.String({ format: 'date-time' }),
  user: UserSchema,
});
export const MeResponse = Type.Object({ user: UserSchema });

export const RegistrationBody = Type.Object(
  {
    organization: Type.Object(
      {
        name: Type.String({
          minLength: 2,
          maxLength: 200,
          format: DISPLAY_NAME_FORMAT,
          description: 'Registered Chinese name',
        }),
        nameEn: Type.Optional(Type.String({ minLength: 1, maxLength: 200, format: DISPLAY_NAME_FORMAT })),
        uscc: Type.String({ minLength: 1, maxLength: 40, description: 'Unified social credit code (GB 32100-2015)' }),
        type: stringEnum(ORGANIZATION_TYPES),
      },
      { additionalProperties: false },
    ),
    admin: Type.Object({ email: Email, name: PersonName, password: Password }, { additionalProperties: false }),
  },
  { additionalProperties: false },
);
export const RegistrationResponse = Type.Object({
  organizationId: Type.String(),
  status: Type.Literal('pending'),
});

export const VerificationBody = Type.Object(
  {
    decision: Type.Union([Type.Literal('verified'), Type.Literal('rejected')]),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
  },
  { additionalProperties: false },
);

export const OrgUserBody = Type.Object(
  {
    email: Email,
    name: PersonName,
    role: stringEnum(ORGANIZATION_ROLES),
    password: Password,
  },
  { additionalProperties: false },
);

export const StaffUserBody = Type.Object(
  {
    email: Email,
    name: PersonName,
    roles: Type.Array(stringEnum(REGULATOR_ROLES), { minItems: 1, uniqueItems: true }),
    password: Password,
  },
  { additionalProperties: false },
);

export const PasswordChangeBody = Type.Object(
  { currentPassword: Password, newPassword: Password },
  { additionalProperties: false },
);
export const ResetRequestBody = Type.Object({ email: Email }, { additionalProperties: false });
export const ResetBody = Type.Object(
  { token: Type.String({ minLength: 10, maxLength: 200 }), newPassword: Password },
  { additionalProperties: false },
);

export const TokenCreateBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, format: DISPLAY_NAME_FORMAT }),
    scopes: Type.Optional(
      Type.Array(Type.String({ pattern: '^(\\*|[a-z]+(\\.[a-zA-Z]+)*(\\.\\*)?)$', maxLength: 100 }), {
        minItems: 1,
        maxItems: 50,
        uniqueItems: true,
      }),
    ),
    expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 366 })),
  },
  { additionalProperties: false },
);
export const TokenSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  scopes: Type.Array(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export const TokenCreatedSchema = Type.Intersect([TokenSchema, Type.Object({ token: Type.String() })]);
