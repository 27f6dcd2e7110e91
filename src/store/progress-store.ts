/**
 * ProgressStore on Redis: peer votes, streaks, member stats and study groups. Writes that must
 * be atomic are Lua scripts (./lua); the scoring itself happens in apply-scores.lua.
 */
import type { RedisClient } from './topology.js';
import type {
  BoardTarget,
  GroupJoinOutcome,
  GroupLeaveOutcome,
  GroupMemberRecord,
  GroupRecord,
  MemberStatsRecord,
  ProgressStore,
  ServerRef,
  StreakState,
  TopicTally,
  Vote,
  VoteOutcome,
} from '../core/ports.js';
import type { ChannelRef, Member, Round } from '../core/types.js';
import { createKeys, type Keys } from './keys.js';
import { withScripts, type ScriptCommands } from './scripts.js';

const VOTES_TTL_S = 30 * 24 * 3600;
export const MAX_GROUPS_PER_SERVER = 50;
export const MAX_GROUPS_PER_MEMBER = 10;

interface GroupJson {
  by: string;
  at: number;
  c?: number;
  b?: number;
}
interface MemberJson {
  n: string;
  t: number;
  j: number;
  a: number;
}

export class RedisProgressStore implements ProgressStore {
  readonly keys: Keys;
  private readonly redis: RedisClient & ScriptCommands;

  constructor(redis: RedisClient, namespace = 'qb') {
    this.redis = withScripts(redis);
    this.keys = createKeys(namespace);
  }

  async recordVote(round: Round, vote: Vote): Promise<VoteOutcome> {
    const c = round.channel;
    return (await this.redis.recordVote(
      this.keys.round(c, round.id),
      this.keys.answers(c, round.id),
      this.keys.votes(c, round.id),
      vote.voter.id,
      vote.targetId,
      VOTES_TTL_S,
    )) as VoteOutcome;
  }

  async retractVote(round: Round, voterId: string, targetId: string): Promise<boolean> {
    const c = round.channel;
    return (await this.redis.retractVote(this.keys.round(c, round.id), this.keys.votes(c, round.id), voterId, targetId)) === 1;
  }

  async votes(round: Round): Promise<Map<string, number>> {
    const all = await this.redis.hgetall(this.keys.votes(round.channel, round.id));
    const out = new Map<string, number>();
    for (const target of Object.values(all)) out.set(target, (out.get(target) ?? 0) + 1);
    return out;
  }

  async streak(channel: ChannelRef, memberId: string): Promise<StreakState> {
    const k = this.keys;
    const [raw, rounds] = await this.redis.readStreak(k.streaks(channel), k.roundMonths(channel), k.channelMeta(channel), memberId);
    const s = raw ? (JSON.parse(raw) as { c?: number; b?: number; f?: string; l?: number }) : {};
    return { current: s.c ?? 0, best: s.b ?? 0, freezeMonth: s.f ? s.f : null, lastRound: s.l ?? 0, channelRounds: Number(rounds ?? 0) };
  }

  async memberStats(server: ServerRef, memberId: string): Promise<MemberStatsRecord> {
    const h = await this.redis.hgetall(this.keys.stats(server.platform, server.serverId, memberId));
    const topics = new Map<string, TopicTally>();
    for (const [field, value] of Object.entries(h)) {
      const m = /^([nc]):(.+)$/.exec(field);
      if (!m) continue;
      const t = topics.get(m[2]!) ?? { topic: m[2]!, answers: 0, coverageSum: 0 };
      if (m[1] === 'n') t.answers = Number(value);
      else t.coverageSum = Number(value) / 1000;
      topics.set(m[2]!, t);
    }
    return {
      answered: Number(h.answered ?? 0),
      practice: Number(h.practice ?? 0),
      coverageSum: Number(h.cov ?? 0) / 1000,
      topics: [...topics.values()].sort((a, b) => a.topic.localeCompare(b.topic)),
    };
  }

  async serverRounds(server: ServerRef): Promise<number> {
    return Number((await this.redis.hget(this.keys.serverMeta(server.platform, server.serverId), 'rounds')) ?? 0);
  }

