// A test whose process is killed mid-file, as the kernel's OOM killer does (SIGKILL: no exit handler runs).
import { test } from 'node:test';

test('is killed', () => {
  process.kill(process.pid, 'SIGKILL');
});
