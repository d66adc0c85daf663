import { describe, expect, it } from 'vitest';

// The public surface as a snapshot: adding or removing an export is a visible, reviewed change.
describe('exported names', () => {
  it('.', async () => {
    expect(Object.keys(await import('./index.js')).sort()).toMatchSnapshot();
  });
});
