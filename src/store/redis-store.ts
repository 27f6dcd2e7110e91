/**
 * QuizStore on Redis. Multi-key steps that must be atomic are Lua scripts (./lua); key names
 * come from ./keys.ts only.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { BoardTarget, CreateRoundResult, QuizStore, RecordOutcome, ScoreEntry, ScoringContext } from '../core/ports.js';
import type { Answer, Board, BoardEntry, ChannelRef, Round } from '../core/types.js';
import { createKeys, type Keys } from './keys.js';
import { withScripts, type ScriptCommands } from './scripts.js';

const TWO_32 = 4294967296;
const DELIVERY_TTL_S = 14 * 24 * 3600;
const DONE_TTL_S = 400 * 24 * 3600;

type ImmutableRound = Omit<Round, 'threadRef' | 'status' | 'revealedAt'>;

export class RedisQuizStore implements QuizStore {
  readonly keys: Keys;
  private readonly redis: Redis & ScriptCommands;
  private readonly owner = randomUUID();

  constructor(redis: Redis, namespace = 'qb') {
    this.redis = withScripts(redis);
    this.keys = createKeys(namespace);
  }

  async createRound(round: Round): Promise<CreateRoundResult> {
    const k = this.keys;
    const { threadRef: _t, status: _s, revealedAt: _r, ...immutable } = round;
    const [created, id] = await this.redis.createRound(
      k.round(round.channel, round.id),
      round.slotMs !== null ? k.slot(round.channel, round.slotMs) : k.slot(round.channel, -1),
      k.openRounds(round.channel),
      k.roundLocator(round.id),
      round.id,
      round.slotMs !== null ? '1' : '0',
      round.postedAt,
      JSON.stringify(immutable),
      JSON.stringify(round.channel),
      round.status,
    );
    const stored = await this.readRound(round.channel, id);
    if (!stored) throw new Error(`round ${id} vanished right after creation`);
    return { created: created === 1, round: stored };
  }

  async getRound(roundId: string): Promise<Round | null> {
    const loc = await this.redis.get(this.keys.roundLocator(roundId));
    if (!loc) return null;
    return this.readRound(JSON.parse(loc) as ChannelRef, roundId);
  }

  private async readRound(channel: ChannelRef, roundId: string): Promise<Round | null> {
    const h = await this.redis.hgetall(this.keys.round(channel, roundId));
    if (!h.data) return null;
    const base = JSON.parse(h.data) as ImmutableRound;
    return {
      ...base,
      threadRef: h.threadRef ? h.threadRef : null,
      status: h.status === 'revealed' ? 'revealed' : 'open',
      revealedAt: h.revealedAt ? Number(h.revealedAt) : null,
    };
  }

  async setThread(roundId: string, threadRef: string): Promise<void> {
    const round = await this.getRound(roundId);
    if (!round) throw new Error(`unknown round ${roundId}`);
    await this.redis
      .multi()
      .hset(this.keys.round(round.channel, roundId), 'threadRef', threadRef)
      .set(this.keys.thread(round.channel, threadRef), roundId)
      .exec();
  }

  async roundByThread(channel: ChannelRef, threadRef: string): Promise<Round | null> {
    const id = await this.redis.get(this.keys.thread(channel, threadRef));
    return id ? this.readRound(channel, id) : null;
  }

  async openRounds(channel: ChannelRef): Promise<Round[]> {
    const ids = await this.redis.zrange(this.keys.openRounds(channel), '0', '-1', 'REV');
    const rounds = await Promise.all(ids.map((id) => this.readRound(channel, id)));
    return rounds.filter((r): r is Round => r !== null && r.status === 'open');
  }

  /** One round trip: the caller already knows the round (and so its channel). */
  async recordAnswer(round: Round, answer: Answer): Promise<RecordOutcome> {
    const channel = round.channel;
    const k = this.keys;
    const out = await this.redis.recordAnswer(
      k.round(channel, answer.roundId),
      k.answers(channel, answer.roundId),
      k.deliveries(channel, answer.roundId),
      k.names(channel.platform, channel.serverId),
      answer.member.id,
      JSON.stringify(answer),
      answer.deliveryId,
      answer.receivedAt,
      answer.member.name,
      DELIVERY_TTL_S,
    );
    return out as RecordOutcome;
  }

  async answers(roundId: string): Promise<Answer[]> {
    const round = await this.getRound(roundId);
    if (!round) return [];
    const h = await this.redis.hgetall(this.keys.answers(round.channel, roundId));
    return Object.values(h)
      .map((v) => JSON.parse(v) as Answer)
      .sort((a, b) => a.receivedAt - b.receivedAt);
  }

  async closeRound(roundId: string, at: number): Promise<boolean> {
    const round = await this.getRound(roundId);
    if (!round) return false;
    const r = await this.redis.closeRound(this.keys.round(round.channel, roundId), this.keys.openRounds(round.channel), roundId, at);
    return r === 1;
  }

  async applyScores(round: Round, entries: ScoreEntry[], targets: BoardTarget[], at: number, context?: ScoringContext): Promise<boolean> {
    const k = this.keys;
    const c = round.channel;
    const scheduled = round.mode === 'scheduled';
    // Study groups score with the server's periods; every group is passed so team streaks see
    // rounds in which nobody of the group answered.
    const groups = scheduled ? (await this.redis.hkeys(k.groups(c.platform, c.serverId))).sort() : [];
    const serverTargets = targets.filter((t) => t.scope.kind === 'server');
    const keys = [
      k.scored(c, round.id),
      k.names(c.platform, c.serverId),
      k.streaks(c),
      k.liveStreaks(c),
      k.channelMeta(c),
      k.serverMeta(c.platform, c.serverId),
      k.groups(c.platform, c.serverId),
      ...targets.map((t) => k.board(t.scope, t.period, t.periodKey)),
      ...entries.map((e) => k.stats(c.platform, c.serverId, e.member.id)),
    ];
    for (const g of groups) {
      keys.push(k.groupMembers(c.platform, c.serverId, g));
      for (const t of serverTargets) keys.push(k.board({ kind: 'group', platform: c.platform, serverId: c.serverId, group: g }, t.period, t.periodKey));
    }
    const payload = {
      at: Math.floor(at / 1000),
      scheduled,
      month: round.localDate.slice(0, 7),
      entries: entries.map((e) => ({
        id: e.member.id,
        name: e.member.name,
        points: Math.round(e.points),
        answered: e.answered ?? e.points > 0,
        coverage: Math.round(Math.min(1, Math.max(0, e.coverage ?? 0)) * 1000),
      })),
      boards: targets.map((t) => t.expiresAt ?? 0),
      topics: context?.topics ?? [],
      groups,
      groupBoards: serverTargets.map((t) => t.expiresAt ?? 0),
    };
    const r = await this.redis.applyScores(keys.length, ...keys, JSON.stringify(payload));
    return r === 1;
  }

  async readBoard(target: BoardTarget, callerId: string | null, limit: number): Promise<Board> {
    const key = this.keys.board(target.scope, target.period, target.periodKey);
    const serverId = target.scope.kind === 'channel' ? target.scope.channel.serverId : target.scope.serverId;
    const platform = target.scope.kind === 'channel' ? target.scope.channel.platform : target.scope.platform;
    const p = this.redis.pipeline().zrange(key, '0', String(limit - 1), 'REV', 'WITHSCORES');
    if (callerId) p.zrevrank(key, callerId).zscore(key, callerId);
    const res = await p.exec();
    if (!res) throw new Error('leaderboard pipeline aborted');
    for (const [err] of res) if (err) throw err;
    const flat = res[0]![1] as string[];
    const top: BoardEntry[] = [];
    for (let i = 0; i < flat.length; i += 2) {
      top.push({ rank: i / 2 + 1, memberId: flat[i]!, name: flat[i]!, points: Math.floor(Number(flat[i + 1]) / TWO_32) });
    }
    let caller: BoardEntry | null = null;
    if (callerId) {
      const rank = res[1]![1] as number | null;
      const score = res[2]![1] as string | null;
      if (rank !== null && score !== null) {
        caller = { rank: rank + 1, memberId: callerId, name: callerId, points: Math.floor(Number(score) / TWO_32) };
      }
    }
    const ids = [...new Set([...top.map((e) => e.memberId), ...(caller ? [caller.memberId] : [])])];
    if (ids.length > 0) {
      const names = await this.redis.hmget(this.keys.names(platform, serverId), ...ids);
      const byId = new Map(ids.map((id, i) => [id, names[i] ?? id]));
      for (const e of top) e.name = byId.get(e.memberId) ?? e.memberId;
      if (caller) caller.name = byId.get(caller.memberId) ?? caller.memberId;
    }
    return { scope: target.scope, period: target.period, periodKey: target.periodKey, top, caller };
  }

  async tryLock(name: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(this.keys.lock(name), this.owner, 'PX', ttlMs, 'NX')) === 'OK';
  }

  async unlock(name: string): Promise<void> {
    // Only the owner releases; an expired-and-retaken lock belongs to someone else.
    await this.redis.unlock(this.keys.lock(name), this.owner);
  }

  async markDone(name: string): Promise<boolean> {
    return (await this.redis.set(this.keys.done(name), String(Date.now()), 'EX', DONE_TTL_S, 'NX')) === 'OK';
  }

  async isDone(name: string): Promise<boolean> {
    return (await this.redis.exists(this.keys.done(name))) === 1;
  }

  async usedQuestions(channel: ChannelRef): Promise<Set<string>> {
    return new Set(await this.redis.smembers(this.keys.usedQuestions(channel)));
  }

  async markQuestionUsed(channel: ChannelRef, questionId: string): Promise<void> {
    await this.redis.sadd(this.keys.usedQuestions(channel), questionId);
  }

  async resetUsedQuestions(channel: ChannelRef): Promise<void> {
    await this.redis.del(this.keys.usedQuestions(channel));
  }
}
