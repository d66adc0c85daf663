import { describe, expect, it } from 'vitest';

// The public surface as a snapshot: adding or removing an export is a visible, reviewed change.
describe('exported names', () => {
  it.each([['.', () => import('./index.js')]] as const)('%s', async (_entry, load) => {
    expect(Object.keys(await load()).sort()).toMatchSnapshot();
  });
});
