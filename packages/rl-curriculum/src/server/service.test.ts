import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { canonicalJson, createCurriculumService } from './service.js';
import { serveStdio } from './stdio.js';

type Reply = {
  id: unknown;
  result?: Record<string, unknown>;
  error?: { code: string; message: string; reason?: string; path?: string };
};

function setup() {
  const s = createCurriculumService({ maxBytes: 4096 });
  let id = 0;
  const call = (method: string, params: unknown = {}): Reply =>
    JSON.parse(s.handle(JSON.stringify({ id: ++id, method, params })));
  const pool = Array.from({ length: 30 }, (_, i) => `idx:${i}`);
  expect(
    call('create', { controller: 'pg', kind: 'promptGdro', config: { mode: 'resample', pool, seed: 3 } }).result,
  ).toBeDefined();
  expect(call('create', { controller: 'rw', kind: 'promptGdro', config: { mode: 'reweight' } }).result).toBeDefined();
  expect(call('create', { controller: 'ro', kind: 'rolloutGdro', config: { mode: 'exp3p' } }).result).toBeDefined();
  expect(
    call('create', {
      controller: 'du',
      kind: 'dump',
      config: { sources: ['a', 'b'], pool: pool.map((uid, i) => ({ uid, source: i % 2 ? 'a' : 'b' })) },
    }).result,
  ).toBeDefined();
  expect(call('create', { controller: 'cl', kind: 'classifier', config: { numBins: 4 } }).result).toBeDefined();
  const states = (): string =>
    JSON.stringify(['pg', 'rw', 'ro', 'du', 'cl'].map((c) => call('state', { controller: c }).result));
  // some history
  const b = call('sample', { controller: 'pg', batchSize: 4 }).result as { uids: string[] };
  call('update', { controller: 'pg', results: b.uids.map((uid) => ({ uid, rewards: [1, 0, 0, 1] })) });
  call('allocate', { controller: 'ro', uids: ['idx:1', 'idx:2'] });
  return { s, call, states };
}

describe('service robustness: every bad request gets an error reply and changes nothing', () => {
  const bad: Array<[string, string, string, string | undefined]> = [
    // [name, raw line, expected code, expected reason]
    ['invalid JSON', '{"id":1,"method":', 'E_SPEC', 'parse'],
    ['a JSON array', '[1,2]', 'E_SPEC', 'request'],
    ['a JSON number', '42', 'E_SPEC', 'request'],
    ['missing method', '{"id":1,"params":{}}', 'E_SPEC', 'request'],
    ['bad id', '{"id":{"x":1},"method":"hello","params":{}}', 'E_SPEC', 'request'],
    ['params not an object', '{"id":1,"method":"hello","params":[1]}', 'E_SPEC', 'request'],
    ['unknown method', '{"id":1,"method":"explode","params":{}}', 'E_SPEC', 'method'],
    // Names an object literal would inherit are not methods: dispatch is only from the handler table.
    ['inherited name constructor', '{"id":1,"method":"constructor","params":{}}', 'E_SPEC', 'method'],
    ['inherited name toString', '{"id":1,"method":"toString","params":{}}', 'E_SPEC', 'method'],
    ['inherited name __proto__', '{"id":1,"method":"__proto__","params":{}}', 'E_SPEC', 'method'],
    ['inherited name hasOwnProperty', '{"id":1,"method":"hasOwnProperty","params":{}}', 'E_SPEC', 'method'],
    [
      'inherited kind name',
      '{"id":1,"method":"create","params":{"controller":"x","kind":"toString"}}',
      'E_SPEC',
      'params',
    ],
    [
      'method not supported by kind',
      '{"id":1,"method":"allocate","params":{"controller":"pg","uids":["a"]}}',
      'E_SPEC',
      'method',
    ],
    [
      'unknown controller',
      '{"id":1,"method":"sample","params":{"controller":"nope","batchSize":2}}',
      'E_SPEC',
      'controller',
    ],
    [
      'unknown param',
      '{"id":1,"method":"sample","params":{"controller":"pg","batchSize":2,"bogus":1}}',
      'E_SPEC',
      'params',
    ],
    [
      'ill-typed batchSize',
      '{"id":1,"method":"sample","params":{"controller":"pg","batchSize":"ten"}}',
      'E_DTYPE',
      'params',
    ],
    [
      'fractional batchSize',
      '{"id":1,"method":"sample","params":{"controller":"pg","batchSize":2.5}}',
      'E_DTYPE',
      'params',
    ],
    [
      'null reward',
      '{"id":1,"method":"update","params":{"controller":"pg","results":[{"uid":"idx:1","rewards":[1,null]}]}}',
      'E_NONFINITE',
      'params',
    ],
    [
      'length mismatch',
      '{"id":1,"method":"update","params":{"controller":"pg","results":[{"uid":"idx:1","rewards":[1,0],"correct":[true]}]}}',
      'E_SHAPE',
      'params',
    ],
    [
      'bad bin echo',
      '{"id":1,"method":"update","params":{"controller":"ro","results":[{"uid":"idx:1","rewards":[1,0],"bin":"77"}]}}',
      'E_LABEL_RANGE',
      'params',
    ],
    [
      'unknown DUMP source',
      '{"id":1,"method":"update","params":{"controller":"du","results":[{"uid":"zz","rewards":[1,0],"source":"c"}]}}',
      'E_LABEL_RANGE',
      'params',
    ],
    [
      'infeasible budget',
      '{"id":1,"method":"allocate","params":{"controller":"ro","uids":["a","b"],"totalBudget":100}}',
      'E_SPEC',
      'params',
    ],
    [
      'create existing',
      '{"id":1,"method":"create","params":{"controller":"pg","kind":"dump","config":{"sources":["a"]}}}',
      'E_SPEC',
      'exists',
    ],
    [
      'bad config',
      '{"id":1,"method":"create","params":{"controller":"new","kind":"rolloutGdro","config":{"nMin":5,"nMax":3}}}',
      'E_SPEC',
      'params',
    ],
    [
      'load wrong kind',
      '{"id":1,"method":"load","params":{"controller":"x","state":{"kind":"rng","version":1}}}',
      'E_STATE_VERSION',
      'params',
    ],
    ['oversized line', `{"id":1,"method":"hello","params":{"pad":"${'x'.repeat(5000)}"}}`, 'E_SPEC', 'too-large'],
  ];
  for (const [name, line, code, reason] of bad) {
    it(name, () => {
      const { s, call, states } = setup();
      const before = states();
      const list = JSON.stringify(call('list').result);
      const r = JSON.parse(s.handle(line)) as Reply;
      expect(r.error?.code).toBe(code);
      expect(r.error?.reason).toBe(reason);
      expect(r.error?.message.length).toBeGreaterThan(10);
      expect(states()).toBe(before);
      expect(JSON.stringify(call('list').result)).toBe(list);
      expect(call('hello').result?.protocol).toBe(1);
    });
  }

  it('error messages name the offending field', () => {
    const { call } = setup();
    const r = call('update', {
      controller: 'pg',
      results: [
        { uid: 'idx:1', rewards: [1, 0] },
        { uid: 'idx:2', rewards: [1, 'x'] },
      ],
    });
    expect(r.error?.path).toBe('results[1].rewards[1]');
    expect(r.error?.message).toContain('results[1].rewards[1]');
    expect(call('sample', { controller: 'pg', batchSize: 'ten' }).error?.message).toContain('batchSize');
  });
});

