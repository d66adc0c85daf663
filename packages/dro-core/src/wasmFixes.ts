/**
 * The wasm backend fixes of toolchain.md §9: gradients verified, missing kernels provided (a composite
 * Conv2DBackpropFilter plus copy-to-cpu fallbacks), transposed matmuls materialised before XNNPACK.
 */

import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { ensureGradients } from './backend.js';
import { leadingAxisSum } from './wasmLeadingSum.js';

const WASM = 'wasm';
const CPU = 'cpu';

/** The part of tfjs's `BackendWasm` this module touches. */
interface WasmBackendLike {
  readSync(dataId: object): tf.backend_util.BackendValues;
  makeOutput(
    shape: number[],
    dtype: tf.DataType,
    memoryOffset?: number,
    values?: tf.backend_util.BackendValues,
  ): TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  wasm: { HEAPU8: Uint8Array };
}

/** The part of tfjs's `MathBackendCPU` this module touches. */
interface CpuBackendLike {
  readSync(dataId: object): tf.backend_util.BackendValues;
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: tf.backend_util.BackendValues | string[]): TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
}

type Inputs = Record<string, TensorInfo | undefined> | TensorInfo[];
type KernelArgs = { inputs: Inputs; backend: unknown; attrs?: NamedAttrMap };
type AnyKernelFunc = (args: KernelArgs) => TensorInfo | TensorInfo[];

interface FixState {
  fixes: string[] | null;
  /** The wasm registry entries as found before patching (undefined: the kernel was missing). */
  original: Map<string, KernelConfig | undefined>;
}

// Kept on globalThis (like tfjs's own kernel registry) so that the ESM and CJS builds, when both are
// loaded in one process, still patch the registry only once.
const STATE_KEY = Symbol.for('@drojs/dro-core/wasm-fixes');
function state(): FixState {
  const g = globalThis as unknown as Record<symbol, FixState | undefined>;
  let s = g[STATE_KEY];
  if (!s) {
    s = { fixes: null, original: new Map() };
    g[STATE_KEY] = s;
  }
  return s;
}

function kernelFunc(name: string, backendName: string): AnyKernelFunc {
  const k = tf.getKernel(name, backendName);
  if (!k) throw new Error(`Kernel '${name}' not registered for backend '${backendName}'`);
  return k.kernelFunc as unknown as AnyKernelFunc;
}

function single(out: TensorInfo | TensorInfo[]): TensorInfo {
  return Array.isArray(out) ? out[0]! : out;
}

function cpuBackend(): CpuBackendLike {
  const b = tf.findBackend(CPU);
  if (!b) {
    throw new Error("dro-core's wasm kernel fallbacks need the 'cpu' backend (import '@tensorflow/tfjs-backend-cpu')");
  }
  return b as unknown as CpuBackendLike;
}

// ---------------------------------------------------------------------------------------------------
// Copy-to-cpu fallback

/** Reads a wasm tensor's values; complex64 (which wasm's readSync rejects) straight from the heap. */
function readWasm(wasm: WasmBackendLike, t: TensorInfo): tf.backend_util.BackendValues {
  if (t.dtype !== 'complex64') return wasm.readSync(t.dataId);
  const data = wasm.dataIdMap.get(t.dataId);
  if (!data) throw new Error('complex64 tensor data not found on the wasm backend');
  const n = 2 * tf.util.sizeFromShape(t.shape);
  const bytes = wasm.wasm.HEAPU8.slice(data.memoryOffset, data.memoryOffset + 4 * n);
  return new Float32Array(bytes.buffer);
}

/** Writes one wasm input into the cpu backend; complex64 becomes a proper cpu complex tensor. */
function toCpu(wasm: WasmBackendLike, cpu: CpuBackendLike, t: TensorInfo): TensorInfo {
  const values = readWasm(wasm, t);
  if (t.dtype !== 'complex64') return cpu.makeTensorInfo(t.shape, t.dtype, values);
  // The cpu backend keeps complex tensors as a pair of float32 tensors; build them through its kernel.
  const v = values as Float32Array;
  const n = v.length / 2;
  const re = new Float32Array(n);
  const im = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    re[i] = v[2 * i]!;
    im[i] = v[2 * i + 1]!;
  }
  const real = cpu.makeTensorInfo(t.shape, 'float32', re);
  const imag = cpu.makeTensorInfo(t.shape, 'float32', im);
  try {
    return single(kernelFunc('Complex', CPU)({ inputs: { real, imag }, backend: cpu }));
  } finally {
    cpu.disposeData(real.dataId);
    cpu.disposeData(imag.dataId);
  }
}

