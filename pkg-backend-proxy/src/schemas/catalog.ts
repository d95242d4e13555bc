import Type, { type Static } from 'typebox';
import { FieldError } from './common.ts';

/** One template of one source, and what is wrong with it (empty when it can be launched). */
export const CatalogTemplateStatus = Type.Object({
  id: Type.String(),
  /** The ConfigMap data key it came from. */
  key: Type.Optional(Type.String()),
  ok: Type.Boolean(),
  problems: Type.Array(FieldError),
});

export const CatalogSource = Type.Object({
  kind: Type.Union([Type.Literal('file'), Type.Literal('configmap')]),
  /** The file's path, or the ConfigMap's name. */
  name: Type.String(),
  templates: Type.Array(CatalogTemplateStatus),
});

/** GET /api/v1/catalog: where the templates come from and which are broken, for the configuration page. */
export const CatalogStatus = Type.Object({
  /** The ConfigMaps have been listed since start; before that only the file's templates are known. */
  synced: Type.Boolean(),
  /** Changes whenever the catalog does; /changes reports it too. */
  revision: Type.Integer(),
  sources: Type.Array(CatalogSource),
});
export type CatalogStatus = Static<typeof CatalogStatus>;
