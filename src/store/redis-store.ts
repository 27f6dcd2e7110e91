/**
 * QuizStore on Redis. Multi-key steps that must be atomic are Lua scripts (./lua); key names
 * come from ./keys.ts only. Every key a script touches shares the server's hash tag; the global
 * due index is written with single-key commands only (Redis Cluster safe).
 */
import { randomUUID } from 'node:crypto';
import type { RedisClient } from './topology.js';
import type {
  BoardTarget,
  Claim,
  CreateOutcome,
  CreateRoundOptions,
  CreateRoundResult,
  QuizStore,
  RecordOutcome,
  WithdrawOutcome,
  RoundFields,
  ScoreEntry,
  RoundSummary,
  ScoringContext,
  StepResult,
  SuggestionRecord,
} from '../core/ports.js';
import { serverOfRoundId } from '../core/rounds/round-ids.js';
import type { Answer, Board, BoardEntry, ChannelRef, Member, Question, Round, RoundState } from '../core/types.js';
import { createKeys, type Keys, type ServerLike } from './keys.js';
import { withScripts, type ScriptCommands } from './scripts.js';

const TWO_32 = 4294967296;
/** Entries scored per script call: keeps each call well under ~10 ms of Redis time. */
export const SCORE_SLICE = 200;
const DELIVERY_TTL_S = 14 * 24 * 3600;
/** Votes can only be cast before a reveal; two weeks covers every reveal delay (max 7 days). */
const ANSWER_MESSAGE_TTL_MS = 14 * 86_400_000;
const STATES: readonly RoundState[] = ['created', 'posting', 'posted', 'closing', 'scored', 'revealed', 'cancelled'];

type ImmutableRound = Omit<Round, 'threadRef' | 'messageRef' | 'state' | 'status' | 'revealedAt' | 'revealSent' | 'revealIntent'>;

const CREATE_OUTCOMES: Record<number, CreateOutcome> = { 1: 'created', 0: 'exists', [-1]: 'scheduled-open', [-2]: 'practice-limit' };

function stepResult(r: number): StepResult {
  return r === 1 ? 'ok' : r === 0 ? 'wrong-state' : r === -1 ? 'lost-lease' : 'missing';
}

export class RedisQuizStore implements QuizStore {
  readonly keys: Keys;
  private readonly redis: RedisClient & ScriptCommands;
  private readonly owner = randomUUID();

  constructor(
    redis: RedisClient,
    namespace = 'qb',
    /** QUIZBOT_REDIS_WAIT: replicas a recorded answer must reach (WAIT) before it is acknowledged. */
    private readonly durability: { replicas: number; timeoutMs: number; onShort?: (acked: number) => void } = { replicas: 0, timeoutMs: 0 },
  ) {
    this.redis = withScripts(redis);
    this.keys = createKeys(namespace);
  }

  /**
   * Waits (WAIT, at most `timeoutMs`) until the write just made on `key`'s node reached the
   * configured number of replicas; reports a shortfall (the answer stands either way). WAIT
   * narrows the window in which a failover loses an acknowledged answer; it does not close it
   * (docs/operations.md). Sent in one pipeline with a read of `key`, so Redis Cluster routes it
   * to the node that took the write.
   */
  private async replicated(key: string): Promise<void> {
    const { replicas, timeoutMs, onShort } = this.durability;
    if (replicas <= 0) return;
    const res = await this.redis.pipeline().exists(key).call('WAIT', replicas, timeoutMs).exec();
    const acked = Number(res?.[1]?.[1] ?? 0);
    if (acked < replicas) onShort?.(acked);
  }

  private server(roundId: string): ServerLike | null {
    return serverOfRoundId(roundId);
  }

