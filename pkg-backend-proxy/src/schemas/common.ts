import Type, { type Static } from 'typebox';
import { ERROR_CODES } from '../contract/errors.ts';
import { DASHBOARD_UID_PATTERN, MAX_PANEL_ID } from '../contract/source.ts';

// Every error the proxy answers with has this shape, whatever the status.
export const FieldError = Type.Object({
  field: Type.String({
    description: 'Dotted path of the offending input, e.g. "params.durationSeconds" or "template"',
  }),
  message: Type.String(),
});
export type FieldError = Static<typeof FieldError>;

// The list, and what each code means, lives in the contract, which the browser imports without TypeBox.
export const ErrorCode = Type.Enum(ERROR_CODES);
export type ErrorCode = Static<typeof ErrorCode>;

export const ErrorBody = Type.Object({
  error: Type.Object({
    code: ErrorCode,
    message: Type.String(),
    details: Type.Optional(
      Type.Object(
        {
          fields: Type.Optional(Type.Array(FieldError)),
          retryAfterSeconds: Type.Optional(Type.Integer()),
          limit: Type.Optional(Type.String()),
          causes: Type.Optional(Type.Array(Type.Object({}, { additionalProperties: true }))),
          /** How many field errors (or Kubernetes causes) were left out: at most 20 of each are listed. */
          unlisted: Type.Optional(Type.Integer({ minimum: 1 })),
        },
        { additionalProperties: true }
      )
    ),
  }),
});
export type ErrorBody = Static<typeof ErrorBody>;

/** A catalog template id; it also becomes a Pod name prefix and a label value. */
export const TemplateId = Type.String({ pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', minLength: 1, maxLength: 40 });

/** A job id is the Pod's name (a DNS-1123 subdomain, capped well below 253). */
export const JobId = Type.String({ pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', minLength: 1, maxLength: 63 });
export const JobIdParams = Type.Object({ id: JobId });

/** A Grafana dashboard UID, and a panel id within its dashboard. */
export const DashboardUid = Type.String({ pattern: DASHBOARD_UID_PATTERN });
export const PanelId = Type.Integer({ minimum: 0, maximum: MAX_PANEL_ID });
