import Type, { type Static } from 'typebox';
import { ParamsSchema, Resources, TemplateId } from '../schemas/index.ts';

const EnvName = Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$', maxLength: 128 });
const ParamName = Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]*$' });

/** A fixed environment variable, or one whose whole value is a parameter's value. */
export const EnvItem = Type.Union(
  [
    Type.Object({ name: EnvName, value: Type.String() }, { additionalProperties: false }),
    Type.Object({ name: EnvName, fromParam: ParamName }, { additionalProperties: false }),
  ],
  { errorMessage: 'must be {name, value} or {name, fromParam}' }
);
export type EnvItem = Static<typeof EnvItem>;

/** A fixed argv item, or one argv item that is exactly a parameter's value (never split, never a shell). */
export const ArgItem = Type.Union(
  [Type.String(), Type.Object({ fromParam: ParamName }, { additionalProperties: false })],
  { errorMessage: 'must be a string or {fromParam}' }
);
export type ArgItem = Static<typeof ArgItem>;

export const CatalogTemplate = Type.Object(
  {
    id: TemplateId,
    title: Type.String({ minLength: 1, maxLength: 120 }),
    description: Type.String({ maxLength: 2000 }),
    image: Type.String({ minLength: 1, pattern: '^[^\\s]+$' }),
    command: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
    args: Type.Optional(Type.Array(ArgItem)),
    env: Type.Optional(Type.Array(EnvItem)),
    params: ParamsSchema,
    resources: Resources,
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
