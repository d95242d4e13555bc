// Pod validation with the API server's field paths, reasons and wording, so the proxy's 422 → 400 mapping is
// exercised with realistic causes. kubernetes-models catches type, enum and quantity errors; names and label values
// it does not check (see TOOLCHAIN.md), so those rules are written out here.
import { Pod } from 'kubernetes-models/v1/Pod';
import type { StatusCause } from './status.ts';

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS_LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const QUALIFIED_NAME_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const ENV_NAME_MSG =
  "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')";

export function subdomainError(value: string): string | undefined {
  if (value.length > 253) {
    return 'must be no more than 253 characters';
  }
  return SUBDOMAIN.test(value) ? undefined : SUBDOMAIN_MSG;
}

/** A label or annotation key: optional DNS subdomain prefix, '/', and a name of at most 63 characters. */
export function labelKeyError(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (slash >= 0) {
    const prefix = key.slice(0, slash);
    if (prefix === '') {
      return 'prefix part must be non-empty';
    }
    const problem = subdomainError(prefix);
    if (problem) {
      return `prefix part ${problem}`;
    }
  }
  if (name === '') {
    return 'name part must be non-empty';
  }
  if (name.length > 63) {
    return 'name part must be no more than 63 characters';
  }
  return QUALIFIED_NAME.test(name) ? undefined : QUALIFIED_NAME_MSG;
}

export function labelValueError(value: string): string | undefined {
  if (value.length > 63) {
    return 'must be no more than 63 characters';
  }
  return LABEL_VALUE.test(value) ? undefined : LABEL_VALUE_MSG;
}

const invalid = (field: string, value: unknown, message: string): StatusCause => ({
  reason: 'FieldValueInvalid',
  message: `Invalid value: ${JSON.stringify(value)}: ${message}`,
  field,
});
const required = (field: string, detail?: string): StatusCause => ({
  reason: 'FieldValueRequired',
  message: detail ? `Required value: ${detail}` : 'Required value',
  field,
});

/** ValidateObjectMeta on a stored object's name (generateName has been turned into one by then). */
export function nameErrors(name: unknown): StatusCause[] {
  if (typeof name !== 'string' || name === '') {
    return [required('metadata.name', 'name or generateName is required')];
  }
  const problem = subdomainError(name);
  return problem ? [invalid('metadata.name', name, problem)] : [];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function mapErrors(field: string, map: unknown, valueCheck?: (v: string) => string | undefined): StatusCause[] {
  if (!isObject(map)) {
    return [];
  }
  const causes: StatusCause[] = [];
  for (const [key, value] of Object.entries(map)) {
    const keyProblem = labelKeyError(key);
    if (keyProblem) {
      causes.push(invalid(field, key, keyProblem));
    }
    const valueProblem = valueCheck && typeof value === 'string' ? valueCheck(value) : undefined;
    if (valueProblem) {
      causes.push(invalid(field, value, valueProblem));
    }
  }
  return causes;
}

function containerErrors(containers: unknown[]): StatusCause[] {
  const causes: StatusCause[] = [];
  const seen = new Set<string>();
  containers.forEach((c, i) => {
    const at = `spec.containers[${i}]`;
    const container = isObject(c) ? c : {};
    const name = typeof container.name === 'string' ? container.name : '';
    if (name === '') {
      causes.push(required(`${at}.name`));
    } else if (name.length > 63 || !DNS_LABEL.test(name)) {
      causes.push(invalid(`${at}.name`, name, name.length > 63 ? 'must be no more than 63 characters' : DNS_LABEL_MSG));
    } else if (seen.has(name)) {
      causes.push({
        reason: 'FieldValueDuplicate',
        message: `Duplicate value: ${JSON.stringify(name)}`,
        field: `${at}.name`,
      });
    }
    seen.add(name);
    if (typeof container.image !== 'string' || container.image.trim() === '') {
      causes.push(required(`${at}.image`));
    }
    const env = Array.isArray(container.env) ? container.env : [];
    env.forEach((e, j) => {
      const envName = isObject(e) && typeof e.name === 'string' ? e.name : '';
      if (envName === '') {
        causes.push(required(`${at}.env[${j}].name`));
      } else if (!ENV_NAME.test(envName)) {
        causes.push(invalid(`${at}.env[${j}].name`, envName, ENV_NAME_MSG));
      }
    });
  });
  return causes;
}

/** The semantic checks the API server runs after decoding (ValidatePod): every problem, not just the first. */
export function podSemanticErrors(pod: Json): StatusCause[] {
  const meta = isObject(pod.metadata) ? pod.metadata : {};
  const spec = isObject(pod.spec) ? pod.spec : {};
  const causes: StatusCause[] = [];
  const name = typeof meta.name === 'string' ? meta.name : '';
  const generateName = typeof meta.generateName === 'string' ? meta.generateName : '';
  if (name === '' && generateName === '') {
    causes.push(required('metadata.name', 'name or generateName is required'));
  }
  if (generateName !== '') {
    // A prefix may end in '-': the random suffix makes the final name valid.
    const problem = subdomainError(generateName.replace(/-+$/, '') || 'a');
    if (problem) {
      causes.push(invalid('metadata.generateName', generateName, problem));
    }
  }
  if (name !== '') {
    const problem = subdomainError(name);
    if (problem) {
      causes.push(invalid('metadata.name', name, problem));
    }
  }
  causes.push(...mapErrors('metadata.labels', meta.labels, labelValueError));
  causes.push(...mapErrors('metadata.annotations', meta.annotations));
  const containers = Array.isArray(spec.containers) ? spec.containers : [];
  if (containers.length === 0) {
    causes.push(required('spec.containers'));
  }
  causes.push(...containerErrors(containers));
  const restartPolicy = spec.restartPolicy;
  if (restartPolicy !== undefined && !['Always', 'OnFailure', 'Never'].includes(String(restartPolicy))) {
    causes.push({
      reason: 'FieldValueNotSupported',
      message: `Unsupported value: ${JSON.stringify(restartPolicy)}: supported values: "Always", "OnFailure", "Never"`,
      field: 'spec.restartPolicy',
    });
  }
  const deadline = spec.activeDeadlineSeconds;
  if (typeof deadline === 'number' && (deadline < 1 || deadline > 2147483647 || !Number.isInteger(deadline))) {
    causes.push(invalid('spec.activeDeadlineSeconds', deadline, 'must be between 1 and 2147483647, inclusive'));
  }
  return causes;
}

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params?: Record<string, unknown>;
}

