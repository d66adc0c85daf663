import { type ChildProcess, spawn } from 'node:child_process';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';

/** The CLI source, run through tsx (tests need no build). */
export const CLI = fileURLToPath(new URL('../cli.ts', import.meta.url));
export const PKG_DIR = fileURLToPath(new URL('../..', import.meta.url));

/** `rl-curriculum serve --http 127.0.0.1:0 …` in a child process; resolves once it listens. */
export function spawnHttpServer(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; url: string; stderr: () => string; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve', '--http', '127.0.0.1:0', ...args], {
    cwd: PKG_DIR,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (d) => {
    err += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.includes('"listening"'));
      if (line) resolve({ child, url: (JSON.parse(line) as { url: string }).url, stderr: () => err, exited });
    });
    void exited.then((code) => reject(new Error(`server exited with ${code}: ${err}`)));
  });
}

/** POST /rpc with the headers of a well-behaved client. */
export function rpc(
  url: string,
  method: string,
  params: unknown = {},
  token?: string,
): Promise<{
  id: unknown;
  result?: Record<string, unknown>;
  error?: { code: string; reason: string; message: string };
}> {
  const body = JSON.stringify({ id: method, method, params });
  const u = new URL('/rpc', url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname,
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (d) => {
          data += d;
        });
        res.on('end', () => {
          try {
            resolve(JSON.parse(data));
          } catch (e) {
            reject(e);
          }
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
