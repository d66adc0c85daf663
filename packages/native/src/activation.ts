/** tfjs fused activation names → the addon's codes (csrc/kernels.h); `'prelu'` and others fall through. */
const CODES: Record<string, number> = { linear: 0, relu: 1, relu6: 2, elu: 3, leakyrelu: 4, sigmoid: 5 };

/** The code for a fused activation, or undefined when the native kernels do not implement it. */
export function activationCode(name: unknown): number | undefined {
  if (name === undefined || name === null) return 0;
  return typeof name === 'string' ? CODES[name] : undefined;
}
