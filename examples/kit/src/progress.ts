// Progress that reads well in both places an example runs: a terminal (one bar redrawn in place) and turbo's
// prefixed, line-buffered log during `pnpm demo` (stdout is a pipe there, and a `\r` bar would either vanish or
// print every redraw as its own line). Off a TTY it prints a whole line at most every `minLineSeconds` and at the
// end, so a run of thousands of steps leaves a handful of readable lines.

/** A running progress display; `tick` advances it, `done` closes it with a final line. */
export interface Progress {
  /** Advances by `steps` (default 1); `note` replaces the trailing text (e.g. the current loss). */
  tick(steps?: number, note?: string): void;
  /** Finishes the display (prints the final count and time once). */
  done(note?: string): void;
}

/** Options of {@link progress}. */
export interface ProgressOptions {
  /** Force the bar (true) or the line form (false); default: the bar only when stdout is a TTY. */
  tty?: boolean;
  /** Line form: the shortest gap between two lines, in seconds (default 5). */
  minLineSeconds?: number;
  /** Where text goes (default process.stdout.write). */
  write?: (text: string) => void;
  /** Clock in milliseconds (default performance.now), replaceable for tests. */
  now?: () => number;
}

const BAR_WIDTH = 24;

function formatSeconds(s: number): string {
  return s < 60 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

/** Renders the bar text for `done` of `total` steps (exported for tests). */
export function renderBar(label: string, done: number, total: number, seconds: number, note = ''): string {
  const frac = total > 0 ? Math.min(1, done / total) : 1;
  const full = Math.round(frac * BAR_WIDTH);
  const bar = `${'#'.repeat(full)}${'.'.repeat(BAR_WIDTH - full)}`;
  const tail = note ? ` ${note}` : '';
  return `${label} [${bar}] ${done}/${total} ${(frac * 100).toFixed(0)}% ${formatSeconds(seconds)}${tail}`;
}

/** Renders one line of the line form (exported for tests). */
export function renderLine(label: string, done: number, total: number, seconds: number, note = ''): string {
  const pct = total > 0 ? Math.min(100, (100 * done) / total) : 100;
  const tail = note ? ` — ${note}` : '';
  return `${label}: ${done}/${total} (${pct.toFixed(0)}%) after ${formatSeconds(seconds)}${tail}`;
}

/**
 * Starts a progress display for `total` steps named `label`.
 * On a TTY it redraws one bar; elsewhere it prints `label: k/total (p%) after t s` lines, throttled.
 */
export function progress(label: string, total: number, options: ProgressOptions = {}): Progress {
  const tty = options.tty ?? process.stdout.isTTY === true;
  const write = options.write ?? ((t: string) => void process.stdout.write(t));
  const now = options.now ?? (() => performance.now());
  const minGap = (options.minLineSeconds ?? 5) * 1000;
  const t0 = now();
  let count = 0;
  let lastNote = '';
  let lastLine = Number.NEGATIVE_INFINITY;
  let finished = false;
  const seconds = () => (now() - t0) / 1000;
  return {
    tick(steps = 1, note) {
      if (finished) return;
      count += steps;
      if (note !== undefined) lastNote = note;
      if (tty) {
        write(`\r${renderBar(label, count, total, seconds(), lastNote)}\x1b[K`);
        return;
      }
      const t = now();
      if (t - lastLine >= minGap && count < total) {
        lastLine = t;
        write(`${renderLine(label, count, total, seconds(), lastNote)}\n`);
      }
    },
    done(note) {
      if (finished) return;
      finished = true;
      if (note !== undefined) lastNote = note;
      if (tty) write(`\r${renderBar(label, count, total, seconds(), lastNote)}\x1b[K\n`);
      else write(`${renderLine(label, count, total, seconds(), lastNote)}\n`);
    },
  };
}
