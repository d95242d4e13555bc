import { spawn } from 'node:child_process';
import path from 'node:path';

const environment = path.resolve(__dirname, '../../jest-environment.js');

/**
 * A child shaped like a jest worker (jest-worker/build/workers/processChild.js): it lives on its IPC 'message'
 * listener and, on the end message, removes it and lets the event loop run dry. A last timer stands for work still
 * pending then; the 'exit' listener sets the code as jest's CLI does. process.reallyExit is what process.exit() calls
 * and a natural exit does not, so the child's output tells which way it ended.
 */
function runWorker(loadEnvironment: boolean): Promise<{ lines: string[]; code: number | null }> {
  const child = `
    ${loadEnvironment ? `require(${JSON.stringify(environment)});` : ''}
    const reallyExit = process.reallyExit;
    process.reallyExit = (code) => { process.stdout.write('reallyExit ' + code + '\\n'); reallyExit.call(process, code); };
    process.on('exit', () => { process.exitCode = 3; });
    const onMessage = () => {
      process.removeListener('message', onMessage);
      setTimeout(() => process.stdout.write('last timer\\n'), 20);
    };
    process.on('message', onMessage);
    process.send('ready');
  `;
  const proc = spawn(process.execPath, ['-e', child], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  let out = '';
  proc.stdout!.on('data', (chunk) => (out += chunk));
  proc.once('message', () => proc.send('end'));
  return new Promise((resolve) =>
    proc.on('close', (code) => resolve({ lines: out.split('\n').filter(Boolean), code }))
  );
}

describe('jest-environment.js', () => {
  it('ends an idle worker through process.exit, after its pending work, with the code set on exit', async () => {
    expect(await runWorker(true)).toEqual({ lines: ['last timer', 'reallyExit 3'], code: 3 });
  });

  it('is what makes the difference: without it the same worker ends by a natural exit', async () => {
    expect(await runWorker(false)).toEqual({ lines: ['last timer'], code: 3 });
  });
});