  async createRound(round: Round, question: Question, opts: CreateRoundOptions = {}): Promise<CreateRoundResult> {
    const k = this.keys;
    const { threadRef: _t, messageRef: _m, state: _s, status: _st, revealedAt: _r, revealSent: _rs, revealIntent: _ri, ...immutable } = round;
    const [code, id] = await this.redis.createRound(
      k.round(round.channel, round.id),
      round.slotMs !== null ? k.slot(round.channel, round.slotMs) : k.slot(round.channel, -1),
      k.openRounds(round.channel),
      k.openPractice(round.channel),
      k.roundDays(round.channel),
      round.id,
      round.slotMs !== null ? '1' : '0',
      round.postedAt,
      JSON.stringify(immutable),
      JSON.stringify(question),
      round.mode,
      opts.refuseWhileScheduledOpen ? '1' : '0',
      opts.maxOpenPractice ?? 0,
      round.localDate,
    );
    const outcome = CREATE_OUTCOMES[code] ?? 'exists';
    // Created: stored exactly as given (no read back). Otherwise the round that was there.
    const stored = outcome === 'created' ? { ...round } : await this.getRound(id);
    if (!stored) throw new Error(`round ${id} vanished right after creation`);
    return { outcome, created: outcome === 'created', round: stored };
  }

  async getRound(roundId: string): Promise<Round | null> {
    const server = this.server(roundId);
    if (!server) return null;
    const h = await this.redis.hgetall(this.keys.round(server, roundId));
    return h.data ? this.parseRound(h) : null;
  }

  private parseRound(h: Record<string, string>): Round {
    const base = JSON.parse(h.data!) as ImmutableRound;
    const state = STATES.includes(h.state as RoundState) ? (h.state as RoundState) : h.status === 'revealed' ? 'revealed' : 'posted';
    return {
      ...base,
      requestedBy: base.requestedBy ?? null,
      threadRef: h.threadRef ? h.threadRef : null,
      messageRef: h.messageRef ? h.messageRef : null,
      state,
      status: h.status === 'revealed' ? 'revealed' : 'open',
      revealedAt: h.revealedAt ? Number(h.revealedAt) : null,
      revealSent: Number(h.revealSent ?? 0),
      revealIntent: Number(h.revealIntent ?? -1),
    };
  }

  async roundQuestion(roundId: string): Promise<Question | null> {
    const server = this.server(roundId);
    if (!server) return null;
    const raw = await this.redis.hget(this.keys.round(server, roundId), 'question');
    return raw ? (JSON.parse(raw) as Question) : null;
  }

  async claimRound(roundId: string, holder: string, ttlMs: number): Promise<Claim> {
    const server = this.server(roundId);
    if (!server) throw new Error(`not a round id: ${roundId}`);
    const [ttl, current] = await this.redis.claimRound(this.keys.roundLease(server, roundId), holder, ttlMs);
    return ttl === 0 ? { ok: true } : { ok: false, holder: current, retryInMs: ttl };
  }

  async releaseRound(roundId: string, holder: string): Promise<void> {
    const server = this.server(roundId);
    if (server) await this.redis.unlock(this.keys.roundLease(server, roundId), holder);
  }

  async stepRound(roundId: string, holder: string, from: readonly RoundState[], to: RoundState | null, fields: RoundFields = {}): Promise<StepResult> {
    return this.step(roundId, holder, from, to, fields, []);
  }

  private async step(
    roundId: string,
    holder: string,
    from: readonly RoundState[],
    to: RoundState | null,
    fields: RoundFields,
    sets: [string, string][],
  ): Promise<StepResult> {
    const server = this.server(roundId);
    if (!server) return 'missing';
    const pairs = Object.entries(fields).flatMap(([f, v]) => [f, String(v)]);
    const keys = [this.keys.round(server, roundId), this.keys.roundLease(server, roundId), ...sets.map(([key]) => key)];
    const r = await this.redis.stepRound(keys.length, ...keys, holder, from.join(','), to ?? '', pairs.length / 2, ...pairs, ...sets.map(([, v]) => v));
    return stepResult(r);
  }

  /** `channel`: the round's channel when the caller knows it (saves reading the round for it). */
  async setThread(roundId: string, holder: string, threadRef: string, channel?: ChannelRef): Promise<StepResult> {
    const at = channel ?? (await this.getRound(roundId))?.channel;
    if (!at) return 'missing';
    return this.step(roundId, holder, ['posting'], 'posted', { threadRef }, [[this.keys.thread(at, threadRef), roundId]]);
  }

  async closeRound(roundId: string, holder: string, to: 'closing' | 'cancelled', at: number): Promise<StepResult> {
    const round = await this.getRound(roundId);
    if (!round) return 'missing';
    const k = this.keys;
    const r = await this.redis.closeRound(
      k.round(round.channel, roundId),
      k.openRounds(round.channel),
      k.openPractice(round.channel),
      k.roundLease(round.channel, roundId),
      roundId,
      at,
      holder,
      to,
    );
    return stepResult(r);
  }

