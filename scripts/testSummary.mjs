#!/usr/bin/env node
// Prints the plain closing line "N passed, M failed" from every package's vitest JSON report
// (toolchain.md §5.2), plus the extra checks .ci/run recorded in reports/ci-checks.json.
// passed = Σ numPassedTests; failed = Σ numFailedTests + files that failed without a failed assertion
// + 1 per package with a test script but no report + 1 per failed extra check. Exit 1 when failed > 0 or passed = 0.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
let passed = 0;
let failed = 0;
for (const area of ['packages', 'examples', 'apps']) {
  const dir = join(root, area);
  if (!existsSync(dir)) continue;
  for (const name of readdirSync(dir)) {
    const pj = join(dir, name, 'package.json');
    if (!existsSync(pj)) continue;
    const pkg = JSON.parse(readFileSync(pj, 'utf8'));
    if (!pkg.scripts?.test) continue;
    const report = join(dir, name, 'reports', 'vitest.json');
    if (!existsSync(report)) {
      console.log(`missing test report: ${area}/${name} (counted as 1 failure)`);
      failed += 1;
      continue;
    }
    const r = JSON.parse(readFileSync(report, 'utf8'));
    passed += r.numPassedTests ?? 0;
    failed += r.numFailedTests ?? 0;
    for (const f of r.testResults ?? []) {
      const failedAssertions = (f.assertionResults ?? []).filter((a) => a.status === 'failed').length;
      if (f.status === 'failed' && failedAssertions === 0) {
        console.log(`test file failed without a failed test: ${f.name}`);
        failed += 1;
      }
    }
  }
}
const checks = join(root, 'reports', 'ci-checks.json');
if (existsSync(checks)) {
  for (const c of JSON.parse(readFileSync(checks, 'utf8'))) {
    if (c.ok) passed += 1;
    else {
      failed += 1;
      console.log(`check failed: ${c.name}`);
    }
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
