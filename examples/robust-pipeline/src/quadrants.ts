/** One evaluation point as the two verifiers saw it. */
export interface PointOutcome {
  label: number;
  /** Smoothing: the certified class (−1 when CERTIFY abstained) and its L2 radius. */
  smoothedPrediction: number;
  radius: number;
  /** SDM: the label it judges and whether it admitted it. */
  sdmLabel: number;
  admitted: boolean;
}

/** A row of the table: how many points fall in a cell and how accurate each verifier's label is there. */
export interface QuadrantRow {
  cell: 'both' | 'certified only' | 'admitted only' | 'neither';
  count: number;
  /** Accuracy of the smoothed prediction (an abstention counts as wrong); NaN for an empty cell. */
  smoothedAccuracy: number;
  /** Accuracy of SDM's judged label; NaN for an empty cell. */
  sdmAccuracy: number;
}

const CELLS = ['both', 'certified only', 'admitted only', 'neither'] as const;

/** Splits points by "certified at radius r" × "admitted by SDM" and scores both labels in each cell. */
export function quadrants(points: readonly PointOutcome[], r: number): QuadrantRow[] {
  return CELLS.map((cell) => {
    const inCell = points.filter((p) => {
      const certified = p.smoothedPrediction >= 0 && p.radius >= r;
      return cell === 'both'
        ? certified && p.admitted
        : cell === 'certified only'
          ? certified && !p.admitted
          : cell === 'admitted only'
            ? !certified && p.admitted
            : !certified && !p.admitted;
    });
    const acc = (f: (p: PointOutcome) => boolean) =>
      inCell.length === 0 ? Number.NaN : inCell.filter(f).length / inCell.length;
    return {
      cell,
      count: inCell.length,
      smoothedAccuracy: acc((p) => p.smoothedPrediction === p.label),
      sdmAccuracy: acc((p) => p.sdmLabel === p.label),
    };
  });
}

/** Accuracy of SDM's label on the admitted points (NaN when none is admitted). */
export function admittedAccuracy(points: readonly PointOutcome[]): { count: number; accuracy: number } {
  const a = points.filter((p) => p.admitted);
  return {
    count: a.length,
    accuracy: a.length === 0 ? Number.NaN : a.filter((p) => p.sdmLabel === p.label).length / a.length,
  };
}

/**
 * How often the smoothed classifier's class and SDM's judged label differ, over the points where CERTIFY
 * did not abstain (`all`) and over those certified at radius r (`certified`).
 */
export function disagreement(
  points: readonly PointOutcome[],
  r: number,
): { all: number; numAll: number; certified: number; numCertified: number } {
  const rate = (ps: readonly PointOutcome[]) =>
    ps.length === 0 ? Number.NaN : ps.filter((p) => p.smoothedPrediction !== p.sdmLabel).length / ps.length;
  const decided = points.filter((p) => p.smoothedPrediction >= 0);
  const cert = decided.filter((p) => p.radius >= r);
  return { all: rate(decided), numAll: decided.length, certified: rate(cert), numCertified: cert.length };
}

const pct = (v: number) => (Number.isNaN(v) ? '—' : `${(100 * v).toFixed(1)} %`);

/** The table as fixed-width text. */
export function formatQuadrants(title: string, rows: readonly QuadrantRow[]): string {
  const lines = [
    title,
    `  ${'cell'.padEnd(16)}${'points'.padStart(8)}${'smoothed acc.'.padStart(15)}${'SDM-label acc.'.padStart(16)}`,
  ];
  for (const r of rows)
    lines.push(
      `  ${r.cell.padEnd(16)}${String(r.count).padStart(8)}${pct(r.smoothedAccuracy).padStart(15)}${pct(r.sdmAccuracy).padStart(16)}`,
    );
  return lines.join('\n');
}
