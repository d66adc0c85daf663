/** Number formatting with units, one place for the whole page. */

export const pct = (v: number, digits = 1) => `${(100 * v).toFixed(digits)} %`;
export const secs = (v: number) => (v < 10 ? `${v.toFixed(1)} s` : `${v.toFixed(0)} s`);
export const num = (v: number, digits = 3) => v.toFixed(digits);
export const int = (v: number) => v.toLocaleString('en-US');

/** Okabe–Ito colours with a distinct dash and marker per loss, so the lines differ without colour too. */
export const LOSS_STYLE = {
  CE: { color: '#D55E00', dash: '', marker: 'circle' },
  'LDR-KL': { color: '#0072B2', dash: '8 4', marker: 'square' },
  'ALDR-KL': { color: '#009E73', dash: '2 3', marker: 'triangle' },
} as const;

/** Builds a table from a header and rows of cells (text only: no HTML injection). */
export function fillTable(table: HTMLTableElement, head: string[], rows: string[][]): void {
  table.replaceChildren();
  const thead = table.createTHead().insertRow();
  for (const h of head) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = h;
    thead.append(th);
  }
  const body = table.createTBody();
  for (const r of rows) {
    const tr = body.insertRow();
    r.forEach((c, i) => {
      const cell = i === 0 ? document.createElement('th') : document.createElement('td');
      if (i === 0) (cell as HTMLTableCellElement).scope = 'row';
      cell.textContent = c;
      tr.append(cell);
    });
  }
}

export function $<T extends HTMLElement = HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (!e) throw new Error(`missing #${id}`);
  return e as T;
}
