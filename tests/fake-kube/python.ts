import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const interpreters = new Map<string, Promise<string>>();

/**
 * The real interpreter behind `python`: a version-manager shim (pyenv) costs seconds per start on a loaded machine,
 * so it is asked once and every worker then starts the binary directly. The answer is kept in the temp folder, keyed
 * by what the shim decides by (PATH, PYENV_VERSION, the working folder), because each test file is a process of its
 * own and asking the shim in every one of them cost more than the tests of many. A shim that fails leaves `python`.
 */
export function resolvePython(python: string): Promise<string> {
  let found = interpreters.get(python);
  if (!found) {
    const { PATH, PYENV_VERSION } = process.env;
    const key = createHash('sha256').update(JSON.stringify([python, PATH, PYENV_VERSION, process.cwd()]));
    const file = join(tmpdir(), `flowkube-python-${key.digest('hex').slice(0, 16)}`);
    const known = existsSync(file) ? readFileSync(file, 'utf8') : '';
    found = known !== '' && existsSync(known) ? Promise.resolve(known) : ask(python, file);
    interpreters.set(python, found);
  }
  return found;
}

function ask(python: string, file: string): Promise<string> {
  return new Promise((resolve) => {
    execFile(python, ['-c', 'import sys; print(sys.executable)'], { timeout: 60000 }, (err, stdout) => {
      const binary = stdout.trim();
      if (err || binary === '') {
        resolve(python);
        return;
      }
      // written whole, then renamed: another test process may read it at the same moment
      const partial = `${file}.${process.pid}`;
      writeFileSync(partial, binary);
      renameSync(partial, file);
      resolve(binary);
    });
  });
}
