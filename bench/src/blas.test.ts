import { describe, expect, it } from 'vitest';
import { classifyTorchConfig, describeBlas, parseBlasFromMaps } from './blas.js';

const line = (path: string, addr = '7f8d526cc000-7f8d526ea000') => `${addr} r--p 00000000 fe:00 5595830    ${path}`;
const COMMON = [
  '55d0c0a00000-55d0c0a01000 r--p 00000000 fe:00 123 /usr/bin/python3.11',
  '7f8d40000000-7f8d40021000 rw-p 00000000 00:00 0 ',
  '7ffd1e1f0000-7ffd1e211000 rw-p 00000000 00:00 0                          [stack]',
  line('/usr/lib/x86_64-linux-gnu/libtorch_cpu.so.1.13'),
  line('/usr/lib/x86_64-linux-gnu/libm.so.6'),
];

describe('parseBlasFromMaps', () => {
  it("Debian's OpenBLAS (pthread) through the libblas.so.3 alternative is OpenBLAS", () => {
    const maps = [
      ...COMMON,
      line('/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3'),
      line('/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3', '7f8d526ea000-7f8d526eb000'),
      line('/usr/lib/x86_64-linux-gnu/openblas-pthread/liblapack.so.3'),
      line('/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so'),
    ].join('\n');
    const r = parseBlasFromMaps(maps);
    expect(r.kind).toBe('openblas');
    expect(r.optimised).toBe(true);
    expect(r.decisive).toBe('/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3');
    expect(r.paths).toEqual([
      '/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3',
      '/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so',
    ]);
  });

  it("the reference BLAS (Debian's libblas3 in /usr/lib/…/blas/) is flagged, not optimised", () => {
    const maps = [...COMMON, line('/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0')].join('\n');
    const r = parseBlasFromMaps(maps);
    expect(r.kind).toBe('reference');
    expect(r.optimised).toBe(false);
    expect(r.decisive).toBe('/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0');
    expect(describeBlas(r)).toMatch(/REFERENCE BLAS .*withheld/);
  });

  it('recognises MKL, BLIS and ATLAS, and a deleted-but-mapped OpenBLAS', () => {
    expect(parseBlasFromMaps(line('/opt/intel/oneapi/mkl/lib/libmkl_core.so.2')).kind).toBe('mkl');
    expect(parseBlasFromMaps(line('/usr/lib/x86_64-linux-gnu/blis-openmp/libblis.so.4')).kind).toBe('blis');
    expect(parseBlasFromMaps(line('/usr/lib/x86_64-linux-gnu/atlas/libblas.so.3')).kind).toBe('atlas');
    const deleted = parseBlasFromMaps(line('/tmp/x/libopenblas.so.0 (deleted)'));
    expect(deleted.kind).toBe('openblas');
    expect(deleted.decisive).toBe('/tmp/x/libopenblas.so.0');
  });

  it('a vendor library wins over a generic libblas.so mapped beside it', () => {
    const maps = [line('/usr/lib/x86_64-linux-gnu/blas/libblas.so.3'), line('/usr/lib/libopenblas.so.0')].join('\n');
    expect(parseBlasFromMaps(maps).kind).toBe('openblas');
  });

  it('no BLAS at all is none-found (not optimised); empty and anonymous-only maps too', () => {
    expect(parseBlasFromMaps(COMMON.join('\n'))).toEqual({
      kind: 'none-found',
      paths: [],
      decisive: '',
      optimised: false,
    });
    expect(parseBlasFromMaps('').kind).toBe('none-found');
    // A path mentioning blas only in a directory name is not a BLAS library.
    expect(parseBlasFromMaps(line('/home/blas-user/lib/libfoo.so')).kind).toBe('none-found');
  });
});

describe('classifyTorchConfig', () => {
  const none = parseBlasFromMaps(COMMON.join('\n'));
  it('a statically linked MKL (pip wheels) is read from the build config', () => {
    const r = classifyTorchConfig(none, '  - Build settings: BLAS_INFO=mkl, BUILD_TYPE=Release');
    expect(r.kind).toBe('mkl');
    expect(r.optimised).toBe(true);
  });
  it('"generic" (Debian: whatever libblas.so.3 is) leaves none-found; a map result is never overridden', () => {
    expect(classifyTorchConfig(none, 'BLAS_INFO=generic, LAPACK_INFO=generic').kind).toBe('none-found');
    const ref = parseBlasFromMaps(line('/usr/lib/x86_64-linux-gnu/blas/libblas.so.3'));
    expect(classifyTorchConfig(ref, 'BLAS_INFO=mkl')).toEqual(ref);
  });
});
