// How a container of the worker image becomes a local process: argv from command+args (no shell), the environment
// from the container spec and the downward API, Kubernetes' $(VAR) expansion. Pure functions.
import { basename, join } from 'node:path';
import type { V1Container, V1Pod } from '@kubernetes/client-node';

/** `flowkube/worker:0.1.0`, `docker.io/flowkube/worker@sha256:…` → `flowkube/worker`. */
export function imageRepository(image: string): string {
  const noDigest = image.split('@')[0] ?? image;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  const repo = colon > slash ? noDigest.slice(0, colon) : noDigest;
  return repo.replace(/^docker\.io\//, '').replace(/^library\//, '');
}

/**
 * Kubernetes' `$(VAR)` expansion of command, args and env values, as kubernetes/kubernetes
 * third_party/forked/golang/expansion/expand.go does it: `$$` is one `$`; `$(name)` is the variable's value, or
 * stays as written when no such variable is defined; an unclosed `$(` and a `$` before any other character are
 * kept; the name is everything up to the first `)`, whatever it contains.
 */
export function expandVars(text: string, env: Record<string, string>): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf('$', i);
    if (dollar === -1 || dollar === text.length - 1) {
      break;
    }
    out += text.slice(i, dollar);
    const next = text[dollar + 1];
    if (next === '$') {
      out += '$';
      i = dollar + 2;
    } else if (next === '(') {
      const close = text.indexOf(')', dollar + 2);
      if (close === -1) {
        out += '$(';
        i = dollar + 2;
      } else {
        const name = text.slice(dollar + 2, close);
        out += Object.prototype.hasOwnProperty.call(env, name) ? env[name] : `$(${name})`;
        i = close + 1;
      }
    } else {
      out += `$${next}`;
      i = dollar + 2;
    }
  }
  return out + text.slice(i);
}

/** argv for the interpreter: the image's `/app/x.py` becomes `<pythonDir>/x.py`; anything but python cannot run. */
export function resolveArgv(container: V1Container, env: Record<string, string>, pythonDir: string): string[] | string {
  // the kubelet expands with the container's declared variables only, not the image's or runtime's (PATH, HOME)
  const declared = new Set((container.env ?? []).map((e) => e.name));
  const vars = Object.fromEntries(Object.entries(env).filter(([name]) => declared.has(name)));
  let items = [...(container.command ?? []), ...(container.args ?? [])].map((s) => expandVars(s, vars));
  if (items.length === 0) {
    items = ['python', '/app/app_basic.py']; // the image's default CMD
  }
  const first = items[0] ?? '';
  const viaInterpreter = /^(.*\/)?python[0-9.]*$/.test(first);
  if (!viaInterpreter && !first.endsWith('.py')) {
    return `exec: "${first}": executable file not found in $PATH`;
  }
  const rest = viaInterpreter ? items.slice(1) : items;
  const script = rest.findIndex((a) => a.endsWith('.py') && !a.startsWith('-'));
  return rest.map((a, i) => (i === script ? join(pythonDir, basename(a)) : a));
}

function fieldValue(pod: V1Pod, path: string, podIP: string | undefined): string {
  const keyed = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (keyed) {
    const map = keyed[1] === 'labels' ? pod.metadata?.labels : pod.metadata?.annotations;
    return map?.[keyed[2] ?? ''] ?? '';
  }
  const values: Record<string, string | undefined> = {
    'metadata.name': pod.metadata?.name,
    'metadata.namespace': pod.metadata?.namespace,
    'metadata.uid': pod.metadata?.uid,
    'spec.nodeName': pod.spec?.nodeName,
    'spec.serviceAccountName': pod.spec?.serviceAccountName,
    'status.hostIP': '10.0.0.10',
    'status.podIP': podIP,
  };
  return values[path] ?? '';
}

/** The container's environment, or the reason it cannot be built (CreateContainerConfigError). */
export function containerEnv(pod: V1Pod, container: V1Container, podIP?: string): Record<string, string> | string {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOSTNAME: pod.metadata?.name ?? '',
    HOME: '/tmp',
    LANG: 'C.UTF-8',
    PYTHONUNBUFFERED: '1',
    // The workers run from the repository's python/ folder: keep it free of __pycache__.
    PYTHONDONTWRITEBYTECODE: '1',
  };
  // an env value may refer only to variables the container declared before it (kubelet's makeEnvironmentVariables)
  const declared: Record<string, string> = {};
  for (const e of container.env ?? []) {
    const from = e.valueFrom;
    if (from?.fieldRef) {
      env[e.name] = fieldValue(pod, from.fieldRef.fieldPath, podIP);
    } else if (from?.secretKeyRef || from?.configMapKeyRef) {
      const ref = from.secretKeyRef ?? from.configMapKeyRef;
      if (!ref?.optional) {
        return `${from.secretKeyRef ? 'secret' : 'configmap'} "${ref?.name ?? ''}" not found`;
      }
    } else if (from?.resourceFieldRef) {
      const resource = from.resourceFieldRef.resource;
      const [kind, name] = resource.split('.');
      const map = kind === 'limits' ? container.resources?.limits : container.resources?.requests;
      env[e.name] = String(map?.[name ?? ''] ?? '');
    } else {
      env[e.name] = expandVars(e.value ?? '', declared);
    }
    if (e.name in env) {
      declared[e.name] = env[e.name]!;
    }
  }
  return env;
}
