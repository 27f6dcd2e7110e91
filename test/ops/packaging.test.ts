/**
 * Operable by default (issue 26): .env.example lists every variable with its default, compose
 * waits for a healthy Redis and publishes the health port, the image has a HEALTHCHECK, and the
 * image build never sees .env.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { KNOWN_VARIABLES, loadConfig } from '../../src/config/env.js';
import { ROOT } from '../helpers/cli.js';

const read = (f: string) => readFileSync(`${ROOT}${f}`, 'utf8');

describe('packaging', () => {
  it('GIVEN .env.example THEN it names every variable quizbot reads, once, and its values load as a valid config', () => {
    const lines = read('.env.example')
      .split('\n')
      .filter((l) => /^[A-Z_]+=/.test(l));
    const names = lines.map((l) => l.split('=')[0]!);
    expect([...names].sort()).toEqual([...KNOWN_VARIABLES].sort());
    const env = Object.fromEntries(lines.map((l) => [l.split('=')[0]!, l.slice(l.indexOf('=') + 1)]));
    const cfg = loadConfig(env);
    expect(cfg.discord).toBeUndefined();
    expect(cfg.slack).toBeUndefined();
    expect(cfg.grader).toBeUndefined();
    // The example's values are the defaults.
    expect(cfg).toEqual({ ...loadConfig({}), warnings: [] });
  });

  it('GIVEN docker-compose.yml THEN quizbot starts once Redis is healthy, publishes /healthz and needs no .env to be valid', () => {
    const compose = parse(read('docker-compose.yml')) as {
      services: Record<
        string,
        {
          healthcheck?: { test: string[] };
          depends_on?: Record<string, { condition: string }>;
          ports?: string[];
          env_file?: { path: string; required: boolean }[];
        }
      >;
    };
    expect(compose.services.redis!.healthcheck?.test).toEqual(['CMD', 'redis-cli', 'ping']);
    expect(compose.services.quizbot!.depends_on).toEqual({ redis: { condition: 'service_healthy' } });
    expect(compose.services.quizbot!.ports?.some((p) => p.endsWith(':9090'))).toBe(true);
    expect(compose.services.quizbot!.env_file).toEqual([{ path: '.env', required: false }]);
  });

  it('GIVEN the Dockerfile and .dockerignore THEN the image checks /healthz, runs the compiled build and never copies .env', () => {
    const docker = read('Dockerfile');
    expect(docker).toMatch(/^HEALTHCHECK .*\n.*\/healthz/m);
    expect(docker).toMatch(/^CMD \["node", "dist\/main\.js"\]$/m);
    const ignore = read('.dockerignore').split('\n');
    expect(ignore).toEqual(expect.arrayContaining(['.env', 'node_modules', '.git']));
    const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    expect(pkg.dependencies.tsx).toBeUndefined();
    expect(pkg.devDependencies.tsx).toBeDefined();
  });
});