/**
 * Runs the cpu kernel `name` on copies of the wasm inputs and copies its outputs back into new wasm
 * tensors; every cpu-side tensor is freed. Array-form inputs (Einsum) keep their array form.
 */
function runOnCpu(name: string, args: KernelArgs): TensorInfo | TensorInfo[] {
  const wasm = args.backend as WasmBackendLike;
  const cpu = cpuBackend();
  const copies: TensorInfo[] = [];
  const copy = (t: TensorInfo | undefined): TensorInfo | undefined => {
    if (t == null) return t;
    const c = toCpu(wasm, cpu, t);
    copies.push(c);
    return c;
  };
  let outs: TensorInfo[] = [];
  try {
    let inputs: Inputs;
    if (Array.isArray(args.inputs)) {
      inputs = args.inputs.map((t) => copy(t)!);
    } else {
      const m: Record<string, TensorInfo | undefined> = {};
      for (const [k, t] of Object.entries(args.inputs)) m[k] = copy(t);
      inputs = m;
    }
    const out = kernelFunc(name, CPU)({ inputs, backend: cpu, attrs: args.attrs });
    outs = Array.isArray(out) ? out : [out];
    const back = outs.map((o) => wasm.makeOutput([...o.shape], o.dtype, undefined, cpu.readSync(o.dataId)));
    return Array.isArray(out) ? back : back[0]!;
  } finally {
    for (const o of outs) cpu.disposeData(o.dataId);
    for (const c of copies) cpu.disposeData(c.dataId);
  }
}

// ---------------------------------------------------------------------------------------------------
// Composite Conv2DBackpropFilter (stride 1, dilation 1, NHWC, 'same' | 'valid')

function isOnes(v: unknown): boolean {
  if (typeof v === 'number') return v === 1;
  return Array.isArray(v) && v.every((e) => e === 1);
}

function conv2dBackpropFilter(args: KernelArgs): TensorInfo | TensorInfo[] {
  const attrs = (args.attrs ?? {}) as { strides?: unknown; pad?: unknown; dataFormat?: string; filterShape?: number[] };
  const inputs = args.inputs as Record<string, TensorInfo | undefined>;
  const x = inputs.x;
  const dy = inputs.dy;
  const fs = attrs.filterShape;
  const common =
    x != null &&
    dy != null &&
    x.dtype === 'float32' &&
    dy.dtype === 'float32' &&
    x.shape.length === 4 &&
    dy.shape.length === 4 &&
    Array.isArray(fs) &&
    fs.length === 4 &&
    isOnes(attrs.strides) &&
    (attrs.dataFormat ?? 'NHWC') === 'NHWC' &&
    (attrs.pad === 'same' || attrs.pad === 'valid');
  if (!common) return runOnCpu('Conv2DBackpropFilter', args);
  const [fh, fw] = fs as [number, number, number, number];
  const [n, h, w] = x.shape as [number, number, number, number];
  const [, ho, wo] = dy.shape as [number, number, number, number];
  const padH = attrs.pad === 'same' ? fh - 1 : 0;
  const padW = attrs.pad === 'same' ? fw - 1 : 0;
  // The valid convolution below produces (H_p − H_o + 1) rows; anything but f_h means an unexpected
  // shape combination, which the cpu kernel handles (or rejects) exactly as on the cpu backend.
  if (h + padH - ho + 1 !== fh || w + padW - wo + 1 !== fw || dy.shape[0] !== n) {
    return runOnCpu('Conv2DBackpropFilter', args);
  }
  const wasm = args.backend as WasmBackendLike;
  const temps: TensorInfo[] = [];
  const keep = (t: TensorInfo | TensorInfo[]): TensorInfo => {
    const s = single(t);
    temps.push(s);
    return s;
  };
  try {
    let xp = x;
    if (padH > 0 || padW > 0) {
      const top = Math.floor(padH / 2);
      const left = Math.floor(padW / 2);
      xp = keep(
        kernelFunc(
          'PadV2',
          WASM,
        )({
          inputs: { x },
          backend: wasm,
          attrs: {
            paddings: [
              [0, 0],
              [top, padH - top],
              [left, padW - left],
              [0, 0],
            ],
            constantValue: 0,
          },
        }),
      );
    }
    const transpose = kernelFunc('Transpose', WASM);
    // dW[a,b,c,o] = Σ x_p[n,i+a,j+b,c]·dy[n,i,j,o]: a valid stride-1 conv with C_in as batch and N as channels.
    const xt = keep(transpose({ inputs: { x: xp }, backend: wasm, attrs: { perm: [3, 1, 2, 0] } }));
    const dyt = keep(transpose({ inputs: { x: dy }, backend: wasm, attrs: { perm: [1, 2, 0, 3] } }));
    const r = keep(
      kernelFunc(
        'Conv2D',
        WASM,
      )({
        inputs: { x: xt, filter: dyt },
        backend: wasm,
        attrs: { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1] },
      }),
    );
    return single(transpose({ inputs: { x: r }, backend: wasm, attrs: { perm: [1, 2, 0, 3] } }));
  } finally {
    for (const t of temps) wasm.disposeData(t.dataId);
  }
}

