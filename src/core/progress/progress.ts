/**
 * Peer votes, streaks, member stats and study groups: the parts of scoring that keep a study
 * group coming back. Platform-neutral; persistence behind ProgressStore, rounds behind QuizStore.
 *
 * Streaks count consecutive *scheduled* rounds of a channel that the member answered, so a
 * weekday schedule has no weekend gap. One missed round per calendar month is forgiven
 * automatically (the streak freeze). Group participation = scheduled rounds answered since
 * joining ÷ scheduled rounds on the server since joining.
 */
import { QuizError } from '../text/errors.js';
import { periodWindow, PERIODS } from '../schedule/periods.js';
import type { BoardTarget, Clock, GroupRecord, ProgressStore, QuizStore, ServerRef, StreakState, VoteOutcome } from '../ports.js';
import type { ChannelRef, Member, Round } from '../types.js';

export const GROUP_NAME_RE = /^[a-z0-9][a-z0-9_-]{1,31}$/;
/** A topic needs this many answers before it is called strongest or weakest. */
export const MIN_TOPIC_ANSWERS = 2;

export interface VoteInput {
  channel: ChannelRef;
  threadRef: string | null;
  roundId?: string;
  voter: Member;
  /** Author of the answer voted for. */
  targetId: string;
  deliveryId: string;
}

export interface MessageVoteInput {
  channel: ChannelRef;
  /** The platform message reacted to (as the adapter passed it with the answer). */
  messageRef: string;
  voter: Member;
  deliveryId: string;
}

export interface TopicScore {
  topic: string;
  answers: number;
  /** Average coverage 0..1. */
  coverage: number;
}

export interface MemberStats {
  member: Member;
  answered: number;
  practice: number;
  /** Average key-point coverage over all substantive answers, 0..1 (null before the first). */
  averageCoverage: number | null;
  streak: StreakState;
  freezeAvailable: boolean;
  strongest: TopicScore[];
  weakest: TopicScore[];
  groups: string[];
}

export interface ParticipationRow {
  memberId: string;
  name: string;
  answered: number;
  rounds: number;
  /** answered ÷ rounds since joining, 0..1 (1 when no round has happened yet). */
  rate: number;
}

export interface GroupView {
  group: GroupRecord;
  participation: ParticipationRow[];
}

export class ProgressService {
  constructor(
    private readonly deps: {
      progress: ProgressStore;
      store: QuizStore;
      clock: Clock;
      defaultTimezone: string;
      timezoneOf?: (channel: ChannelRef) => Promise<string>;
    },
  ) {}

  private async roundFor(channel: ChannelRef, threadRef: string | null, roundId?: string): Promise<Round | null> {
    const { store } = this.deps;
    if (roundId) return store.getRound(roundId);
    if (threadRef !== null) return store.roundByThread(channel, threadRef);
    return (await store.openRounds(channel))[0] ?? null;
  }

  /** A reaction on another member's answer. Self-votes, second votes and late votes are refused. */
  async vote(input: VoteInput): Promise<VoteOutcome> {
    const round = await this.roundFor(input.channel, input.threadRef, input.roundId);
    if (!round) return 'unknown-round';
    if (input.voter.id === input.targetId) return 'self-vote';
    return this.deps.progress.recordVote(round, { voter: input.voter, targetId: input.targetId, deliveryId: input.deliveryId });
  }

  /**
   * A vote by reaction: the reacted-to message names the answer (and so the round and the member
   * voted for). Reactions on messages that are not answers are 'no-answer'.
   */
  async voteOnMessage(input: MessageVoteInput): Promise<VoteOutcome> {
    const a = await this.deps.store.answerMessage(input.channel, input.messageRef);
    if (!a) return 'no-answer';
    return this.vote({ channel: input.channel, threadRef: null, roundId: a.roundId, voter: input.voter, targetId: a.memberId, deliveryId: input.deliveryId });
  }

  async retractVoteOnMessage(input: Omit<MessageVoteInput, 'deliveryId'>): Promise<boolean> {
    const a = await this.deps.store.answerMessage(input.channel, input.messageRef);
    if (!a) return false;
    return this.retractVote({ channel: input.channel, threadRef: null, roundId: a.roundId, voter: input.voter, targetId: a.memberId });
  }

  async retractVote(input: Omit<VoteInput, 'deliveryId'>): Promise<boolean> {
    const round = await this.roundFor(input.channel, input.threadRef, input.roundId);
    if (!round) return false;
    return this.deps.progress.retractVote(round, input.voter.id, input.targetId);
  }

  /** Distinct voters per answer author (QuizDeps.votesOf). */
  votesOf(round: Round): Promise<Map<string, number>> {
    return this.deps.progress.votes(round);
  }

