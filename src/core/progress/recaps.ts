/**
 * Period recaps: each channel with a schedule gets a weekly and a monthly recap in its own zone —
 * the top 3, the most improved member, participation, the question with the lowest average
 * coverage and the longest running streak — posted exactly once per period.
 *
 * Exactly once, like posts: a recap's due time sits in an index the reconciler reads (the next
 * period's first day at 08:00 local); the reconciler queues one job per channel, period and key
 * (deduplicated by job id) and moves the index on; the job sends it through sendNoticeOnce
 * (./notices.ts), so replicas, retries and a crash between sending and recording post it once.
 */
import { DateTime } from 'luxon';
import { sendNoticeOnce } from '../rounds/notices.js';
import { periodWindow } from '../schedule/periods.js';
import type { BoardStore, ChatPort, Clock, LockStore, Logger, MemberStore, NoticeContent, ProgressStore, RecapPeriod, RoundStore } from '../ports.js';
import { plural } from '../text/views.js';
import { channelKey, type BoardEntry, type ChannelRef } from '../types.js';

/** Local hour at which a period's recap is posted, on the next period's first day. */
export const RECAP_LOCAL_HOUR = 8;
/** Members whose streaks a recap reads (the period's board, best first). */
const STREAK_READS = 50;
/** Scheduled rounds a recap looks through (a month of several posts a day). */
const ROUNDS_READ = 120;

/** When the recap of the period containing `atMs` is due: the next period's start, 08:00 local. */
export function recapDueAfter(period: RecapPeriod, atMs: number, timezone: string): number {
  const next = DateTime.fromMillis(atMs, { zone: timezone })
    .startOf(period)
    .plus(period === 'week' ? { weeks: 1 } : { months: 1 })
    .set({ hour: RECAP_LOCAL_HOUR });
  return next.toMillis();
}

/** The period a recap due at `dueMs` covers: the one that ended before that day. */
export function endedPeriodKey(period: RecapPeriod, dueMs: number, timezone: string): string {
  const lastMoment = DateTime.fromMillis(dueMs, { zone: timezone }).startOf(period).minus({ milliseconds: 1 });
  return periodWindow(period, lastMoment.toMillis(), timezone).key;
}

/** The first moment of a period from its key ("2026-W47", "2026-11"). */
function periodStart(period: RecapPeriod, key: string, timezone: string): DateTime {
  return period === 'week' ? DateTime.fromISO(key, { zone: timezone }) : DateTime.fromFormat(key, 'yyyy-MM', { zone: timezone });
}

function periodLabel(period: RecapPeriod, key: string, timezone: string): string {
  const start = periodStart(period, key, timezone);
  return period === 'month' ? start.toFormat('LLLL yyyy') : `week of ${start.toFormat('d LLL yyyy')}`;
}

/** The notice key of a channel's recap of one period (its idempotency key on the platform). */
function recapKey(channel: ChannelRef, period: RecapPeriod, periodKey: string): string {
  return `recap-${period}-${periodKey}-${channel.channelId}`;
}

export interface RecapFacts {
  period: RecapPeriod;
  periodKey: string;
  top: BoardEntry[];
  improved: { name: string; gain: number } | null;
  members: number;
  questions: number;
  answers: number;
  hardest: { title: string; coverage: number } | null;
  longestStreak: { name: string; rounds: number } | null;
}

export type RecapOutcome = 'sent' | 'already-sent' | 'nothing-to-recap';

export interface RecapDeps {
  store: MemberStore & LockStore & Pick<BoardStore, 'readBoard'> & Pick<RoundStore, 'scheduledRounds'>;
  progress: ProgressStore;
  /** A question's title by id (the bank may be reloaded while running). */
  titleOf: (channel: ChannelRef, questionId: string) => Promise<string | undefined>;
  chat: ChatPort;
  clock: Clock;
  logger: Logger;
  timezoneOf: (channel: ChannelRef) => Promise<string>;
  /** The channel's reward role for the weekly winner (null: none). */
  rewardRoleOf?: (channel: ChannelRef) => Promise<string | null>;
}

const MEDALS = ['🥇', '🥈', '🥉'];

export class RecapService {
  constructor(private readonly deps: RecapDeps) {}

