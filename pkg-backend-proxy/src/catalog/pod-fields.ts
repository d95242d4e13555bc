// The Pod-spec parts a catalog template may carry, in Kubernetes' own field names and shapes (core/v1 types in
// kubernetes/kubernetes staging/src/k8s.io/api/core/v1/types.go), so a person who knows a Pod spec knows the catalog.
// Shapes only: what the shape cannot say (names, label values, path collisions, refusals) is checked in checks.ts.
import Type, { type Static } from 'typebox';

const Name = Type.String({ minLength: 1, maxLength: 253 });
const strict = { additionalProperties: false } as const;

export const KeyRef = Type.Object(
  { name: Name, key: Type.String({ minLength: 1, maxLength: 253 }), optional: Type.Optional(Type.Boolean()) },
  strict
);

/** Static: the worker reads the Secret or ConfigMap itself; the proxy never does. */
export const EnvValueFrom = Type.Union(
  [Type.Object({ secretKeyRef: KeyRef }, strict), Type.Object({ configMapKeyRef: KeyRef }, strict)],
  { errorMessage: 'must be {secretKeyRef: {name, key}} or {configMapKeyRef: {name, key}}' }
);

const SourceRef = Type.Object({ name: Name, optional: Type.Optional(Type.Boolean()) }, strict);
const EnvPrefix = Type.Optional(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$', maxLength: 64 }));

export const EnvFromSource = Type.Union(
  [
    Type.Object({ secretRef: SourceRef, prefix: EnvPrefix }, strict),
    Type.Object({ configMapRef: SourceRef, prefix: EnvPrefix }, strict),
  ],
  { errorMessage: 'must be {secretRef: {name}} or {configMapRef: {name}}, with an optional prefix' }
);

const Mode = Type.Optional(Type.Integer({ minimum: 0, maximum: 0o777 }));
const KeyToPath = Type.Array(
  Type.Object({ key: Type.String({ minLength: 1 }), path: Type.String({ minLength: 1 }), mode: Mode }, strict)
);
const Open = Type.Object({}, { additionalProperties: true });
const DownwardFile = Type.Object(
  {
    path: Type.String({ minLength: 1 }),
    fieldRef: Type.Optional(
      Type.Object({ fieldPath: Type.String(), apiVersion: Type.Optional(Type.String()) }, strict)
    ),
    resourceFieldRef: Type.Optional(
      Type.Object(
        { resource: Type.String(), containerName: Type.Optional(Type.String()), divisor: Type.Optional(Type.String()) },
        strict
      )
    ),
    mode: Mode,
  },
  strict
);

/**
 * `hostPath` is part of the shape so that a copied Pod spec is read and refused by name, not dropped as unknown.
 * Any other volume type is refused before this shape is checked (checks.ts).
 */
export const Volume = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 63 }),
    configMap: Type.Optional(
      Type.Object(
        { name: Name, items: Type.Optional(KeyToPath), defaultMode: Mode, optional: Type.Optional(Type.Boolean()) },
        strict
      )
    ),
    secret: Type.Optional(
      Type.Object(
        {
          secretName: Name,
          items: Type.Optional(KeyToPath),
          defaultMode: Mode,
          optional: Type.Optional(Type.Boolean()),
        },
        strict
      )
    ),
    emptyDir: Type.Optional(
      Type.Object(
        {
          medium: Type.Optional(Type.Union([Type.Literal(''), Type.Literal('Memory')])),
          sizeLimit: Type.Optional(Type.String()),
        },
        strict
      )
    ),
    persistentVolumeClaim: Type.Optional(
      Type.Object({ claimName: Name, readOnly: Type.Optional(Type.Boolean()) }, strict)
    ),
    ephemeral: Type.Optional(
      Type.Object({ volumeClaimTemplate: Type.Object({ metadata: Type.Optional(Open), spec: Open }, strict) }, strict)
    ),
    projected: Type.Optional(Type.Object({ sources: Type.Array(Open), defaultMode: Mode }, strict)),
    downwardAPI: Type.Optional(
      Type.Object({ items: Type.Optional(Type.Array(DownwardFile)), defaultMode: Mode }, strict)
    ),
    csi: Type.Optional(
      Type.Object(
        {
          driver: Name,
          readOnly: Type.Optional(Type.Boolean()),
          fsType: Type.Optional(Type.String()),
          volumeAttributes: Type.Optional(Type.Record(Type.String(), Type.String())),
          nodePublishSecretRef: Type.Optional(Type.Object({ name: Name }, strict)),
        },
        strict
      )
    ),
    hostPath: Type.Optional(Type.Object({ path: Type.String(), type: Type.Optional(Type.String()) }, strict)),
  },
  strict
);
export type Volume = Static<typeof Volume>;

