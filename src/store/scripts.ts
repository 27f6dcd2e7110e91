/**
 * Loads the Lua scripts in ./lua and registers them as ioredis commands (EVALSHA with an
 * automatic EVAL fallback; usable in pipelines). File names carry the key count: name-N.lua.
 */
import { readFileSync, readdirSync } from 'node:fs';
import type { RedisClient } from './topology.js';

const LUA_DIR = new URL('./lua/', import.meta.url);

export interface ScriptCommands {
  createRound(...args: (string | number)[]): Promise<[number, string]>;
  claimRound(...args: (string | number)[]): Promise<[number, string]>;
  stepRound(...args: (string | number)[]): Promise<number>;
  recordAnswer(...args: (string | number)[]): Promise<string>;
  recordReply(...args: (string | number)[]): Promise<[string, string]>;
  closeRound(...args: (string | number)[]): Promise<number>;
  applyScores(...args: (string | number)[]): Promise<number>;
  unlock(...args: (string | number)[]): Promise<number>;
  recordVote(...args: (string | number)[]): Promise<string>;
  retractVote(...args: (string | number)[]): Promise<number>;
  groupJoin(...args: (string | number)[]): Promise<string>;
  groupLeave(...args: (string | number)[]): Promise<string>;
  adjustGrade(...args: (string | number)[]): Promise<[string, number]>;
  readStreak(...args: (string | number)[]): Promise<[string, number]>;
  addSuggestion(...args: (string | number)[]): Promise<string>;
  withdrawAnswer(...args: (string | number)[]): Promise<[string, string, string]>;
  saveLeaseState(...args: (string | number)[]): Promise<number>;
  [name: string]: (...args: (string | number)[]) => Promise<unknown>;
}

interface ScriptFile {
  file: string;
  name: string;
  numberOfKeys: number | undefined;
  lua: string;
}

let cache: ScriptFile[] | null = null;

function scriptFiles(): ScriptFile[] {
  if (cache) return cache;
  cache = readdirSync(LUA_DIR)
    .filter((f) => f.endsWith('.lua'))
    .map((file) => {
      const m = /^(.+?)(?:-(\d+))?\.lua$/.exec(file);
      if (!m) throw new Error(`bad Lua script name: ${file}`);
      const name = m[1]!.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
      // Scripts with a variable number of keys have no count in their name; callers pass it first.
      // `--#include name` pulls in lib/name.lua (shared functions, e.g. streak settling).
      const lua = readFileSync(new URL(file, LUA_DIR), 'utf8').replace(/^--#include (\w+)$/gm, (_, lib: string) =>
        readFileSync(new URL(`lib/${lib}.lua`, LUA_DIR), 'utf8'),
      );
      return { file, name, numberOfKeys: m[2] === undefined ? undefined : Number(m[2]), lua };
    });
  return cache;
}

/** A script's Lua as sent to Redis (includes expanded), e.g. for redis-benchmark in the bench. */
export function scriptSource(file: string): string {
  const found = scriptFiles().find((s) => s.file === file);
  if (!found) throw new Error(`no Lua script ${file}`);
  return found.lua;
}

const defined = new WeakSet<RedisClient>();

export function withScripts(redis: RedisClient): RedisClient & ScriptCommands {
  if (!defined.has(redis)) {
    for (const s of scriptFiles()) {
      if (s.numberOfKeys === undefined) redis.defineCommand(s.name, { lua: s.lua });
      else redis.defineCommand(s.name, { numberOfKeys: s.numberOfKeys, lua: s.lua });
    }
    defined.add(redis);
  }
  return redis as RedisClient & ScriptCommands;
}
