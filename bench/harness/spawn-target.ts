import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface Target {
  port: number;
  info: Record<string, unknown>;
  stop(): Promise<void>;
}

/** Starts `bench/harness/<script>` with its arguments in a child process and waits for READY. */
export function spawnTarget(script: string, args: string[]): Promise<Target> {
  const child: ChildProcess = spawn(process.execPath, [...heapFlags(), '--import', 'tsx', join(import.meta.dirname, script), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, LOG_LEVEL: 'silent' },
  });
  return new Promise((resolve, reject) => {
    let buf = '';
    child.once('exit', (code) => reject(new Error(`${script} ${args.join(' ')} exited with ${code}`)));
    child.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /READY (\d+) (.*)\n/.exec(buf);
      if (m) {
        resolve({
          port: Number(m[1]),
          info: JSON.parse(m[2]!) as Record<string, unknown>,
          stop: () =>
            new Promise((r) => {
              child.removeAllListeners('exit');
              child.once('exit', () => r());
              child.kill('SIGTERM');
            }),
        });
      }
    });
  });
}

/** The heap settings the bench runs under (those `npm start` gives the hub), passed on to every target alike. */
function heapFlags(): string[] {
  return process.execArgv.filter((a) => a.startsWith('--max-semi-space-size'));
}
