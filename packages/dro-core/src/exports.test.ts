import { describe, expect, it } from 'vitest';

// The public surface as a snapshot: adding or removing an export is a visible, reviewed change.
describe('exported names', () => {
  it.each([
    ['.', () => import('./index.js')],
    ['./host', () => import('./host.js')],
    ['./conformance', () => import('./conformanceKit/index.js')],
    ['./testing', () => import('./testing/index.js')],
    ['./node', () => import('./node/index.js')],
  ])('%s', async (_entry, load) => {
    expect(Object.keys(await load()).sort()).toMatchSnapshot();
  });
});
