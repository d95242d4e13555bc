// Kubernetes' name and value rules, as k8s.io/apimachinery/pkg/util/validation/validation.go states them
// (IsDNS1123Label, IsDNS1123Subdomain, IsQualifiedName, IsValidLabelValue, IsConfigMapKey). Each returns the reason
// a value is invalid, or undefined when Kubernetes would accept it.

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/;

export function dns1123Label(value: string): string | undefined {
  if (value.length > 63) {
    return 'must be no more than 63 characters';
  }
  return DNS1123_LABEL.test(value)
    ? undefined
    : 'must be a DNS-1123 label: lower-case letters, digits and -, starting and ending with a letter or digit';
}

export function dns1123Subdomain(value: string): string | undefined {
  if (value.length > 253) {
    return 'must be no more than 253 characters';
  }
  return DNS1123_SUBDOMAIN.test(value)
    ? undefined
    : 'must be a DNS-1123 subdomain: lower-case letters, digits, - and ., starting and ending with a letter or digit';
}

/** A label or annotation key: `[prefix/]name`, the prefix a DNS subdomain. */
export function qualifiedName(value: string): string | undefined {
  const parts = value.split('/');
  if (parts.length > 2) {
    return 'must be a name with at most one / (an optional DNS subdomain prefix and a name)';
  }
  const name = parts[parts.length - 1]!;
  if (parts.length === 2) {
    const prefix = parts[0]!;
    if (prefix === '') {
      return 'must not have an empty prefix before /';
    }
    const bad = dns1123Subdomain(prefix);
    if (bad) {
      return `prefix ${bad}`;
    }
  }
  if (name === '' || name.length > 63) {
    return 'name part must be 1 to 63 characters';
  }
  return QUALIFIED_NAME.test(name)
    ? undefined
    : 'name part must consist of letters, digits, -, _ or ., starting and ending with a letter or digit';
}

export function labelValue(value: string): string | undefined {
  if (value.length > 63) {
    return 'must be no more than 63 characters';
  }
  return LABEL_VALUE.test(value)
    ? undefined
    : 'must be empty or letters, digits, -, _ or ., starting and ending with a letter or digit';
}

export function configMapKey(value: string): string | undefined {
  if (value.length > 253) {
    return 'must be no more than 253 characters';
  }
  return CONFIG_MAP_KEY.test(value) ? undefined : 'must consist of letters, digits, -, _ or .';
}