  async joinGroup(server: ServerRef, group: string, member: Member, at: number, create: boolean): Promise<GroupJoinOutcome> {
    const k = this.keys;
    const { platform, serverId } = server;
    return (await this.redis.groupJoin(
      k.groups(platform, serverId),
      k.groupMembers(platform, serverId, group),
      k.memberGroups(platform, serverId, member.id),
      k.serverMeta(platform, serverId),
      group,
      create ? '1' : '0',
      JSON.stringify({ by: member.id, at, c: 0, b: 0 } satisfies GroupJson),
      member.id,
      member.name,
      at,
      MAX_GROUPS_PER_SERVER,
      MAX_GROUPS_PER_MEMBER,
    )) as GroupJoinOutcome;
  }

  async leaveGroup(server: ServerRef, group: string, memberId: string, boards: BoardTarget[]): Promise<GroupLeaveOutcome> {
    const k = this.keys;
    const { platform, serverId } = server;
    const keys = [
      k.groups(platform, serverId),
      k.groupMembers(platform, serverId, group),
      k.memberGroups(platform, serverId, memberId),
      ...boards.map((b) => k.board(b.scope, b.period, b.periodKey)),
    ];
    return (await this.redis.groupLeave(keys.length, ...keys, group, memberId)) as GroupLeaveOutcome;
  }

  async group(server: ServerRef, group: string): Promise<GroupRecord | null> {
    const k = this.keys;
    const [raw, members] = await Promise.all([
      this.redis.hget(k.groups(server.platform, server.serverId), group),
      this.redis.hgetall(k.groupMembers(server.platform, server.serverId, group)),
    ]);
    if (!raw) return null;
    return toGroup(group, JSON.parse(raw) as GroupJson, members);
  }

  async groups(server: ServerRef): Promise<GroupRecord[]> {
    const all = await this.redis.hgetall(this.keys.groups(server.platform, server.serverId));
    const names = Object.keys(all).sort();
    const members = await Promise.all(names.map((n) => this.redis.hgetall(this.keys.groupMembers(server.platform, server.serverId, n))));
    return names.map((n, i) => toGroup(n, JSON.parse(all[n]!) as GroupJson, members[i]!));
  }

  async groupsOf(server: ServerRef, memberId: string): Promise<string[]> {
    return (await this.redis.smembers(this.keys.memberGroups(server.platform, server.serverId, memberId))).sort();
  }

  async memberNames(server: ServerRef): Promise<Map<string, string>> {
    return new Map(Object.entries(await this.redis.hgetall(this.keys.names(server.platform, server.serverId))));
  }

  /**
   * A member by id or display name, in at most three HGETs whatever the server's size: the id
   * itself, else the lowercase-name index scoring keeps. A server scored before the index existed
   * (no index yet) is read whole, once per lookup, until its next reveal builds it.
   */
  async findMember(server: ServerRef, query: string): Promise<Member | null> {
    const names = this.keys.names(server.platform, server.serverId);
    const byId = await this.redis.hget(names, query);
    if (byId !== null) return { id: query, name: byId };
    const lc = query.trim().toLowerCase();
    const index = this.keys.nameIndex(server.platform, server.serverId);
    const id = await this.redis.hget(index, lc);
    if (id !== null) {
      const name = await this.redis.hget(names, id);
      return name !== null ? { id, name } : null;
    }
    if ((await this.redis.exists(index)) === 1) return null;
    for (const [memberId, name] of await this.memberNames(server))
      if (memberId.toLowerCase() === lc || name.toLowerCase() === lc) return { id: memberId, name };
    return null;
  }
}

function toGroup(name: string, g: GroupJson, members: Record<string, string>): GroupRecord {
  const list: GroupMemberRecord[] = Object.entries(members).map(([memberId, raw]) => {
    const m = JSON.parse(raw) as MemberJson;
    return { memberId, name: m.n, joinedAt: m.t, joinedAtRound: m.j, answered: m.a };
  });
  list.sort((a, b) => a.joinedAt - b.joinedAt || a.memberId.localeCompare(b.memberId));
  return { name, createdBy: g.by, createdAt: g.at, teamStreak: g.c ?? 0, bestTeamStreak: g.b ?? 0, members: list };
}
