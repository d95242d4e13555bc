import Type, { type Static } from 'typebox';
import { ParamsSchema, Resources, TemplateId } from '../schemas/index.ts';
import {
  Affinity,
  EnvFromSource,
  EnvValueFrom,
  SecurityContext,
  Toleration,
  Volume,
  VolumeMount,
} from './pod-fields.ts';

const EnvName = Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$', maxLength: 128 });
const ParamName = Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]*$' });

/** A fixed environment variable, or one whose whole value is a parameter's value. */
export const EnvItem = Type.Union(
  [
    Type.Object({ name: EnvName, value: Type.String() }, { additionalProperties: false }),
    Type.Object({ name: EnvName, fromParam: ParamName }, { additionalProperties: false }),
    Type.Object({ name: EnvName, valueFrom: EnvValueFrom }, { additionalProperties: false }),
  ],
  { errorMessage: 'must be {name, value}, {name, fromParam} or {name, valueFrom}' }
);
export type EnvItem = Static<typeof EnvItem>;

/** A fixed argv item, or one argv item that is exactly a parameter's value (never split, never a shell). */
export const ArgItem = Type.Union(
  [Type.String(), Type.Object({ fromParam: ParamName }, { additionalProperties: false })],
  { errorMessage: 'must be a string or {fromParam}' }
);
export type ArgItem = Static<typeof ArgItem>;

/** A fixed image, or a repository whose tag an enum param chooses (never free text). */
export const TemplateImage = Type.Union(
  [
    Type.String({ minLength: 1, pattern: '^[^\\s]+$' }),
    Type.Object(
      {
        repository: Type.String({ minLength: 1, pattern: '^[^\\s:@]+(:[0-9]+/[^\\s:@]+)?$' }),
        tagFromParam: ParamName,
      },
      { additionalProperties: false }
    ),
  ],
  { errorMessage: 'must be an image reference or {repository, tagFromParam}' }
);
export type TemplateImage = Static<typeof TemplateImage>;

/** Fixed requests/limits, or named blocks an enum param chooses between (`size: small|large`). */
export const TemplateResources = Type.Union(
  [
    Resources,
    Type.Object(
      { fromParam: ParamName, presets: Type.Record(Type.String(), Resources, { minProperties: 1 }) },
      { additionalProperties: false }
    ),
  ],
  { errorMessage: 'must be {requests, limits} or {fromParam, presets}' }
);
export type TemplateResources = Static<typeof TemplateResources>;

export const CatalogTemplate = Type.Object(
  {
    id: TemplateId,
    title: Type.String({ minLength: 1, maxLength: 120 }),
    description: Type.String({ maxLength: 2000 }),
    image: TemplateImage,
    imagePullPolicy: Type.Optional(
      Type.Union([Type.Literal('Always'), Type.Literal('IfNotPresent'), Type.Literal('Never')])
    ),
    imagePullSecrets: Type.Optional(
      Type.Array(Type.Object({ name: Type.String({ minLength: 1 }) }, { additionalProperties: false }))
    ),
    command: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
    args: Type.Optional(Type.Array(ArgItem)),
    workingDir: Type.Optional(Type.String({ minLength: 1 })),
    env: Type.Optional(Type.Array(EnvItem)),
    envFrom: Type.Optional(Type.Array(EnvFromSource)),
    volumes: Type.Optional(Type.Array(Volume)),
    volumeMounts: Type.Optional(Type.Array(VolumeMount)),
    serviceAccountName: Type.Optional(Type.String({ minLength: 1 })),
    automountServiceAccountToken: Type.Optional(Type.Boolean()),
    nodeSelector: Type.Optional(Type.Record(Type.String(), Type.String())),
    tolerations: Type.Optional(Type.Array(Toleration)),
    affinity: Type.Optional(Affinity),
    priorityClassName: Type.Optional(Type.String({ minLength: 1 })),
    runtimeClassName: Type.Optional(Type.String({ minLength: 1 })),
    labels: Type.Optional(Type.Record(Type.String(), Type.String())),
    annotations: Type.Optional(Type.Record(Type.String(), Type.String())),
    securityContext: Type.Optional(SecurityContext),
    // read so a copied Pod spec is refused by name (checks.ts), never silently dropped
    hostNetwork: Type.Optional(Type.Boolean()),
    hostPID: Type.Optional(Type.Boolean()),
    hostIPC: Type.Optional(Type.Boolean()),
    restartPolicy: Type.Optional(Type.String()),
    params: ParamsSchema,
    resources: TemplateResources,
    timeoutSeconds: Type.Integer({ minimum: 1, maximum: 86_400 }),
    maxConcurrent: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false }
);
export type CatalogTemplate = Static<typeof CatalogTemplate>;

export const CatalogFile = Type.Object(
  { templates: Type.Array(CatalogTemplate, { minItems: 1 }) },
  { additionalProperties: false }
);
export type CatalogFile = Static<typeof CatalogFile>;

export interface Catalog {
  file: string;
  templates: CatalogTemplate[];
  byId: Map<string, CatalogTemplate>;
}
