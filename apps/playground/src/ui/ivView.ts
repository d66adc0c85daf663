import type { IvAnswer, ToWorker } from '../protocol.js';
import { drawChart } from './chart.js';
import { $, fillTable, num, pct } from './format.js';

const STYLE = [
  { color: '#D55E00', marker: 'circle' as const },
  { color: '#0072B2', marker: 'square' as const },
  { color: '#009E73', marker: 'triangle' as const },
];

/** The second tab: OLS vs 2SLS vs LIML on the Mroz data; runs in the worker (milliseconds). */
export function setupIvTab(send: (m: ToWorker) => void): { show(a: IvAnswer): void; setEnabled(on: boolean): void } {
  const btn = $<HTMLButtonElement>('iv-btn');
  const status = $('iv-status');
  let requested = false;
  const run = () => {
    const instruments = [...document.querySelectorAll<HTMLInputElement>('input[name="iv"]:checked')].map(
      (c) => c.value,
    );
    if (instruments.length === 0) {
      status.textContent = 'Choose at least one instrument.';
      return;
    }
    requested = true;
    status.textContent = 'Estimating…';
    send({ type: 'iv', instruments });
  };
  $<HTMLFormElement>('iv-form').addEventListener('submit', (e) => {
    e.preventDefault();
    run();
  });
  // Estimate once when the tab is first opened.
  $('tab-iv').addEventListener('tab-selected', () => {
    if (!requested && !btn.disabled) run();
  });
  return {
    setEnabled(on) {
      btn.disabled = !on;
    },
    show(a) {
      status.textContent = `n = ${a.nobs} women; first-stage F of the instruments ${num(a.firstStageF, 1)}${
        a.sargan ? `; Sargan over-identification test p = ${num(a.sargan.pValue)}` : ''
      }; Anderson–Rubin 95 % set for educ: ${a.anderson} (robust to weak instruments).`;
      status.dataset.done = 'true';
      fillTable(
        $<HTMLTableElement>('iv-table'),
        ['method', 'educ coefficient', 'per year of education', 's.e.', '95 % interval'],
        a.rows.map((r) => [
          r.method,
          num(r.estimate, 4),
          `${pct(Math.expm1(r.estimate))} wage`,
          num(r.stdError, 4),
          `[${num(r.low, 4)}, ${num(r.high, 4)}]`,
        ]),
      );
      const lo = Math.min(0, ...a.rows.map((r) => r.low));
      const hi = Math.max(...a.rows.map((r) => r.high));
      drawChart($('iv-chart') as unknown as SVGSVGElement, {
        title: 'Estimated return to a year of education with 95 % intervals',
        xLabel: 'method (1 = OLS, 2 = 2SLS, 3 = LIML)',
        yLabel: 'log-wage change per year',
        xDomain: [0.5, a.rows.length + 0.5],
        yDomain: [lo, hi],
        xTicks: a.rows.map((_, i) => i + 1),
        yTicks: Array.from({ length: 6 }, (_, i) => lo + ((hi - lo) * i) / 5),
        formatX: (v) => String(v),
        formatY: (v) => v.toFixed(3),
        series: a.rows.map((r, i) => ({
          name: r.method,
          ...STYLE[i % 3]!,
          dash: '',
          points: [
            { x: i + 1, y: r.low },
            { x: i + 1, y: r.estimate },
            { x: i + 1, y: r.high },
          ],
        })),
        reference: { y: 0, label: 'no effect' },
      });
    },
  };
}
