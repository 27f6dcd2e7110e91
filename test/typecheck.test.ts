import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('TypeScript', () => {
  it('GIVEN the whole project THEN tsc --noEmit (strict) reports no errors', async () => {
    // Any failure — type errors, or tsc not starting at all — must fail the test with its output.
    const result = await run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json', '--noEmit'], {
      cwd: new URL('..', import.meta.url),
      maxBuffer: 16 * 1024 * 1024,
    }).then(
      () => 'ok',
      (e: { stdout?: string; stderr?: string; message?: string; code?: unknown }) =>
        `tsc failed (${String(e.code)}): ${e.stdout ?? ''}${e.stderr ?? ''}${e.message ?? ''}`,
    );
    expect(result).toBe('ok');
  }, 180_000);
});
