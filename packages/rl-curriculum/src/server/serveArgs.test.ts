import { describe, expect, it } from 'vitest';
import { parseServeArgs, TOKEN_ENV, USAGE } from './serveArgs.js';

describe('serve arguments', () => {
  it('token from --token or the environment (HTTP only), origins, unsafe bind and limits', () => {
    const a = parseServeArgs(
      ['--http', '127.0.0.1:8080', '--allow-origin', 'http://localhost:5173', '--max-bins', '64'],
      {
        [TOKEN_ENV]: 'from-env',
      },
    );
    expect(a).toMatchObject({
      http: { host: '127.0.0.1', port: 8080 },
      token: 'from-env',
      allowOrigins: ['http://localhost:5173'],
      limits: { maxBins: 64 },
      unsafeBind: false,
    });
    expect(parseServeArgs(['--http', '[::1]:0', '--token', 'flag'], { [TOKEN_ENV]: 'env' }).token).toBe('flag');
    expect(parseServeArgs(['--http', '10.0.0.5:80', '--unsafe-bind'], {})).toMatchObject({
      http: { host: '10.0.0.5', port: 80 },
      unsafeBind: true,
    });
    // The environment token does not apply to stdio (the Python client's child process inherits it).
    expect(parseServeArgs(['--stdio'], { [TOKEN_ENV]: 'env' }).token).toBeUndefined();
  });

  it('rejects bad values by option name', () => {
    const bad: Array<[string[], RegExp]> = [
      [['--stdio', '--token', 't'], /--http only/],
      [['--http', '127.0.0.1:1', '--token', 'a b'], /whitespace/],
      [['--http', '127.0.0.1:1', '--allow-origin', '*'], /--allow-origin/],
      [['--http', '127.0.0.1:1', '--allow-origin', 'http://a.example/'], /--allow-origin/],
      [['--stdio', '--max-items', '-1'], /--max-items/],
      [['--stdio', '--max-controllers'], /needs a value/],
      [['--stdio', '--bogus'], /unknown option "--bogus"/],
      [['--http', 'localhost'], /HOST:PORT/],
      [[], /exactly one/],
    ];
    for (const [args, message] of bad) expect(() => parseServeArgs(args, {}), args.join(' ')).toThrow(message);
    expect(USAGE).toContain(TOKEN_ENV);
  });
});
