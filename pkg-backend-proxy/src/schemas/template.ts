import Type, { type Static } from 'typebox';
import { TemplateId } from './common.ts';

/**
 * The subset of JSON Schema a template may use for one parameter. It is deliberately small:
 * the proxy validates values with it and the plugin generates its form fields from it.
 */
export const ParamSchema = Type.Object(
  {
    type: Type.Union([
      Type.Literal('string'),
      Type.Literal('integer'),
      Type.Literal('number'),
      Type.Literal('boolean'),
    ]),
    title: Type.Optional(Type.String()),
    description: Type.Optional(Type.String()),
    default: Type.Optional(Type.Union([Type.String(), Type.Number(), Type.Boolean()])),
    enum: Type.Optional(Type.Array(Type.Union([Type.String(), Type.Number()]), { minItems: 1 })),
    minimum: Type.Optional(Type.Number()),
    maximum: Type.Optional(Type.Number()),
    minLength: Type.Optional(Type.Integer({ minimum: 0 })),
    maxLength: Type.Optional(Type.Integer({ minimum: 0 })),
    pattern: Type.Optional(Type.String()),
  },
  { additionalProperties: false }
);
export type ParamSchema = Static<typeof ParamSchema>;

export const ParamsSchema = Type.Object(
  {
    type: Type.Literal('object'),
    properties: Type.Record(Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]*$' }), ParamSchema),
    required: Type.Optional(Type.Array(Type.String())),
    additionalProperties: Type.Optional(Type.Literal(false)),
  },
  { additionalProperties: false }
);
export type ParamsSchema = Static<typeof ParamsSchema>;

/** cpu and memory always (the jobs namespace's quota counts them), any other resource name too: nvidia.com/gpu. */
export const ResourceList = Type.Intersect([
  Type.Object({ cpu: Type.String({ minLength: 1 }), memory: Type.String({ minLength: 1 }) }),
  Type.Record(Type.String(), Type.String({ minLength: 1 })),
]);
export const Resources = Type.Object({ requests: ResourceList, limits: ResourceList }, { additionalProperties: false });
export type Resources = Static<typeof Resources>;

/** A template whose resources a param chooses: `param`'s enum values are the preset names. */
export const ResourcePresets = Type.Object({
  param: Type.String(),
  presets: Type.Record(Type.String(), Resources),
});
export type ResourcePresets = Static<typeof ResourcePresets>;

/** What the API shows of a catalog template (the image and command stay on the server). */
export const TemplateView = Type.Object({
  id: TemplateId,
  title: Type.String(),
  description: Type.String(),
  params: ParamsSchema,
  timeoutSeconds: Type.Integer(),
  maxConcurrent: Type.Optional(Type.Integer()),
  /** The default preset's block when `resourcePresets` is set. */
  resources: Resources,
  resourcePresets: Type.Optional(ResourcePresets),
  /** Where the template pins its Pods (a node pool), when it does. */
  nodeSelector: Type.Optional(Type.Record(Type.String(), Type.String())),
  /** Set when the cluster refused the template's Pod in a dry run: launching it is refused with this reason. */
  unavailable: Type.Optional(Type.String()),
});
export type TemplateView = Static<typeof TemplateView>;

export const TemplateList = Type.Object({ items: Type.Array(TemplateView) });
export type TemplateList = Static<typeof TemplateList>;
