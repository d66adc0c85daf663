import { describe, expect, it } from 'vitest';
import { parseBlasFromMaps } from './blas.js';
import { README_END, README_START, renderConsole, renderReadmeBlock, replaceReadmeBlock } from './report.js';
import { type BenchResult, checkBenchResult, SCHEMA } from './schema.js';
import { median, sizesFor, summarise, timeRatio, toUnit, WORKLOADS } from './workloadList.js';

const OPENBLAS = parseBlasFromMaps('7f-8f r--p 0 fe:00 1 /usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3');
const REFERENCE = parseBlasFromMaps('7f-8f r--p 0 fe:00 1 /usr/lib/x86_64-linux-gnu/blas/libblas.so.3');

function valid(): BenchResult {
  const fig = (v: number) => summarise([{ cpu: v, wall: v * 1.1 }]);
  return {
    schema: SCHEMA,
    date: '2026-12-06T23:20:04.648Z',
    mode: 'quick',
    rounds: 1,
    machine: {
      cpu: 'AMD EPYC',
      cores: 2,
      node: 'v20.20.2',
      loadavgStart: [1, 2, 3],
      loadavgEnd: [1, 2, 3],
      loaded: true,
    },
    engines: {
      wasm: { available: true, reason: 'tfjs wasm + dro-core fixes' },
      native: { available: false, reason: 'not built' },
      torch: { available: true, reason: 'PyTorch 1.13, 1 thread' },
    },
    torch: { version: '1.13.0', threads: 1, blas: OPENBLAS },
    ratiosClaimed: true,
    workloads: [
      {
        ...WORKLOADS[0]!,
        results: { wasm: fig(20), torch: fig(5) },
        ratioToTorch: { wasm: 4, native: null },
      },
      { ...WORKLOADS.find((w) => w.id === 'certify-before')!, results: { wasm: fig(4000) }, ratioToTorch: {} },
    ],
  };
}

describe('checkBenchResult', () => {
  it('accepts a well-formed result', () => {
    expect(checkBenchResult(valid())).toEqual([]);
    expect(checkBenchResult(JSON.parse(JSON.stringify(valid())))).toEqual([]);
  });

  it('rejects ratios claimed against a reference BLAS', () => {
    const r = valid();
    r.torch.blas = REFERENCE;
    expect(checkBenchResult(r)).toContain('ratiosClaimed: true only when PyTorch loaded an optimised BLAS');
    r.ratiosClaimed = false;
    expect(checkBenchResult(r).join()).toMatch(/a ratio while ratiosClaimed is false/);
    r.workloads[0]!.ratioToTorch = { wasm: null, native: null };
    expect(checkBenchResult(r)).toEqual([]);
  });

  it('rejects results for an unavailable engine, a ratio without both sides, bad figures and duplicates', () => {
    const r = valid();
    r.workloads[0]!.results.native = summarise([{ cpu: 5, wall: 5 }]);
    expect(checkBenchResult(r).join()).toMatch(/results\.native: results for an engine that was not available/);
    const s = valid();
    delete s.workloads[0]!.results.torch;
    expect(checkBenchResult(s).join()).toMatch(/ratioToTorch\.wasm: a ratio without both figures/);
    const t = valid();
    t.workloads[0]!.results.wasm!.rounds = [{ cpu: Number.NaN, wall: 1 }];
    expect(checkBenchResult(t).join()).toMatch(/rounds\[0\]: positive finite cpu and wall expected/);
    const u = valid();
    u.workloads.push(u.workloads[0]!);
    expect(checkBenchResult(u).join()).toMatch(/duplicate id mlp-step-256/);
  });

  it('rejects missing header fields', () => {
    expect(checkBenchResult(null)).toEqual(['result: not an object']);
    const r = valid() as unknown as Record<string, unknown>;
    r.schema = 'other';
    r.mode = 'slow';
    delete r.machine;
    const errors = checkBenchResult(r).join();
    expect(errors).toMatch(/schema/);
    expect(errors).toMatch(/mode/);
    expect(errors).toMatch(/machine/);
  });
});

describe('figures and rendering', () => {
  it('medians, units and time ratios', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(toUnit('ms', 10, 0.5)).toBe(50);
    expect(toUnit('samples/s', 1000, 0.5)).toBe(2000);
    // ms: time over time; throughputs: PyTorch's rate over ours (both "how many times longer").
    expect(timeRatio('ms', 20, 5)).toBe(4);
    expect(timeRatio('samples/s', 10_000, 40_000)).toBe(4);
    expect(sizesFor(true).certifySamples).toBeLessThan(sizesFor(false).certifySamples);
  });

  it('the console table names the CPU, the BLAS and the load; withholds ratios without an optimised BLAS', () => {
    const text = renderConsole(valid());
    expect(text).toContain('CPU: AMD EPYC (2 cores)');
    expect(text).toContain('BLAS: openblas (/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3)');
    expect(text).toContain('LOADED');
    expect(text).toContain('| 20.0 | n/a | 5.00 | 4.00× | – |');
    const r = valid();
    r.torch.blas = REFERENCE;
    r.ratiosClaimed = false;
    r.workloads[0]!.ratioToTorch = { wasm: null, native: null };
    const ref = renderConsole(r);
    expect(ref).toContain('!!! PyTorch did not load an optimised BLAS');
    expect(ref).toContain('| withheld |');
    expect(ref).not.toContain('4.00×');
  });

  it('the README block replaces exactly the text between its markers', () => {
    const block = renderReadmeBlock(valid());
    expect(block.startsWith(README_START)).toBe(true);
    expect(block.endsWith(README_END)).toBe(true);
    const readme = `# drojs\n\n## Performance\n\n${README_START}\nold\n${README_END}\n\n## Next\n`;
    const next = replaceReadmeBlock(readme, block)!;
    expect(next).toContain('## Next');
    expect(next).not.toContain('\nold\n');
    expect(replaceReadmeBlock(next, block)).toBe(next);
    expect(replaceReadmeBlock('# no markers', block)).toBeNull();
  });
});