// ---------------------------------------------------------------------------------------------------
// Transposed matmul: XNNPACK only runs untransposed operands; flagged ones take a scalar loop.

function swapLast(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}

function materialisingMatMul(original: AnyKernelFunc): AnyKernelFunc {
  return (args) => {
    const attrs = (args.attrs ?? {}) as NamedAttrMap & { transposeA?: boolean; transposeB?: boolean };
    if (!attrs.transposeA && !attrs.transposeB) return original(args);
    const wasm = args.backend as WasmBackendLike;
    const inputs = { ...(args.inputs as Record<string, TensorInfo | undefined>) };
    const transpose = kernelFunc('Transpose', WASM);
    const temps: TensorInfo[] = [];
    try {
      for (const [key, flag] of [
        ['a', attrs.transposeA],
        ['b', attrs.transposeB],
      ] as const) {
        const t = inputs[key];
        if (!flag || t == null) continue;
        const m = single(transpose({ inputs: { x: t }, backend: wasm, attrs: { perm: swapLast(t.shape.length) } }));
        temps.push(m);
        inputs[key] = m;
      }
      return original({ inputs, backend: wasm, attrs: { ...attrs, transposeA: false, transposeB: false } });
    } finally {
      for (const t of temps) wasm.disposeData(t.dataId);
    }
  };
}

// ---------------------------------------------------------------------------------------------------
// Zero-copy Identity and same-dtype Cast

/**
 * Identity (and a Cast to the same dtype) returns its input's data by reference, counting the new reference,
 * as wasm's own Reshape does; the stock kernels copy the whole buffer (every gradient pass-through pays it).
 * Strings and real casts go to the original kernel.
 */
function zeroCopy(original: AnyKernelFunc, sameDtype: (args: KernelArgs) => boolean): AnyKernelFunc {
  return (args) => {
    const x = (args.inputs as Record<string, TensorInfo | undefined>).x;
    if (!x || x.dtype === 'string' || !sameDtype(args)) return original(args);
    (args.backend as { incRef(dataId: object): void }).incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  };
}

function replaceKernel(name: string, kernel: AnyKernelFunc, base?: KernelConfig): void {
  if (tf.getKernel(name, WASM)) tf.unregisterKernel(name, WASM);
  const config: KernelConfig = { kernelName: name, backendName: WASM, kernelFunc: kernel as unknown as KernelFunc };
  // Keep the original set-up/dispose hooks: they bind the C++ entry points when the backend (re)initialises.
  if (base?.setupFunc) config.setupFunc = base.setupFunc;
  if (base?.disposeFunc) config.disposeFunc = base.disposeFunc;
  tf.registerKernel(config);
}