  /** What happened in a channel in one period (null when nobody answered). */
  async facts(channel: ChannelRef, period: RecapPeriod, periodKey: string, timezone: string): Promise<RecapFacts | null> {
    const { store, progress, titleOf } = this.deps;
    const scope = { kind: 'channel' as const, channel };
    const board = await store.readBoard({ scope, period, periodKey, expiresAt: null }, null, 10_000);
    if (board.top.length === 0) return null;
    const previous = endedPeriodKey(period, periodStart(period, periodKey, timezone).toMillis(), timezone);
    const prev = await store.readBoard({ scope, period, periodKey: previous, expiresAt: null }, null, 10_000);
    const before = new Map(prev.top.map((e) => [e.memberId, e.points]));
    let improved: RecapFacts['improved'] = null;
    for (const e of board.top) {
      const was = before.get(e.memberId);
      if (was === undefined) continue;
      const gain = e.points - was;
      if (gain > 0 && (!improved || gain > improved.gain)) improved = { name: e.name, gain };
    }
    const rounds = (await store.scheduledRounds(channel, ROUNDS_READ)).filter(
      (r) => r.answers !== null && periodWindow(period, r.round.slotMs ?? r.round.postedAt, timezone).key === periodKey,
    );
    let hardest: RecapFacts['hardest'] = null;
    for (const r of rounds) {
      if (!r.answers || r.coverage === null) continue;
      if (!hardest || r.coverage < hardest.coverage) hardest = { title: r.round.questionId, coverage: r.coverage };
    }
    if (hardest) hardest.title = (await titleOf(channel, hardest.title)) ?? hardest.title;
    let longestStreak: RecapFacts['longestStreak'] = null;
    const streaks = await Promise.all(board.top.slice(0, STREAK_READS).map(async (e) => ({ e, s: await progress.streak(channel, e.memberId) })));
    for (const { e, s } of streaks) {
      if (s.current > 1 && (!longestStreak || s.current > longestStreak.rounds)) longestStreak = { name: e.name, rounds: s.current };
    }
    return {
      period,
      periodKey,
      top: board.top.slice(0, 3),
      improved,
      members: board.top.length,
      questions: rounds.length,
      answers: rounds.reduce((n, r) => n + (r.answers ?? 0), 0),
      hardest,
      longestStreak,
    };
  }

  /** The recap as members read it (the wording lives here; platforms only format it). */
  view(f: RecapFacts, timezone: string): NoticeContent {
    const what = f.period === 'week' ? 'Weekly' : 'Monthly';
    const lines: string[] = [];
    f.top.forEach((e, i) => lines.push(`${MEDALS[i]} ${e.name} — ${plural(e.points, 'pt')}`));
    if (f.improved) lines.push(`📈 Most improved: ${f.improved.name} (+${plural(f.improved.gain, 'pt')} on the ${f.period} before)`);
    lines.push(
      `👥 Participation: ${plural(f.members, 'member')} answered` +
        (f.questions > 0 ? ` ${plural(f.questions, 'question')} (${plural(f.answers, 'answer')} in all)` : ''),
    );
    if (f.hardest) lines.push(`🧗 Hardest question: ${f.hardest.title} — average coverage ${Math.round(f.hardest.coverage * 100)} %`);
    if (f.longestStreak) lines.push(`🔥 Longest streak: ${f.longestStreak.name}, ${plural(f.longestStreak.rounds, 'round')} in a row`);
    return {
      kind: 'recap',
      title: `📊 ${what} recap — ${periodLabel(f.period, f.periodKey, timezone)}`,
      lines,
    };
  }

  /** The running period so far (`/quiz recap`): the same view, never posted by itself. */
  async preview(channel: ChannelRef, period: RecapPeriod): Promise<NoticeContent | null> {
    const tz = await this.deps.timezoneOf(channel);
    const key = periodWindow(period, this.deps.clock.now(), tz).key;
    const f = await this.facts(channel, period, key, tz);
    return f ? this.view(f, tz) : null;
  }

  /** Posts a channel's recap of one ended period, exactly once (see ./notices.ts). */
  async run(channel: ChannelRef, period: RecapPeriod, periodKey: string, holder: string): Promise<RecapOutcome> {
    const key = recapKey(channel, period, periodKey);
    let winner: string | null = null;
    const out = await sendNoticeOnce(this.deps, channel, null, key, holder, async () => {
      const tz = await this.deps.timezoneOf(channel);
      const facts = await this.facts(channel, period, periodKey, tz);
      winner = facts?.top[0]?.memberId ?? null;
      return facts ? this.view(facts, tz) : null;
    });
    if (out === 'sent') {
      this.deps.logger.info('recap posted', { channel: channelKey(channel), period, periodKey });
      if (period === 'week' && winner) await this.reward(channel, winner);
    }
    return out === 'nothing-to-send' ? 'nothing-to-recap' : out;
  }

  /** The week's winner gets the channel's reward role; the previous holder loses it (best effort). */
  private async reward(channel: ChannelRef, winner: string): Promise<void> {
    const { store, chat, logger } = this.deps;
    const role = this.deps.rewardRoleOf ? await this.deps.rewardRoleOf(channel) : null;
    if (!role) return;
    try {
      const previous = await store.rewardHolder(channel);
      // The winner first: a Slack user group cannot be left empty, even for a moment.
      await chat.setRoleMember(channel, role, winner, true);
      if (previous && previous !== winner) await chat.setRoleMember(channel, role, previous, false);
      await store.setRewardHolder(channel, winner);
    } catch (err) {
      logger.warn('reward role could not be moved', { channel: channelKey(channel), role, err });
    }
  }
}
