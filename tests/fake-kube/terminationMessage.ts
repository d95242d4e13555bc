// How the kubelet fills a terminated container's `message`, after kubernetes pkg/kubelet/kuberuntime/
// kuberuntime_container.go (getTerminationMessage, readLastStringFromContainerLogs) and the limits in
// pkg/kubelet/container/runtime.go:
// - it mounts a file at terminationMessagePath and reads back at most its LAST 4096 bytes;
// - with terminationMessagePolicy FallbackToLogsOnError, a non-zero exit and an empty file, it takes the last 80 log
//   lines, of which it keeps the last 2048 bytes;
// - a container that could not start (ContainerCannotRun, StartError here) gets no fallback.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const MAX_MESSAGE_BYTES = 4096;
export const MAX_LOG_LINES = 80;
export const MAX_LOG_BYTES = 2048;

export interface Termination {
  /** What the container left in its termination file ('' when nothing). */
  file: Buffer;
  policy: string | undefined;
  exitCode: number;
  reason: string;
  /** The container's log lines, oldest first, each ending in '\n' unless it was cut off. */
  logLines: readonly string[];
}

function lastBytes(data: Buffer, max: number): string {
  return data.subarray(Math.max(0, data.length - max)).toString('utf8');
}

export function terminationMessage(t: Termination): string {
  const fromFile = lastBytes(t.file, MAX_MESSAGE_BYTES);
  const fallback = t.policy === 'FallbackToLogsOnError' && t.exitCode !== 0 && t.reason !== 'StartError';
  if (fromFile !== '' || !fallback) {
    return fromFile;
  }
  return lastBytes(Buffer.from(t.logLines.slice(-MAX_LOG_LINES).join(''), 'utf8'), MAX_LOG_BYTES);
}

/**
 * The file the kubelet mounts at terminationMessagePath, as a local file: it exists (empty) before the process starts.
 * The workers find it through FLOWKUBE_TERMINATION_LOG (python/flowkube_worker.py), since a local process has no mount.
 */
export class TerminationFile {
  readonly path: string;
  private readonly dir: string;

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'fake-kube-termination-'));
    this.path = join(this.dir, 'termination-log');
    writeFileSync(this.path, '');
  }

  /** Reads what was written and removes the file. */
  collect(): Buffer {
    try {
      return readFileSync(this.path);
    } catch {
      return Buffer.alloc(0);
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }
}
