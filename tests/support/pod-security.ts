// The Pod Security Standard `restricted` profile (which includes `baseline`), as the admission controller in
// flowkube-jobs and flowkube-admin enforces it, written as one pure check so the proxy's Deployment and every Pod the
// proxy renders are held to the same rules. https://kubernetes.io/docs/concepts/security/pod-security-standards/
// Returns one line per violation, naming the field; an empty list means the Pod would be admitted.
import type { V1Container, V1PodSpec, V1SecurityContext } from '@kubernetes/client-node';

/** The only volume types `restricted` admits. */
export const RESTRICTED_VOLUME_TYPES = [
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
] as const;

const ALLOWED_ADD_CAPABILITIES = new Set(['NET_BIND_SERVICE']);
const SECCOMP_ALLOWED = new Set(['RuntimeDefault', 'Localhost']);
const SELINUX_TYPES = new Set(['container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);
const APPARMOR_ALLOWED = new Set(['RuntimeDefault', 'Localhost']);
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);

type AnyContainer = Pick<V1Container, 'name' | 'securityContext' | 'ports'>;

function allContainers(spec: V1PodSpec): Array<{ where: string; c: AnyContainer }> {
  const list = (key: 'containers' | 'initContainers' | 'ephemeralContainers') =>
    ((spec[key] ?? []) as AnyContainer[]).map((c, i) => ({ where: `${key}[${i}](${c.name})`, c }));
  return [...list('initContainers'), ...list('containers'), ...list('ephemeralContainers')];
}

/** Checks a Pod spec (a Pod's `spec`, or a workload's `spec.template.spec`) against the `restricted` profile. */
export function checkRestricted(spec: V1PodSpec): string[] {
  const problems: string[] = [];
  const pod = spec.securityContext ?? {};
  const containers = allContainers(spec);

  // --- baseline: host namespaces, host paths and ports, privileged, sysctls, SELinux, AppArmor, /proc
  for (const key of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
    if (spec[key]) {
      problems.push(`spec.${key} must not be true`);
    }
  }
  if (pod.windowsOptions?.hostProcess) {
    problems.push('spec.securityContext.windowsOptions.hostProcess must not be true');
  }
  for (const sysctl of pod.sysctls ?? []) {
    if (!SAFE_SYSCTLS.has(sysctl.name)) {
      problems.push(`spec.securityContext.sysctls: ${sysctl.name} is not a safe sysctl`);
    }
  }
  checkSelinux(pod.seLinuxOptions, 'spec.securityContext', problems);
  checkAppArmor(pod.appArmorProfile?.type, 'spec.securityContext', problems);

  for (const [i, volume] of (spec.volumes ?? []).entries()) {
    const types = Object.keys(volume).filter((k) => k !== 'name');
    for (const type of types) {
      if (!(RESTRICTED_VOLUME_TYPES as readonly string[]).includes(type)) {
        problems.push(`spec.volumes[${i}](${volume.name}): volume type ${type} is not allowed`);
      }
    }
  }

  // --- restricted: pod-level settings that containers may inherit
  if (pod.runAsUser === 0) {
    problems.push('spec.securityContext.runAsUser must not be 0');
  }
  const podSeccomp = pod.seccompProfile?.type;
  if (podSeccomp !== undefined && !SECCOMP_ALLOWED.has(podSeccomp)) {
    problems.push(`spec.securityContext.seccompProfile.type must be RuntimeDefault or Localhost, not ${podSeccomp}`);
  }

  for (const { where, c } of containers) {
    const sc: V1SecurityContext = c.securityContext ?? {};
    const at = `${where}.securityContext`;
    if (sc.privileged) {
      problems.push(`${at}.privileged must not be true`);
    }
    if (sc.windowsOptions?.hostProcess) {
      problems.push(`${at}.windowsOptions.hostProcess must not be true`);
    }
    if (sc.procMount !== undefined && sc.procMount !== 'Default') {
      problems.push(`${at}.procMount must be Default`);
    }
    checkSelinux(sc.seLinuxOptions, at, problems);
    checkAppArmor(sc.appArmorProfile?.type, at, problems);
    for (const port of c.ports ?? []) {
      if (port.hostPort) {
        problems.push(`${where}.ports: hostPort ${port.hostPort} is not allowed`);
      }
    }
    if (sc.allowPrivilegeEscalation !== false) {
      problems.push(`${at}.allowPrivilegeEscalation must be false`);
    }
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) {
      problems.push(`${at}.capabilities.drop must include ALL`);
    }
    for (const cap of sc.capabilities?.add ?? []) {
      if (!ALLOWED_ADD_CAPABILITIES.has(cap)) {
        problems.push(`${at}.capabilities.add: ${cap} is not allowed (only NET_BIND_SERVICE)`);
      }
    }
    const runAsNonRoot = sc.runAsNonRoot ?? pod.runAsNonRoot;
    if (runAsNonRoot !== true) {
      problems.push(`${at}.runAsNonRoot must be true (on the container or the Pod)`);
    }
    if (sc.runAsUser === 0) {
      problems.push(`${at}.runAsUser must not be 0`);
    }
    const seccomp = sc.seccompProfile?.type ?? podSeccomp;
    if (seccomp === undefined) {
      problems.push(
        `${at}.seccompProfile.type must be set to RuntimeDefault or Localhost (on the container or the Pod)`
      );
    } else if (!SECCOMP_ALLOWED.has(seccomp)) {
      problems.push(`${at}.seccompProfile.type must be RuntimeDefault or Localhost, not ${seccomp}`);
    }
  }
  return problems;
}

function checkSelinux(options: V1SecurityContext['seLinuxOptions'], at: string, problems: string[]): void {
  if (!options) {
    return;
  }
  if (options.type !== undefined && options.type !== '' && !SELINUX_TYPES.has(options.type)) {
    problems.push(`${at}.seLinuxOptions.type ${options.type} is not allowed`);
  }
  if (options.user || options.role) {
    problems.push(`${at}.seLinuxOptions.user and .role must not be set`);
  }
}

function checkAppArmor(type: string | undefined, at: string, problems: string[]): void {
  if (type !== undefined && !APPARMOR_ALLOWED.has(type)) {
    problems.push(`${at}.appArmorProfile.type must be RuntimeDefault or Localhost, not ${type}`);
  }
}