const dotted = (instancePath: string): string =>
  instancePath
    .split('/')
    .slice(1)
    .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`))
    .join('')
    .replace(/^\./, '');

export type SchemaProblem = { kind: 'decode'; message: string } | { kind: 'invalid'; causes: StatusCause[] };

/**
 * The OpenAPI schema check (kubernetes-models). Wrong JSON types and unparsable quantities fail in the API server's
 * decoder (400 BadRequest); missing required fields and bad enums fail validation (422 Invalid).
 */
export function podSchemaProblem(pod: Json): SchemaProblem | undefined {
  try {
    new Pod(pod as ConstructorParameters<typeof Pod>[0]).validate();
    return undefined;
  } catch (err) {
    const errors = ((err as { errors?: AjvError[] }).errors ?? []).filter((e) => e.keyword !== 'oneOf');
    const decode = errors.find((e) => e.keyword === 'type' || e.keyword === 'format');
    if (decode || errors.length === 0) {
      const field = decode ? dotted(decode.instancePath) : '';
      return {
        kind: 'decode',
        message: `Pod in version "v1" cannot be handled as a Pod: ${field ? `${field}: ` : ''}${decode?.message ?? (err as Error).message}`,
      };
    }
    return {
      kind: 'invalid',
      causes: errors.map((e) => {
        if (e.keyword === 'required') {
          const base = dotted(e.instancePath);
          return required(`${base ? `${base}.` : ''}${String(e.params?.missingProperty ?? '')}`);
        }
        if (e.keyword === 'enum') {
          return {
            reason: 'FieldValueNotSupported',
            message: `Unsupported value: supported values: ${((e.params?.allowedValues as unknown[]) ?? []).map((v) => JSON.stringify(v)).join(', ')}`,
            field: dotted(e.instancePath),
          };
        }
        return {
          reason: 'FieldValueInvalid',
          message: `Invalid value: ${e.message ?? ''}`,
          field: dotted(e.instancePath),
        };
      }),
    };
  }
}
