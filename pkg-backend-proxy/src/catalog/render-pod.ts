import type { V1EnvVar, V1Pod } from '@kubernetes/client-node';
import type { JobSource, ParamValues } from '../schemas/index.ts';
import type { CatalogTemplate } from './schema.ts';
import { containerExtras, imageFor, resourcesFor, securityExtras, specExtras } from './pod-extras.ts';
import {
  ANN_LAUNCH_ID,
  ANN_LAUNCHED_BY,
  ANN_PARAMS,
  ANN_REQUEST_HASH,
  ANN_SOURCE_DASHBOARD,
  ANN_SOURCE_PANEL,
  ANN_SOURCE_TITLE,
  LABEL_JOB_TYPE,
  LABEL_MANAGED_BY,
  LABEL_TEMPLATE,
  MANAGED_BY,
} from '../labels.ts';

export const CONTAINER = 'worker';
export const WORKER_UID = 10001;

export interface RenderInput {
  template: CatalogTemplate;
  /** Validated, defaults filled. */
  params: ParamValues;
  name: string;
  namespace: string;
  launchedBy: string;
  requestHash: string;
  launchId: string;
  /** The launcher panel it comes from, validated (schemas/job.ts JobSource). */
  source?: JobSource;
}

function asText(value: string | number | boolean): string {
  return typeof value === 'string' ? value : String(value);
}

/**
 * A parameter value as Kubernetes must receive it to pass it on unchanged: the kubelet expands `$(VAR)` in env
 * values, command and args (kubernetes third_party/forked/golang/expansion/expand.go), so a user could read the
 * catalog's fixed env values through a parameter. Doubling every `$` (not only `$(`) keeps `$$(X)` literal too,
 * because the expansion turns each `$$` back into one `$`. The job record shows the value as typed (params
 * annotation), which is what the worker sees.
 */
export function escapeExpansion(value: string): string {
  return value.split('$').join('$$');
}

function sourceAnnotations(source: JobSource | undefined): Record<string, string> {
  if (!source) {
    return {};
  }
  return {
    [ANN_SOURCE_DASHBOARD]: source.dashboardUid,
    [ANN_SOURCE_PANEL]: String(source.panelId),
    ...(source.title ? { [ANN_SOURCE_TITLE]: source.title } : {}),
  };
}

/**
 * Template + values → the Pod to create. Values only ever become a whole env value or a whole argv item of an
 * exec-form command, so nothing a user types is ever interpreted by a shell.
 */
export function renderPod(input: RenderInput): V1Pod {
  const { template, params } = input;
  const env: V1EnvVar[] = [
    { name: 'JOB_TYPE', value: template.id },
    { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
  ];
  for (const item of template.env ?? []) {
    if ('value' in item) {
      env.push({ name: item.name, value: item.value });
    } else if ('valueFrom' in item) {
      env.push({ name: item.name, valueFrom: structuredClone(item.valueFrom) });
    } else if (params[item.fromParam] !== undefined) {
      env.push({ name: item.name, value: escapeExpansion(asText(params[item.fromParam]!)) });
    }
  }
  const args: string[] = [];
  for (const item of template.args ?? []) {
    if (typeof item === 'string') {
      args.push(item);
    } else if (params[item.fromParam] !== undefined) {
      args.push(escapeExpansion(asText(params[item.fromParam]!)));
    }
  }
  const resources = resourcesFor(template, params);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: input.name,
      namespace: input.namespace,
      // a template's own labels and annotations first: FlowKube's (refused in templates at load) always win
      labels: {
        ...template.labels,
        [LABEL_MANAGED_BY]: MANAGED_BY,
        [LABEL_TEMPLATE]: template.id,
        [LABEL_JOB_TYPE]: template.id,
      },
      annotations: {
        ...template.annotations,
        [ANN_LAUNCHED_BY]: input.launchedBy,
        [ANN_PARAMS]: JSON.stringify(params),
        [ANN_REQUEST_HASH]: input.requestHash,
        [ANN_LAUNCH_ID]: input.launchId,
        ...sourceAnnotations(input.source),
      },
    },
    spec: {
      ...specExtras(template),
      restartPolicy: 'Never',
      activeDeadlineSeconds: template.timeoutSeconds,
      // workload identity needs the token; everything else goes without
      automountServiceAccountToken: template.automountServiceAccountToken === true,
      enableServiceLinks: false,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: WORKER_UID,
        runAsGroup: WORKER_UID,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      containers: [
        {
          ...containerExtras(template),
          name: CONTAINER,
          image: imageFor(template, params),
          command: [...template.command],
          ...(args.length > 0 ? { args } : {}),
          env,
          resources: {
            requests: { ...resources.requests },
            limits: { ...resources.limits },
          },
          securityContext: {
            ...securityExtras(template),
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            runAsNonRoot: true,
            capabilities: { drop: ['ALL'] },
          },
          volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }, ...(template.volumeMounts ?? []).map((m) => ({ ...m }))],
          // FlowKube's workers write their failure reason to /dev/termination-log; for any other image the kubelet
          // then reports the last log lines, so a failed job always says why (Kubernetes' default policy is File).
          terminationMessagePolicy: 'FallbackToLogsOnError',
        },
      ],
      volumes: [
        { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
        ...(template.volumes ?? []).map((v) => structuredClone(v)),
      ],
    },
  };
}
