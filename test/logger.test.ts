import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, scrubSecrets } from '../src/logger.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      cb();
    },
  });
  return { lines, destination: destination as unknown as NodeJS.WritableStream & { write(s: string): boolean } };
}

describe('logger (pino)', () => {
  it('GIVEN metadata named msg or level THEN it cannot overwrite them; errors keep their stack under err', () => {
    const { lines, destination } = capture();
    const log = createLogger('debug', { destination, pretty: false });
    log.error('boom', { msg: 'fake', level: 'debug', err: new Error('deep') });
    const rec = JSON.parse(lines[0]!) as Record<string, any>;
    expect(rec).toMatchObject({ level: 'error', msg: 'boom', meta_msg: 'fake', meta_level: 'debug' });
    expect(rec.err.message).toBe('deep');
    expect(rec.err.stack).toMatch(/logger\.test\.ts/);
  });

  it('GIVEN secrets in fields or text THEN no line carries them (Discord tokens of any first letter, Slack tokens, URL passwords)', () => {
    const { lines, destination } = capture();
    const log = createLogger('info', { destination, pretty: false });
    const discord = `OTk5${'x'.repeat(22)}.GhT8aB.${'y'.repeat(38)}`;
    log.warn(`connecting with ${discord}`, {
      url: 'redis://default:hunter2@redis:6379/0',
      token: 'plain-secret-value',
      nested: { botToken: 'xoxb-123456789012-abcdefghijkl' },
      note: 'xapp-1-A0APP-123-abcdef0123',
    });
    const line = lines.join('\n');
    for (const secret of [discord, 'hunter2', 'plain-secret-value', 'xoxb-123456789012', 'xapp-1-A0APP']) expect(line).not.toContain(secret);
    expect(line).toContain('redis://default:***@redis:6379/0');
    expect(scrubSecrets('MTA5' + 'a'.repeat(22) + '.abcdef.' + 'b'.repeat(27))).toBe('[redacted]');
  });

  it('GIVEN a Sentinel password in a URL query, a Slack refresh token or a model API key THEN they are scrubbed', () => {
    const text = scrubSecrets(
      'Cannot reach Redis at REDIS_URL=redis-sentinel://s1:26379,s2:26379/mymaster?sentinelPassword=s3cr3t&db=2 (refresh xoxe-1-My4xLTIzNDU2Nzg5MDEyMw-abcd, key sk-proj-abcdefghijklmnop1234)',
    );
    for (const secret of ['s3cr3t', 'xoxe-1-My4x', 'sk-proj-abcdefghijklmnop1234']) expect(text).not.toContain(secret);
    expect(text).toContain('sentinelPassword=***&db=2');
  });

  it('GIVEN a level THEN lower levels are dropped', () => {
    const { lines, destination } = capture();
    const log = createLogger('warn', { destination, pretty: false });
    log.info('hidden');
    log.warn('shown');
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['shown']);
  });
});
