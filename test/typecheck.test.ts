import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('TypeScript', () => {
  it('GIVEN the whole project THEN tsc --noEmit (strict) reports no errors', async () => {
    const result = await run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json', '--noEmit'], {
      cwd: new URL('..', import.meta.url),
      maxBuffer: 16 * 1024 * 1024,
    }).then(
      () => '',
      (e: { stdout?: string }) => e.stdout ?? String(e),
    );
    expect(result).toBe('');
  }, 180_000);
});