describe('step keys', () => {
  it('a retried step returns the identical reply without touching state; conflicts and stale steps are rejected', () => {
    const { call, states } = setup();
    const a = call('sample', { controller: 'pg', batchSize: 5, step: 10 });
    const before = states();
    const b = call('sample', { controller: 'pg', batchSize: 5, step: 10 });
    expect(b.result).toEqual(a.result);
    expect(states()).toBe(before);
    const c = call('sample', { controller: 'pg', batchSize: 6, step: 10 });
    expect(c.error?.reason).toBe('step-conflict');
    call('sample', { controller: 'pg', batchSize: 5, step: 11 });
    const d = call('sample', { controller: 'pg', batchSize: 5, step: 9 });
    expect(d.error?.reason).toBe('stale-step');
    expect(call('state', { controller: 'pg' }).result?.calls).toHaveProperty('sample');
  });

  it('remembered steps survive state/load into another controller', () => {
    const { call } = setup();
    const a = call('sample', { controller: 'pg', batchSize: 5, step: 3 });
    const snap = call('state', { controller: 'pg' }).result as Record<string, unknown>;
    expect(call('load', { controller: 'pg2', ...snap }).result).toEqual({ controller: 'pg2', kind: 'promptGdro' });
    expect(call('sample', { controller: 'pg2', batchSize: 5, step: 3 }).result).toEqual(a.result);
    const next1 = call('sample', { controller: 'pg', batchSize: 5, step: 4 });
    const next2 = call('sample', { controller: 'pg2', batchSize: 5, step: 4 });
    expect(next2.result).toEqual(next1.result);
  });

  it('canonical JSON sorts keys recursively', () => {
    expect(canonicalJson({ b: [1, { d: 2, c: 1 }], a: 'x' })).toBe('{"a":"x","b":[1,{"c":1,"d":2}]}');
  });
});

describe('stdio transport', () => {
  it('answers 1000 pipelined requests in order, including bad lines, CRLF and invalid UTF-8', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let text = '';
    output.on('data', (d) => {
      text += d.toString('utf8');
    });
    const done = serveStdio({ input, output, maxBytes: 2048 });
    const lines: Buffer[] = [];
    lines.push(
      Buffer.from('{"id":0,"method":"create","params":{"controller":"c","kind":"classifier","config":{}}}\r\n'),
    );
    for (let i = 1; i < 1000; i++) {
      if (i % 97 === 0) lines.push(Buffer.from('not json\n'));
      else if (i % 101 === 0)
        lines.push(
          Buffer.concat([Buffer.from('{"id":1,"method":"hello"'), Buffer.from([0xff, 0xfe]), Buffer.from('}\n')]),
        );
      else if (i % 103 === 0)
        lines.push(Buffer.from(`{"id":${i},"method":"hello","params":{"x":"${'y'.repeat(3000)}"}}\n`));
      else
        lines.push(
          Buffer.from(
            `{"id":${i},"method":"update","params":{"controller":"c","results":[{"uid":"u${i % 7}","rewards":[${i % 2},1]}]}}\n\n`,
          ),
        );
    }
    // Feed in odd-sized chunks so that lines straddle chunk boundaries.
    const all = Buffer.concat(lines);
    for (let off = 0; off < all.length; off += 777) input.write(all.subarray(off, off + 777));
    input.end();
    await done;
    const replies = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Reply);
    expect(replies.length).toBe(1000);
    replies.forEach((r, i) => {
      if (i > 0 && i % 97 === 0) expect(r.error?.reason).toBe('parse');
      else if (i > 0 && i % 101 === 0) expect(r.error?.message).toContain('UTF-8');
      else if (i > 0 && i % 103 === 0) expect(r.error?.reason).toBe('too-large');
      else expect(r.id).toBe(i);
    });
  });
});