  async stats(channel: ChannelRef, member: Member): Promise<MemberStats> {
    const server = serverOf(channel);
    const [rec, streak, groups, tz] = await Promise.all([
      this.deps.progress.memberStats(server, member.id),
      this.deps.progress.streak(channel, member.id),
      this.deps.progress.groupsOf(server, member.id),
      this.deps.timezoneOf ? this.deps.timezoneOf(channel) : Promise.resolve(this.deps.defaultTimezone),
    ]);
    const total = rec.answered + rec.practice;
    const topics: TopicScore[] = rec.topics
      .filter((t) => t.answers >= MIN_TOPIC_ANSWERS)
      .map((t) => ({ topic: t.topic, answers: t.answers, coverage: t.coverageSum / t.answers }));
    const byCoverage = [...topics].sort((a, b) => b.coverage - a.coverage || b.answers - a.answers || a.topic.localeCompare(b.topic));
    const month = periodWindow('month', this.deps.clock.now(), tz).key;
    const strongest = byCoverage.slice(0, Math.min(3, Math.ceil(byCoverage.length / 2)));
    const weakest = byCoverage.slice(strongest.length).reverse().slice(0, 3);
    return {
      member,
      answered: rec.answered,
      practice: rec.practice,
      averageCoverage: total > 0 ? rec.coverageSum / total : null,
      streak,
      freezeAvailable: streak.freezeMonth !== month,
      strongest,
      weakest,
      groups,
    };
  }

  /** Finds a member of the server by id or display name (for `/quiz stats <name>`). */
  async findMember(channel: ChannelRef, query: string): Promise<Member | null> {
    return this.deps.progress.findMember(serverOf(channel), query.replace(/^@/, '').trim());
  }

  async createGroup(channel: ChannelRef, name: string, member: Member): Promise<GroupRecord> {
    const group = normaliseGroup(name);
    const out = await this.deps.progress.joinGroup(serverOf(channel), group, member, this.deps.clock.now(), true);
    if (out === 'exists') throw QuizError.of('group-exists', { group });
    this.limitError(out);
    return (await this.deps.progress.group(serverOf(channel), group))!;
  }

  async joinGroup(channel: ChannelRef, name: string, member: Member): Promise<GroupRecord> {
    const group = normaliseGroup(name);
    const out = await this.deps.progress.joinGroup(serverOf(channel), group, member, this.deps.clock.now(), false);
    if (out === 'no-group') throw await this.noGroup(channel, group);
    if (out === 'already-member') throw QuizError.of('group-member-already', { group });
    this.limitError(out);
    return (await this.deps.progress.group(serverOf(channel), group))!;
  }

  async leaveGroup(channel: ChannelRef, name: string, member: Member): Promise<'left' | 'deleted'> {
    const group = normaliseGroup(name);
    const server = serverOf(channel);
    const now = this.deps.clock.now();
    const boards: BoardTarget[] = PERIODS.map((period) => {
      const w = periodWindow(period, now, this.deps.defaultTimezone);
      return { scope: { kind: 'group', ...server, group }, period, periodKey: w.key, expiresAt: w.expiresAt };
    });
    const out = await this.deps.progress.leaveGroup(server, group, member.id, boards);
    if (out === 'not-member') {
      if (!(await this.deps.progress.group(server, group))) throw await this.noGroup(channel, group);
      throw QuizError.of('group-not-member', { group });
    }
    return out;
  }

  groups(channel: ChannelRef): Promise<GroupRecord[]> {
    return this.deps.progress.groups(serverOf(channel));
  }

  /** The group with its members ranked by participation rate (ties: more answers, then name). */
  async group(channel: ChannelRef, name: string): Promise<GroupView> {
    const server = serverOf(channel);
    const group = await this.deps.progress.group(server, normaliseGroup(name));
    if (!group) throw await this.noGroup(channel, normaliseGroup(name));
    const rounds = await this.deps.progress.serverRounds(server);
    const participation = group.members
      .map((m) => {
        const since = Math.max(0, rounds - m.joinedAtRound);
        return { memberId: m.memberId, name: m.name, answered: m.answered, rounds: since, rate: since === 0 ? 1 : Math.min(1, m.answered / since) };
      })
      .sort((a, b) => b.rate - a.rate || b.answered - a.answered || a.name.localeCompare(b.name));
    return { group, participation };
  }

  private limitError(out: string): void {
    if (out === 'server-limit') throw QuizError.of('group-server-limit');
    if (out === 'member-limit') throw QuizError.of('group-member-limit');
  }

  private async noGroup(channel: ChannelRef, group: string): Promise<QuizError> {
    const all = (await this.deps.progress.groups(serverOf(channel))).map((g) => g.name);
    return QuizError.of('group-unknown', { group, existing: all });
  }
}

export function serverOf(channel: ChannelRef): ServerRef {
  return { platform: channel.platform, serverId: channel.serverId };
}

/**
 * A group's name as stored, the same for every verb (create, join, leave, show, leaderboard):
 * "Platform Team" and "platform-team" are one group.
 */
export function normaliseGroup(name: string): string {
  const g = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  if (!GROUP_NAME_RE.test(g)) {
    throw QuizError.of('group-name', { name });
  }
  return g;
}
