// Child process of the checkpoint test: reads {kind, state, from, to, pending?} on stdin, restores the
// controller from its JSON state in this fresh process, continues, prints {outs, state} as JSON.
import { decide, type Kind, report, restore, run } from './drive.js';

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => {
  input += d;
});
process.stdin.on('end', () => {
  const job = JSON.parse(input) as {
    kind: Kind;
    state: unknown;
    from: number;
    to: number;
    pending?: { uids: string[]; counts: number[] };
  };
  const c = restore(job.kind, job.state);
  const outs: unknown[] = [];
  let from = job.from;
  if (job.pending) {
    outs.push(report(job.kind, c, from, job.pending));
    from++;
  }
  outs.push(...run(job.kind, c, from, job.to));
  process.stdout.write(JSON.stringify({ outs, state: (c as { getState(): unknown }).getState() }));
});
void decide;
