import { DroError } from '@drojs/dro-core';
import { type CertRecord, checkRecords, isCorrect } from './curves.js';

const HEADER = 'idx\tlabel\tpredict\tradius\tcorrect\ttime';

/**
 * Writes records in the locuslab certification-log format (tab-separated, header line first):
 * radius as JS shortest round-trip decimal, time in seconds with 3 decimals.
 */
export function toCertifyLog(records: CertRecord[]): string {
  checkRecords(records);
  const lines = [HEADER];
  records.forEach((r, i) => {
    const time = ((r.timeMs ?? 0) / 1000).toFixed(3);
    lines.push([r.index ?? i, r.label, r.prediction, String(r.radius), isCorrect(r) ? 1 : 0, time].join('\t'));
  });
  return `${lines.join('\n')}\n`;
}

function parseTime(s: string, line: number): number {
  const hms = /^(\d+):(\d{1,2}):(\d{1,2}(?:\.\d+)?)$/.exec(s);
  // Milliseconds rounded to microseconds, so times written with 3 decimals read back exactly.
  if (hms) return Math.round((Number(hms[1]) * 3600 + Number(hms[2]) * 60 + Number(hms[3])) * 1e6) / 1e3;
  const v = Number(s);
  if (s === '' || !Number.isFinite(v))
    throw new DroError('E_SPEC', `line ${line}: bad time`, {
      argument: 'text',
      expected: 'seconds or H:MM:SS',
      received: JSON.stringify(s),
    });
  return Math.round(v * 1e6) / 1e3;
}

/**
 * Reads a locuslab-format log: radius at any precision, time as seconds or H:MM:SS(.ffffff); `correct`
 * must be 0/1 but is recomputed from predict and label.
 */
export function parseCertifyLog(text: string): CertRecord[] {
  if (typeof text !== 'string') throw new DroError('E_SPEC', 'text must be a string', { argument: 'text' });
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) throw new DroError('E_EMPTY', 'log is empty', { argument: 'text' });
  const head = (lines[0] as string).trim().split(/\t+|\s+/);
  const want = HEADER.split('\t');
  if (head.length !== want.length || head.some((h, i) => h !== want[i])) {
    throw new DroError('E_SPEC', 'log header is not the locuslab header', {
      argument: 'text',
      expected: want.join(' '),
      received: head.join(' '),
    });
  }
  const out: CertRecord[] = [];
  for (let i = 1; i < lines.length; i++) {
    const f = (lines[i] as string).trim().split(/\t+|\s+/);
    if (f.length !== 6)
      throw new DroError('E_SPEC', `line ${i + 1}: expected 6 fields`, {
        argument: 'text',
        received: `${f.length} fields`,
      });
    const [idx, label, predict, radius, correct] = f.slice(0, 5).map(Number) as [
      number,
      number,
      number,
      number,
      number,
    ];
    if (
      ![idx, label, predict].every(Number.isInteger) ||
      !Number.isFinite(radius) ||
      (correct !== 0 && correct !== 1)
    ) {
      throw new DroError('E_SPEC', `line ${i + 1}: malformed record`, {
        argument: 'text',
        received: JSON.stringify(lines[i]),
      });
    }
    out.push({ index: idx, label, prediction: predict, radius, timeMs: parseTime(f[5] as string, i + 1) });
  }
  return checkRecords(out, 'text');
}
