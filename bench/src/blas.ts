/**
 * Which BLAS a process actually loaded, from the text of its `/proc/<pid>/maps`. Debian's python3-torch links
 * `libblas.so.3`, an alternative that resolves to OpenBLAS when `libopenblas0-*` is installed and to the
 * reference (netlib) BLAS otherwise — 20–30× slower at sgemm, which flatters any comparison against it.
 */

/** The BLAS families the bench tells apart. `reference`: netlib's unoptimised Fortran BLAS. */
export type BlasKind = 'openblas' | 'mkl' | 'blis' | 'atlas' | 'reference' | 'none-found';

export interface BlasReport {
  kind: BlasKind;
  /** The mapped library files that look like BLAS, as the kernel resolved them (symlinks already followed). */
  paths: string[];
  /** The file that decided `kind` (empty when none was found). */
  decisive: string;
  /** True only for an optimised BLAS: a ratio against anything else is not a claim the bench prints. */
  optimised: boolean;
}

/** The path column of one maps line (`addr perms offset dev inode path`), or null for anonymous mappings. */
function pathOf(line: string): string | null {
  const fields = line.trim().split(/\s+/);
  if (fields.length < 6) return null;
  const path = fields.slice(5).join(' ');
  return path.startsWith('/') ? path.replace(/ \(deleted\)$/, '') : null;
}

const OPTIMISED: [BlasKind, RegExp][] = [
  ['openblas', /openblas/i],
  ['mkl', /(^|\/)libmkl_|\/mkl\//i],
  ['blis', /(^|\/)libblis|\/blis[^/]*\//i],
  ['atlas', /(^|\/)libatlas|\/atlas\//i],
];

/** A generic `libblas.so*` / `libcblas.so*` file (the reference BLAS unless its directory names a vendor). */
const GENERIC_BLAS = /\/lib(c)?blas\.so(\.\d+)*$/;

/**
 * Classifies the BLAS of a process from its memory map. A vendor library anywhere in the map wins (OpenBLAS's
 * `libblas.so.3` shim lives in `…/openblas-pthread/`); a generic `libblas.so` with no vendor is the reference
 * BLAS; no BLAS file at all is `none-found` (e.g. a wheel with MKL linked statically — see
 * {@link classifyTorchConfig}).
 */
export function parseBlasFromMaps(maps: string): BlasReport {
  const paths = [
    ...new Set(
      maps
        .split('\n')
        .map(pathOf)
        .filter((p): p is string => p !== null && /blas|mkl|blis|atlas/i.test(p.split('/').pop() ?? '')),
    ),
  ].sort();
  for (const [kind, re] of OPTIMISED) {
    const hit = paths.find((p) => re.test(p));
    if (hit) return { kind, paths, decisive: hit, optimised: true };
  }
  const generic = paths.find((p) => GENERIC_BLAS.test(p));
  if (generic) return { kind: 'reference', paths, decisive: generic, optimised: false };
  return { kind: 'none-found', paths, decisive: '', optimised: false };
}

/**
 * Refines a `none-found` map with `torch.__config__.show()` text: pip wheels link MKL statically, so the map
 * shows no BLAS file while the build config says `BLAS_INFO=mkl`. Any other case returns `report` unchanged.
 */
export function classifyTorchConfig(report: BlasReport, config: string): BlasReport {
  if (report.kind !== 'none-found') return report;
  const m = /BLAS_INFO=(\w+)/.exec(config);
  const info = m?.[1]?.toLowerCase();
  if (info === 'mkl' || info === 'openblas' || info === 'blis') {
    return {
      ...report,
      kind: info,
      decisive: `torch build config BLAS_INFO=${m?.[1]} (statically linked)`,
      optimised: true,
    };
  }
  return report;
}

/** One line for the bench header: the resolved path and the family, flagged loudly when not optimised. */
export function describeBlas(report: BlasReport): string {
  if (report.optimised) return `${report.kind} (${report.decisive})`;
  if (report.kind === 'reference') {
    return `REFERENCE BLAS (${report.decisive}) — NOT an optimised BLAS: PyTorch ratios are withheld`;
  }
  return 'NO BLAS FOUND in the process map — PyTorch ratios are withheld';
}
