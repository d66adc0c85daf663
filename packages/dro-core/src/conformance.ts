console.log('conformance: 0 passed, 1 failed');
process.exitCode = 1;
