import { createRng, Rng } from '@drojs/dro-core/host';
import { arr, checkOptionKeys, fail, int, num, numIn } from './check.js';
import { categorical } from './numeric.js';

function checkTop(m: unknown, argument: string): Array<[number, number]> {
  if (!(m instanceof Map)) fail('E_DTYPE', argument, 'must be a Map from token id to probability', 'a Map', m);
  if (m.size === 0) fail('E_EMPTY', argument, 'must hold at least one token', 'a non-empty map');
  const out: Array<[number, number]> = [];
  for (const [k, v] of m as Map<unknown, unknown>) {
    const id = int(k, `${argument} key`, 0, 'E_DTYPE');
    const p = num(v, `${argument}.get(${id})`);
    if (!(p > 0 && p <= 1))
      fail('E_LABEL_RANGE', `${argument}.get(${id})`, 'must be a probability in (0, 1]', '0 < p ≤ 1', p);
    out.push([id, p]);
  }
  // Probability descending, then id ascending: the inverse-CDF order of the spec.
  out.sort((a, b) => (b[1] !== a[1] ? b[1] - a[1] : a[0] - b[0]));
  return out;
}

/**
 * One token of reverse speculative decoding (§3.5): up to `trials` teacher proposals, each accepted iff it
 * is in the student's top-K with probability ≥ `threshold` (a threshold filter, not the min(1, p/q) test);
 * otherwise a draw from the student. `draw` is an Rng, a seed, or ≥ trials + 1 uniforms in [0, 1).
 */
export function rsdStep(
  teacherTop: ReadonlyMap<number, number>,
  studentTop: ReadonlyMap<number, number>,
  draw: Rng | number | readonly number[],
  o?: { threshold?: number; trials?: number },
): { token: number; fallback: boolean; trials: number } {
  const x = checkOptionKeys(o, ['threshold', 'trials'], 'rsdStep');
  const threshold = x.threshold === undefined ? 0.01 : numIn(x.threshold, 'options.threshold', { min: 0, max: 1 });
  const trials = x.trials === undefined ? 5 : int(x.trials, 'options.trials', 1);
  const teacher = checkTop(teacherTop, 'teacherTop');
  const student = checkTop(studentTop, 'studentTop');
  let next: () => number;
  if (Array.isArray(draw)) {
    const u = arr(draw, 'draw').map((v, i) => numIn(v, `draw[${i}]`, { min: 0, max: 1, maxEx: true }, 'E_LABEL_RANGE'));
    if (u.length < trials + 1)
      fail('E_SHAPE', 'draw', 'must hold at least trials + 1 uniforms', `≥ ${trials + 1} values`, `${u.length}`);
    let i = 0;
    next = () => u[i++] as number;
  } else if (draw instanceof Rng) {
    next = () => draw.uniform();
  } else if (typeof draw === 'number') {
    const rng = createRng(int(draw, 'draw', 0));
    next = () => rng.uniform();
  } else fail('E_DTYPE', 'draw', 'must be an Rng, a seed or an array of uniforms', 'Rng | number | number[]', draw);
  const studentP = new Map(student);
  const tp = teacher.map((e) => e[1]);
  for (let t = 1; t <= trials; t++) {
    const cand = (teacher[categorical(tp, next())] as [number, number])[0];
    const ps = studentP.get(cand);
    if (ps !== undefined && ps >= threshold) return { token: cand, fallback: false, trials: t };
  }
  const token = (
    student[
      categorical(
        student.map((e) => e[1]),
        next(),
      )
    ] as [number, number]
  )[0];
  return { token, fallback: true, trials };
}