/**
 * Applies the wasm backend fixes of toolchain.md §9 and returns the names of those in force:
 * `'gradients'` (verified with {@link ensureGradients}); `'kernel:Conv2DBackpropFilter(composite)'`
 * (stride 1, dilation 1, NHWC, `same`/`valid` from PadV2/Transpose/Conv2D; other configurations copy to
 * cpu); `'kernel-fallbacks:N'` (N further kernels the cpu backend has and wasm lacks, run on cpu
 * copies — UnsortedSegmentSum, Einsum, Complex/FFT, …); `'matmul-transpose'` (BatchMatMul and
 * _FusedMatMul with transpose flags get explicitly transposed operands, so XNNPACK runs);
 * `'zero-copy-identity-cast'` (Identity and same-dtype Cast share their input's buffer by reference count);
 * `'leading-axis-sum'` (float32/int32 Sum over leading axes 0..m−1 without the stock kernel's transpose:
 * a ones-vector matmul for float32, one in-order pass for int32).
 *
 * Idempotent: the registry is patched once per process (also across the ESM and CJS builds); later
 * calls return the same list. Call it after `tf.setBackend('wasm')` (initBackend does).
 * @throws DroError E_BACKEND when tfjs gradients are not registered.
 */
export function applyWasmFixes(): string[] {
  const s = state();
  if (s.fixes) return [...s.fixes];
  ensureGradients();
  const fixes = ['gradients'];
  const wasmNames = new Set(tf.getKernelsForBackend(WASM).map((k) => k.kernelName));
  if (wasmNames.size > 0) {
    const remember = (name: string) => {
      if (!s.original.has(name)) s.original.set(name, tf.getKernel(name, WASM));
    };
    const cpuAvailable = tf.findBackendFactory(CPU) != null;
    const cpuNames = cpuAvailable ? tf.getKernelsForBackend(CPU).map((k) => k.kernelName) : [];

    if (!wasmNames.has('Conv2DBackpropFilter')) {
      remember('Conv2DBackpropFilter');
      replaceKernel('Conv2DBackpropFilter', conv2dBackpropFilter);
      fixes.push('kernel:Conv2DBackpropFilter(composite)');
    }

    let fallbacks = 0;
    for (const name of cpuNames) {
      if (wasmNames.has(name) || name === 'Conv2DBackpropFilter') continue;
      remember(name);
      replaceKernel(name, (args) => runOnCpu(name, args));
      fallbacks++;
    }
    if (cpuAvailable) fixes.push(`kernel-fallbacks:${fallbacks}`);

    let wrapped = 0;
    for (const name of ['BatchMatMul', '_FusedMatMul']) {
      const base = tf.getKernel(name, WASM);
      if (!base) continue;
      remember(name);
      replaceKernel(name, materialisingMatMul(base.kernelFunc as unknown as AnyKernelFunc), base);
      wrapped++;
    }
    if (wrapped > 0) fixes.push('matmul-transpose');

    const copyFree: [string, (args: KernelArgs) => boolean][] = [
      ['Identity', () => true],
      ['Cast', (a) => (a.attrs as { dtype?: string } | undefined)?.dtype === (a.inputs as { x?: TensorInfo }).x?.dtype],
    ];
    let zero = 0;
    for (const [name, same] of copyFree) {
      const base = tf.getKernel(name, WASM);
      if (!base || typeof (tf.findBackend(WASM) as { incRef?: unknown } | undefined)?.incRef !== 'function') continue;
      remember(name);
      replaceKernel(name, zeroCopy(base.kernelFunc as unknown as AnyKernelFunc, same), base);
      zero++;
    }
    if (zero > 0) fixes.push('zero-copy-identity-cast');

    const sum = tf.getKernel('Sum', WASM);
    if (sum && wasmNames.has('BatchMatMul')) {
      remember('Sum');
      replaceKernel('Sum', leadingAxisSum(sum.kernelFunc as unknown as AnyKernelFunc), sum);
      fixes.push('leading-axis-sum');
    }
  }
  s.fixes = fixes;
  return [...fixes];
}

/**
 * The wasm kernel registry entry for `kernelName` as it was before {@link applyWasmFixes} patched it
 * (`undefined` when the kernel was missing); `null` when the fixes did not touch that kernel.
 * @internal For tests and benchmarks.
 */
export function originalWasmKernel(kernelName: string): KernelConfig | undefined | null {
  const s = state();
  return s.original.has(kernelName) ? s.original.get(kernelName) : null;
}