  async roundByThread(channel: ChannelRef, threadRef: string): Promise<Round | null> {
    const id = await this.redis.get(this.keys.thread(channel, threadRef));
    return id ? this.getRound(id) : null;
  }

  async openRounds(channel: ChannelRef): Promise<Round[]> {
    const ids = await this.redis.zrange(this.keys.openRounds(channel), '0', '-1', 'REV');
    const rounds = await Promise.all(ids.map((id) => this.getRound(id)));
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
      answer.messageAt ?? answer.receivedAt,
    );
    if (out === 'recorded' || out === 'replaced') await this.replicated(k.answers(channel, answer.roundId));
    return out as RecordOutcome;
  }

  /**
   * A reply in a thread, in one round trip: the thread's round is resolved, the answer recorded
   * and the reply message indexed inside one script (record-reply-3.lua).
   */
  async recordReply(
    channel: ChannelRef,
    threadRef: string,
    answer: Omit<Answer, 'roundId'>,
    messageRef: string | null,
  ): Promise<{ outcome: RecordOutcome; roundId: string | null }> {
    const k = this.keys;
    const [outcome, roundId] = await this.redis.recordReply(
      k.thread(channel, threadRef),
      k.names(channel.platform, channel.serverId),
      k.answerMessage(channel, messageRef ?? ''),
      k.serverPrefix(channel),
      answer.member.id,
      JSON.stringify({ roundId: '', ...answer }),
      answer.deliveryId,
      answer.receivedAt,
      answer.member.name,
      DELIVERY_TTL_S,
      answer.messageAt ?? answer.receivedAt,
      messageRef ? ANSWER_MESSAGE_TTL_MS : 0,
    );
    if (outcome === 'recorded' || outcome === 'replaced') await this.replicated(k.thread(channel, threadRef));
    return { outcome: outcome as RecordOutcome, roundId: roundId || null };
  }

  async answers(roundId: string): Promise<Answer[]> {
    const server = this.server(roundId);
    if (!server) return [];
    // In batches (HSCAN): a round of 10,000 answers is never parsed in one tick of the event loop.
    const key = this.keys.answers(server, roundId);
    const out: Answer[] = [];
    let cursor = '0';
    do {
      const [next, flat] = await this.redis.hscan(key, cursor, 'COUNT', 500);
      for (let i = 1; i < flat.length; i += 2) out.push(JSON.parse(flat[i]!) as Answer);
      cursor = next;
    } while (cursor !== '0');
    // HSCAN may return a field twice (a rehash during the scan): one answer per member.
    const byMember = new Map(out.map((a) => [a.member.id, a]));
    return [...byMember.values()].sort((a, b) => a.receivedAt - b.receivedAt || (a.member.id < b.member.id ? -1 : a.member.id > b.member.id ? 1 : 0));
  }

  async applyScores(round: Round, entries: ScoreEntry[], targets: BoardTarget[], at: number, context?: ScoringContext): Promise<boolean> {
    const k = this.keys;
    const c = round.channel;
    const scheduled = round.mode === 'scheduled';
    // Study groups score with the server's periods; every group is passed so team streaks see
    // rounds in which nobody of the group answered.
    // (Members are found in their groups through their own group set, slice by slice: nothing
    // here or in the script walks a group's members.)
    const groups = scheduled ? (await this.redis.hkeys(k.groups(c.platform, c.serverId))).sort() : [];
    const serverTargets = targets.filter((t) => t.scope.kind === 'server');
    const rows = entries.map((e) => ({
      id: e.member.id,
      name: e.member.name,
      /** Indexed for `/quiz stats <name>` (lowercased here: Lua's string.lower knows only ASCII). */
      lc: e.member.name.trim().toLowerCase(),
      points: Math.round(e.points),
      answered: e.answered ?? e.points > 0,
      /** The member's set of study groups (scheduled rounds): the script reads it, in this server's slot. */
      mg: scheduled ? k.memberGroups(c.platform, c.serverId, e.member.id) : '',
      coverage: Math.round(Math.min(1, Math.max(0, e.coverage ?? 0)) * 1000),
    }));
    const slices: (typeof rows)[] = [];
    // A member in study groups costs about twice the work: half the slice keeps each script short.
    const sliceSize = groups.length > 0 ? SCORE_SLICE / 2 : SCORE_SLICE;
    for (let i = 0; i < rows.length; i += sliceSize) slices.push(rows.slice(i, i + sliceSize));
    if (slices.length === 0) slices.push([]);
    let applied = false;
    for (let i = 0; i < slices.length; i++) {
      const slice = slices[i]!;
      const final = i === slices.length - 1;
      const keys = [
        k.scored(c, round.id),
        k.names(c.platform, c.serverId),
        k.streaks(c),
        k.roundMonths(c),
        k.channelMeta(c),
        k.serverMeta(c.platform, c.serverId),
        k.groups(c.platform, c.serverId),
        ...targets.map((t) => k.board(t.scope, t.period, t.periodKey)),
        ...slice.map((e) => k.stats(c.platform, c.serverId, e.id)),
      ];
      for (const g of groups) {
        keys.push(k.groupMembers(c.platform, c.serverId, g));
        for (const t of serverTargets) keys.push(k.board({ kind: 'group', platform: c.platform, serverId: c.serverId, group: g }, t.period, t.periodKey));
      }
      const payload = {
        at: Math.floor(at / 1000),
        now: Math.floor((context?.now ?? at) / 1000),
        scheduled,
        month: round.localDate.slice(0, 7),
        slice: i,
        final,
        entries: slice,
        statsTtl: context?.statsTtlMs ? Math.max(1, Math.round(context.statsTtlMs / 1000)) : 0,
        nameIndex: k.nameIndex(c.platform, c.serverId),
        boards: targets.map((t) => t.expiresAt ?? 0),
        topics: context?.topics ?? [],
        groups,
        groupBoards: serverTargets.map((t) => t.expiresAt ?? 0),
      };
      if ((await this.redis.applyScores(keys.length, ...keys, JSON.stringify(payload))) === 1) applied = true;
    }
    // The live-streak set of versions before 0.3 is not read any more.
    if (scheduled) await this.redis.unlink(k.liveStreaks(c));
    return applied;
  }

  async adjustGrade(
    round: Round,
    member: Member,
    points: number,
    gradedPoints: number,
    targets: BoardTarget[],
    at: number,
  ): Promise<{ outcome: 'pending' | 'applied' | 'unchanged' | 'busy' | 'unknown-round'; previous: number }> {
    const k = this.keys;
    const c = round.channel;
    const keys = [
      k.round(c, round.id),
      k.overrides(c, round.id),
      k.scored(c, round.id),
      k.names(c.platform, c.serverId),
      ...targets.map((t) => k.board(t.scope, t.period, t.periodKey)),
    ];
    const [outcome, previous] = await this.redis.adjustGrade(
      keys.length,
      ...keys,
      member.id,
      Math.round(points),
      Math.round(gradedPoints),
      Math.floor(at / 1000),
      member.name,
      ...targets.map((t) => t.expiresAt ?? 0),
    );
    return { outcome: outcome as 'pending' | 'applied' | 'unchanged' | 'busy' | 'unknown-round', previous: Number(previous) };
  }

  async expireRound(round: Round, ttlMs: number): Promise<void> {
    const k = this.keys;
    const c = round.channel;
    const keys = [k.round(c, round.id), k.answers(c, round.id), k.votes(c, round.id), k.scored(c, round.id), k.overrides(c, round.id)];
    if (round.slotMs !== null) keys.push(k.slot(c, round.slotMs));
    if (round.threadRef) keys.push(k.thread(c, round.threadRef));
    // What only an open round needs goes now: the question snapshot (the bank has the question
    // by id; a snapshot is ~4 KB) and the delivery ids (a revealed round refuses answers anyway).
    // All keys share the server's hash tag: one pipeline, one slot.
    const p = this.redis.pipeline();
    p.hdel(k.round(c, round.id), 'question');
    p.unlink(k.deliveries(c, round.id));
    for (const key of keys) p.pexpire(key, ttlMs);
    const res = await p.exec();
    for (const [err] of res ?? []) if (err) throw err;
  }

  async overrides(roundId: string): Promise<Map<string, number>> {
    const server = this.server(roundId);
    if (!server) return new Map();
    const h = await this.redis.hgetall(this.keys.overrides(server, roundId));
    return new Map(Object.entries(h).map(([m, p]) => [m, Number(p)]));
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

  async markRoundDue(roundId: string, atMs: number): Promise<void> {
    await this.redis.zadd(this.keys.roundsDue(), Math.round(atMs), roundId);
  }

  async clearRoundDue(roundId: string): Promise<void> {
    await this.redis.zrem(this.keys.roundsDue(), roundId);
  }

  async dueRounds(beforeMs: number, limit: number): Promise<string[]> {
    return this.redis.zrangebyscore(this.keys.roundsDue(), '-inf', Math.round(beforeMs), 'LIMIT', 0, limit);
  }

  async slotRound(channel: ChannelRef, slotMs: number): Promise<string | null> {
    return this.redis.get(this.keys.slot(channel, slotMs));
  }

  async trimRoundDays(channel: ChannelRef, beforeLocalDate: string): Promise<number> {
    const key = this.keys.roundDays(channel);
    const old = (await this.redis.hkeys(key)).filter((d) => d < beforeLocalDate);
    return old.length > 0 ? this.redis.hdel(key, ...old) : 0;
  }

  async latestScheduledRound(channel: ChannelRef): Promise<string | null> {
    const days = await this.redis.hgetall(this.keys.roundDays(channel));
    const last = Object.keys(days).sort().pop();
    return last ? days[last]! : null;
  }

  async scheduledRounds(channel: ChannelRef, limit: number): Promise<RoundSummary[]> {
    const days = await this.redis.hgetall(this.keys.roundDays(channel));
    const ids = Object.keys(days)
      .sort()
      .reverse()
      .map((d) => days[d]!);
    const out: RoundSummary[] = [];
    // Rounds past their retention are gone from Redis; keep looking until `limit` are found.
    for (let i = 0; i < ids.length && out.length < limit; i += limit) {
      const batch = ids.slice(i, i + limit);
      const p = this.redis.pipeline();
      for (const id of batch)
        p.hmget(
          this.keys.round(channel, id),
          'data',
          'state',
          'status',
          'threadRef',
          'messageRef',
          'revealedAt',
          'revealSent',
          'revealIntent',
          'answerCount',
          'coverage',
        );
      const res = (await p.exec()) ?? [];
      for (const [err, v] of res) {
        if (err) throw err;
        const [data, state, status, threadRef, messageRef, revealedAt, revealSent, revealIntent, answerCount, coverage] = v as (string | null)[];
        if (!data) continue;
        const h: Record<string, string> = { data };
        for (const [k, x] of Object.entries({ state, status, threadRef, messageRef, revealedAt, revealSent, revealIntent }))
          if (typeof x === 'string') h[k] = x;
        out.push({
          round: this.parseRound(h),
          answers: answerCount == null ? null : Number(answerCount),
          coverage: coverage == null || Number(coverage) < 0 ? null : Number(coverage) / 1000,
        });
        if (out.length === limit) break;
      }
    }
    return out;
  }

  async roundOnDate(channel: ChannelRef, localDate: string): Promise<string | null> {
    return this.redis.hget(this.keys.roundDays(channel), localDate);
  }

  async addSuggestion(server: ServerLike, s: Omit<SuggestionRecord, 'id'>, maxPending: number): Promise<string | null> {
    const id = await this.redis.addSuggestion(
      this.keys.suggestions(server),
      this.keys.pendingSuggestions(server, s.by.id),
      this.keys.suggestionSeq(server),
      JSON.stringify(s),
      's',
      maxPending,
    );
    return id || null;
  }

  async suggestion(server: ServerLike, id: string): Promise<SuggestionRecord | null> {
    const raw = await this.redis.hget(this.keys.suggestions(server), id);
    return raw ? (JSON.parse(raw) as SuggestionRecord) : null;
  }

  async suggestions(server: ServerLike): Promise<SuggestionRecord[]> {
    const all = Object.values(await this.redis.hgetall(this.keys.suggestions(server))).map((v) => JSON.parse(v) as SuggestionRecord);
    return all.sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
  }

  async decideSuggestion(server: ServerLike, s: SuggestionRecord): Promise<void> {
    await this.redis.multi().hset(this.keys.suggestions(server), s.id, JSON.stringify(s)).srem(this.keys.pendingSuggestions(server, s.by.id), s.id).exec();
  }

  async putServerQuestion(server: ServerLike, id: string, file: string): Promise<void> {
    await this.redis.multi().hset(this.keys.serverQuestions(server), id, file).incr(this.keys.serverBankVersion(server)).exec();
  }

  async serverQuestionFiles(server: ServerLike): Promise<Map<string, string>> {
    return new Map(Object.entries(await this.redis.hgetall(this.keys.serverQuestions(server))));
  }

  async serverBankVersion(server: ServerLike): Promise<string | null> {
    return this.redis.get(this.keys.serverBankVersion(server));
  }

  async setNudge(channel: ChannelRef, memberId: string, on: boolean): Promise<void> {
    if (on) await this.redis.sadd(this.keys.nudges(channel), memberId);
    else await this.redis.srem(this.keys.nudges(channel), memberId);
  }

  async nudgeMembers(channel: ChannelRef): Promise<string[]> {
    return this.redis.smembers(this.keys.nudges(channel));
  }

  async rewardHolder(channel: ChannelRef): Promise<string | null> {
    return this.redis.get(this.keys.rewardHolder(channel));
  }

  async setRewardHolder(channel: ChannelRef, memberId: string): Promise<void> {
    await this.redis.set(this.keys.rewardHolder(channel), memberId);
  }

  async noticeState(server: ServerLike, key: string): Promise<'sending' | 'sent' | null> {
    const v = await this.redis.get(this.keys.notice(server, key));
    return v === 'sending' || v === 'sent' ? v : null;
  }

  async setNoticeState(server: ServerLike, key: string, state: 'sending' | 'sent', ttlMs: number): Promise<void> {
    await this.redis.set(this.keys.notice(server, key), state, 'PX', Math.max(1, Math.round(ttlMs)));
  }

  async tryLock(name: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(this.keys.lock(name), this.owner, 'PX', ttlMs, 'NX')) === 'OK';
  }

  async holdLease(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const [ttl] = await this.redis.claimRound(this.keys.lease(name), holder, Math.round(ttlMs));
    return ttl === 0;
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    await this.redis.unlock(this.keys.lease(name), holder);
  }

  async saveLeaseState(name: string, holder: string, state: string | null, ttlMs: number): Promise<boolean> {
    return (await this.redis.saveLeaseState(this.keys.lease(name), this.keys.leaseState(name), holder, state ?? '', Math.max(1, Math.round(ttlMs)))) === 1;
  }

  async leaseState(name: string): Promise<string | null> {
    return this.redis.get(this.keys.leaseState(name));
  }

  async countFailure(name: string, ttlMs: number): Promise<number> {
    const key = this.keys.failures(name);
    const res = await this.redis.multi().incr(key).pexpire(key, ttlMs, 'NX').exec();
    if (!res || res[0]![0]) throw res?.[0]?.[0] ?? new Error('failure counter transaction aborted');
    return Number(res[0]![1]);
  }

  async resetFailures(name: string): Promise<void> {
    await this.redis.del(this.keys.failures(name));
  }

  async indexAnswerMessage(channel: ChannelRef, messageRef: string, roundId: string, memberId: string): Promise<void> {
    await this.redis.set(this.keys.answerMessage(channel, messageRef), `${roundId} ${memberId}`, 'PX', ANSWER_MESSAGE_TTL_MS);
  }

  /** A deleted answer message: withdraws the answer it carries while the round is open (withdraw-answer-1.lua). */
  async withdrawAnswer(channel: ChannelRef, messageRef: string): Promise<{ outcome: WithdrawOutcome; roundId: string | null; memberId: string | null }> {
    const [outcome, roundId, memberId] = await this.redis.withdrawAnswer(
      this.keys.answerMessage(channel, messageRef),
      this.keys.serverPrefix(channel),
      messageRef,
    );
    return { outcome: outcome as WithdrawOutcome, roundId: roundId || null, memberId: memberId || null };
  }

  async answerMessage(channel: ChannelRef, messageRef: string): Promise<{ roundId: string; memberId: string } | null> {
    const v = await this.redis.get(this.keys.answerMessage(channel, messageRef));
    if (!v) return null;
    const i = v.indexOf(' ');
    return { roundId: v.slice(0, i), memberId: v.slice(i + 1) };
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