export const VolumeMount = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 63 }),
    mountPath: Type.String({ minLength: 1 }),
    readOnly: Type.Optional(Type.Boolean()),
    subPath: Type.Optional(Type.String()),
  },
  strict
);
export type VolumeMount = Static<typeof VolumeMount>;

export const Toleration = Type.Object(
  {
    key: Type.Optional(Type.String()),
    operator: Type.Optional(Type.Union([Type.Literal('Exists'), Type.Literal('Equal')])),
    value: Type.Optional(Type.String()),
    effect: Type.Optional(
      Type.Union([Type.Literal('NoSchedule'), Type.Literal('PreferNoSchedule'), Type.Literal('NoExecute')])
    ),
    tolerationSeconds: Type.Optional(Type.Integer()),
  },
  strict
);
export type Toleration = Static<typeof Toleration>;

const Requirement = (operators: string[]) =>
  Type.Object(
    {
      key: Type.String({ minLength: 1 }),
      operator: Type.Union(operators.map((o) => Type.Literal(o))),
      values: Type.Optional(Type.Array(Type.String())),
    },
    strict
  );
const NodeSelectorTerm = Type.Object(
  {
    matchExpressions: Type.Optional(Type.Array(Requirement(['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt']))),
    matchFields: Type.Optional(Type.Array(Requirement(['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt']))),
  },
  strict
);
const LabelSelector = Type.Object(
  {
    matchLabels: Type.Optional(Type.Record(Type.String(), Type.String())),
    matchExpressions: Type.Optional(Type.Array(Requirement(['In', 'NotIn', 'Exists', 'DoesNotExist']))),
  },
  strict
);
const PodAffinityTerm = Type.Object(
  {
    labelSelector: Type.Optional(LabelSelector),
    namespaceSelector: Type.Optional(LabelSelector),
    namespaces: Type.Optional(Type.Array(Type.String())),
    topologyKey: Type.String({ minLength: 1 }),
    matchLabelKeys: Type.Optional(Type.Array(Type.String())),
    mismatchLabelKeys: Type.Optional(Type.Array(Type.String())),
  },
  strict
);
const Weight = Type.Integer({ minimum: 1, maximum: 100 });
const PodAffinity = Type.Object(
  {
    requiredDuringSchedulingIgnoredDuringExecution: Type.Optional(Type.Array(PodAffinityTerm)),
    preferredDuringSchedulingIgnoredDuringExecution: Type.Optional(
      Type.Array(Type.Object({ weight: Weight, podAffinityTerm: PodAffinityTerm }, strict))
    ),
  },
  strict
);

export const Affinity = Type.Object(
  {
    nodeAffinity: Type.Optional(
      Type.Object(
        {
          requiredDuringSchedulingIgnoredDuringExecution: Type.Optional(
            Type.Object({ nodeSelectorTerms: Type.Array(NodeSelectorTerm, { minItems: 1 }) }, strict)
          ),
          preferredDuringSchedulingIgnoredDuringExecution: Type.Optional(
            Type.Array(Type.Object({ weight: Weight, preference: NodeSelectorTerm }, strict))
          ),
        },
        strict
      )
    ),
    podAffinity: Type.Optional(PodAffinity),
    podAntiAffinity: Type.Optional(PodAffinity),
  },
  strict
);
export type Affinity = Static<typeof Affinity>;

/**
 * Container securityContext fields, read so a copied spec is checked rather than dropped. FlowKube's own settings
 * always win; only runAsUser and runAsGroup (non-root) reach the Pod, and anything weaker is refused at load.
 */
export const SecurityContext = Type.Object(
  {
    privileged: Type.Optional(Type.Boolean()),
    runAsUser: Type.Optional(Type.Integer({ minimum: 0 })),
    runAsGroup: Type.Optional(Type.Integer({ minimum: 0 })),
    runAsNonRoot: Type.Optional(Type.Boolean()),
    allowPrivilegeEscalation: Type.Optional(Type.Boolean()),
    readOnlyRootFilesystem: Type.Optional(Type.Boolean()),
    capabilities: Type.Optional(
      Type.Object(
        { add: Type.Optional(Type.Array(Type.String())), drop: Type.Optional(Type.Array(Type.String())) },
        strict
      )
    ),
    seccompProfile: Type.Optional(
      Type.Object({ type: Type.String(), localhostProfile: Type.Optional(Type.String()) }, strict)
    ),
    procMount: Type.Optional(Type.String()),
  },
  strict
);
export type SecurityContext = Static<typeof SecurityContext>;
