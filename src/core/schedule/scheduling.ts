/**
 * Schedules in the core: admins change them (`/quiz schedule set …`, pause, resume, skip, post),
 * the job runtime fires slots into `runSlot`, and `reconcile` re-drives what the jobs could not.
 *
 * Each channel has exactly one "due" slot in an index: the next slot to handle. Handling a slot
 * (post it, or record why not) moves the index to the following slot and queues that slot's job —
 * a chain that a crash cannot break for good, because the reconciler reads the index and handles
 * any slot overdue by more than a minute whose job is no longer in the queue. Every path ends in
 * QuizService.startRound with the slot's deterministic round id, so a slot never gets two rounds.
 *
 * Late slots (the worker was down): posted only on their own local date and within the catch-up
 * grace; for a fixed-time pattern, never on a date that already had its post. A later slot that is
 * already due supersedes an older missed one.
 */
import { ChannelSettings } from './channel-settings.js';
import { randomUUID } from 'node:crypto';
import { readingSchedulesOnce } from './read-scope.js';
import { QuizError, type ChannelUnavailableError } from '../text/errors.js';
import type { ChatPort, Clock, JobPort, Logger, QuizStore, RecapPeriod, ScheduleStore } from '../ports.js';
import { endedPeriodKey, recapDueAfter, type RecapService } from '../progress/recaps.js';
import { WAITS_FOR_ADMIN, type QuestionFilter, type QuizService, type StartedRound } from '../rounds/quiz.js';
import {
  DEFAULT_MIN_INTERVAL_MS,
  calendarOf,
  localDay,
  revealAtFor,
  validateCron,
  validateTimezone,
  type ChannelSchedule,
  type RevealRule,
} from './schedule.js';
import { FINAL_STATES, channelKey, type ChannelRef, type Level, type Round } from '../types.js';

export interface SchedulingSettings {
  defaultTimezone: string;
  /** How late a missed slot may still be posted (and only on the same local day). */
  catchUpGraceMs: number;
  /** Shortest interval between two posts a schedule may have. */
  minIntervalMs?: number;
}

export type SlotOutcome =
  { kind: 'posted'; started: StartedRound } | { kind: 'paused' } | { kind: 'skipped'; reason: string } | { kind: 'stale' } | { kind: 'no-schedule' };

export interface ScheduleChange {
  cron?: string;
  timezone?: string;
  reveal?: RevealRule;
  topics?: string[];
  excludeTopics?: string[];
  levels?: Level[];
  /** Member id of the admin making the change. */
  by?: string;
  /** Reminder before the reveal (ms), null turns it off. */
  reminderMs?: number | null;
  /** Notify role (platform id), null turns it off. */
  notifyRole?: string | null;
  /** Weekly winner's role (platform id), null turns it off. */
  rewardRole?: string | null;
}

/** Refused posts (not in the channel, missing permission) before the schedule pauses itself. */
export const UNPOSTABLE_PAUSE_AFTER = 3;
const UNPOSTABLE_WINDOW_MS = 7 * 86_400_000;

/** A slot is on time while it fires within a minute of its instant. */
const ON_TIME_MS = 60_000;
/**
 * A slot missed by at most this much is posted even when later slots are due too, and the chain
 * goes on from it, slot by slot: its job was lost (a Redis failover, a wiped queue), not a day.
 * Beyond it, the latest due slot supersedes older ones: a long outage posts one question, not a
 * burst of them.
 */
const IN_ORDER_MS = 5 * 60_000;
/** The reconciler looks at slots overdue by this much whose job is gone (a live job is left alone). */
const OVERDUE_MS = 10_000;
/** Work per reconciler pass (the next pass continues). */
const RECONCILE_BATCH = 5_000;

export interface ReconcileResult {
  /** Overdue slots handled (posted late or recorded as skipped). */
  slots: number;
  /** Rounds not final that were re-driven (posting or revealing). */
  rounds: number;
  /** Schedules that had no due slot indexed. */
  indexed: number;
  /** Period recaps queued (or posted). */
  recaps: number;
}

export class SchedulingService {
  private jobs: JobPort | null = null;
  /** Slots posted late since the last summary (one warning per pass, not one per channel). */
  private late = { count: 0, maxLateMs: 0, since: 0 };

  constructor(
    private readonly deps: {
      schedules: ScheduleStore;
      store: QuizStore;
      quiz: QuizService;
      chat: ChatPort;
      clock: Clock;
      logger: Logger;
      settings: SchedulingSettings;
      /** Period recaps (absent: none are indexed or posted). */
      recaps?: RecapService;
    },
  ) {}

  /** The job runtime attaches itself once it runs (processes without workers only store). */
  attach(jobs: JobPort): void {
    this.jobs = jobs;
  }

  /** Reads of the channel's settings (one implementation, shared with the other services). */
  private get settings(): ChannelSettings {
    return (this.channelSettings ??= new ChannelSettings(this.deps.schedules, this.deps.settings.defaultTimezone));
  }
  private channelSettings: ChannelSettings | undefined;

  scheduleOf(channel: ChannelRef): Promise<ChannelSchedule> {
    return this.settings.scheduleOf(channel);
  }

  /** Stored schedule or null: channels without one get no daily question. */
  stored(channel: ChannelRef): Promise<ChannelSchedule | null> {
    return this.deps.schedules.getSchedule(channel);
  }

  timezoneOf(channel: ChannelRef): Promise<string> {
    return this.settings.timezoneOf(channel);
  }

  notifyRoleOf(channel: ChannelRef): Promise<string | null> {
    return this.settings.notifyRoleOf(channel);
  }

  rewardRoleOf(channel: ChannelRef): Promise<string | null> {
    return this.settings.rewardRoleOf(channel);
  }

  reminderOf(channel: ChannelRef): Promise<number | null> {
    return this.settings.reminderOf(channel);
  }

  filtersOf(channel: ChannelRef): Promise<QuestionFilter> {
    return this.settings.filtersOf(channel);
  }

  get minIntervalMs(): number {
    return this.deps.settings.minIntervalMs ?? DEFAULT_MIN_INTERVAL_MS;
  }

  /** Validates everything first: an invalid change stores nothing. */
  async update(channel: ChannelRef, change: ScheduleChange): Promise<ChannelSchedule> {
    const now = this.deps.clock.now();
    const current = await this.scheduleOf(channel);
    const timezone = validateTimezone(change.timezone ?? current.timezone);
    const cron =
      change.cron !== undefined || change.timezone !== undefined ? validateCron(change.cron ?? current.cron, timezone, now, this.minIntervalMs) : current.cron;
    const reveal = change.reveal ?? current.reveal;
    if (reveal.kind === 'cron') validateCron(reveal.cron, timezone, now, 0);
    const next: ChannelSchedule = {
      ...current,
      channel,
      cron,
      timezone,
      reveal,
      topics: change.topics ?? current.topics,
      excludeTopics: change.excludeTopics ?? current.excludeTopics,
      levels: change.levels ?? current.levels,
      skip: current.skip.filter((s) => s > now),
      updatedAt: now,
      setBy: change.by ?? current.setBy ?? null,
      reminderMs: change.reminderMs !== undefined ? change.reminderMs : (current.reminderMs ?? null),
      notifyRole: change.notifyRole !== undefined ? change.notifyRole : (current.notifyRole ?? null),
      rewardRole: change.rewardRole !== undefined ? change.rewardRole : (current.rewardRole ?? null),
    };
    await this.save(next);
    return next;
  }

  /**
   * A scheduled post was refused until a person acts. Whoever set the schedule hears it once; after
   * UNPOSTABLE_PAUSE_AFTER refusals within a week the schedule pauses and the round is given up.
   */
  async handleUnpostable(round: Round, err: ChannelUnavailableError): Promise<'cancel' | 'retry'> {
    const { store, logger, chat } = this.deps;
    if (round.mode !== 'scheduled') return 'cancel'; // the member who asked was told in the reply
    const key = channelKey(round.channel);
    const s = await this.deps.schedules.getSchedule(round.channel);
    const count = await store.countFailure(`unpostable:${key}`, UNPOSTABLE_WINDOW_MS);
    logger.warn('the platform refused the post', { roundId: round.id, reason: err.reason, count });
    const tell = (text: string) =>
      chat.tellMember(round.channel, s?.setBy ?? null, text).catch((e: unknown) => logger.warn('could not tell the admin', { err: e }));
    if (count >= UNPOSTABLE_PAUSE_AFTER) {
      if (s && !s.paused) {
        await this.setPaused(round.channel, true);
        await tell(unpostableText(err.reason, true));
      }
      return 'cancel';
    }
    // The first refusal of a run (the count restarts at /quiz resume) is the one the admin hears of.
    if (count === 1) await tell(unpostableText(err.reason, false));
    return 'retry';
  }

  async setPaused(channel: ChannelRef, paused: boolean): Promise<ChannelSchedule> {
    const s = await this.scheduleOf(channel);
    if (!paused) {
      // Resuming is the admin saying "fixed": refusals count afresh and are reported again.
      await this.deps.store.resetFailures(`unpostable:${channelKey(channel)}`);
    }
    const next = { ...s, channel, paused, updatedAt: this.deps.clock.now() };
    await this.save(next);
    return next;
  }

  /** Skips the next slot that is not skipped yet; returns it. */
  async skipNext(channel: ChannelRef): Promise<{ schedule: ChannelSchedule; slotMs: number }> {
    const s = await this.scheduleOf(channel);
    const now = this.deps.clock.now();
    const cal = calendarOf(s.cron, s.timezone);
    let slot = cal.next(now);
    for (let i = 0; i < 100 && slot !== null && s.skip.includes(slot); i++) slot = cal.next(slot);
    if (slot === null) throw QuizError.of('no-slot-to-skip');
    const next = { ...s, channel, skip: [...s.skip.filter((x) => x > now), slot].sort((a, b) => a - b), updatedAt: now };
    await this.save(next);
    return { schedule: next, slotMs: slot };
  }

  /** Stores a schedule and re-arms its chain at the next slot after now. */
  private async save(s: ChannelSchedule): Promise<void> {
    await this.deps.schedules.saveSchedule(s);
    await this.arm(s, this.deps.clock.now());
  }

  /**
   * Points the channel's due index at the first slot after `afterMs` and queues its job. A slot
   * armed earlier that is no longer the next one (the schedule changed) loses its job.
   */
  private async arm(s: ChannelSchedule, afterMs: number): Promise<number | null> {
    const { schedules } = this.deps;
    const next = calendarOf(s.cron, s.timezone).next(afterMs);
    // Sent together (one round trip): the due slot (and what it was) and each scheduled channel's
    // recaps, indexed once, then moved on by the reconciler.
    const [previous] = await Promise.all([
      schedules.swapDue(s.channel, next),
      this.deps.recaps
        ? schedules.indexRecaps(
            s.channel,
            RECAP_PERIODS.map((period) => ({ period, atMs: recapDueAfter(period, afterMs, s.timezone) })),
          )
        : undefined,
    ]);
    if (this.jobs) {
      if (previous !== null && previous !== next && previous > afterMs) await this.jobs.dropPost(s.channel, previous);
      if (next !== null) await this.jobs.enqueuePost(s.channel, next);
    }
    return next;
  }

  /**
   * `/quiz post`: the channel's next scheduled question now. It takes the channel's next slot (the
   * one the scheduler would fire next, or a due slot not posted yet), so the scheduler and a manual
   * post always agree on one round per slot; refused while a scheduled round is open, in the same
   * Lua step that creates the round.
   */
  async postNow(channel: ChannelRef): Promise<StartedRound> {
    const { store, clock } = this.deps;
    const now = clock.now();
    const s = await this.scheduleOf(channel);
    const cal = calendarOf(s.cron, s.timezone);
    let slotMs: number | null = null;
    const due = cal.prev(now);
    if (
      due !== null &&
      now - due <= this.deps.settings.catchUpGraceMs &&
      localDay(due, s.timezone) === localDay(now, s.timezone) &&
      (await store.slotRound(channel, due)) === null
    ) {
      slotMs = due;
    }
    // Otherwise the next slot without a round (an earlier /quiz post may have taken the next one).
    let at = now;
    for (let i = 0; slotMs === null && i < 10; i++) {
      const next = cal.next(at);
      if (next === null) break;
      if ((await store.slotRound(channel, next)) === null) slotMs = next;
      at = next;
    }
    if (slotMs === null) throw QuizError.of('no-free-slot');
    const started = await this.deps.quiz.startRound(channel, { mode: 'scheduled', slotMs, revealAt: revealAtFor(s, now), exclusive: true });
    if (!started.created) throw QuizError.of('just-posted');
    return started;
  }

  /** A slot's job fired (on time, late, or from the reconciler): handle it, then arm the next. */
  async handleSlot(channel: ChannelRef, slotMs: number): Promise<SlotOutcome> {
    return readingSchedulesOnce(() => this.handleSlotOnce(channel, slotMs));
  }

  private async handleSlotOnce(channel: ChannelRef, slotMs: number): Promise<SlotOutcome> {
    const out = await this.runSlot(channel, slotMs);
    const s = await this.deps.schedules.getSchedule(channel);
    const now = this.deps.clock.now();
    // Caught up slot by slot after a lost job (the next slot may be due already); otherwise on from now.
    const from = out.kind === 'posted' && now - slotMs <= IN_ORDER_MS ? slotMs : Math.max(slotMs, now);
    if (s && out.kind !== 'stale') await this.arm(s, from);
    else if (s && (await this.deps.schedules.dueOf(channel)) === slotMs) await this.arm(s, this.deps.clock.now());
    return out;
  }

  /** Posts a slot's round unless paused, skipped, superseded or too late. */
  async runSlot(channel: ChannelRef, slotMs: number): Promise<SlotOutcome> {
    const { logger, schedules, store, clock, settings } = this.deps;
    const [s, existing] = await Promise.all([schedules.getSchedule(channel), store.slotRound(channel, slotMs)]);
    if (!s) return { kind: 'no-schedule' };
    if (existing) {
      const started = await this.deps.quiz.startRound(channel, { mode: 'scheduled', slotMs });
      return { kind: 'posted', started };
    }
    const cal = calendarOf(s.cron, s.timezone);
    if (!cal.isSlot(slotMs)) return { kind: 'stale' };
    if (s.paused) {
      logger.info('slot not posted: channel paused', { channel: channelKey(channel), slotMs });
      return { kind: 'paused' };
    }
    const skip = async (slot: number, reason: string): Promise<SlotOutcome> => {
      if (await schedules.recordSkip(channel, slot, reason)) logger.warn('slot not posted', { channel: channelKey(channel), slotMs: slot, reason });
      return { kind: 'skipped', reason };
    };
    if (s.skip.includes(slotMs)) return skip(slotMs, 'skipped by an admin (/quiz skip)');
    const now = clock.now();
    let slot = slotMs;
    if (now - slotMs > ON_TIME_MS) {
      // Late: a more recent slot that is already due supersedes this one.
      const latest = cal.prev(now);
      if (latest !== null && latest > slotMs && now - slotMs > IN_ORDER_MS) {
        await skip(slotMs, 'missed while no worker was running; a later slot superseded it');
        if ((await store.slotRound(channel, latest)) !== null || s.skip.includes(latest)) return { kind: 'skipped', reason: 'superseded' };
        slot = latest;
      }
      if (now - slot > ON_TIME_MS) {
        const day = localDay(slot, s.timezone);
        if (day !== localDay(now, s.timezone)) return skip(slot, `missed while no worker was running; not posted late because ${day} is over in ${s.timezone}`);
        if (now - slot > settings.catchUpGraceMs) {
          return skip(slot, `missed while no worker was running; more than ${Math.round(settings.catchUpGraceMs / 60_000)} minutes late`);
        }
        if (cal.cron.fixedTime && (await store.roundOnDate(channel, day)) !== null) return skip(slot, `${day} already had its question`);
        this.noteLate(channel, slot, now - slot);
      }
    }
    const started = await this.deps.quiz.startRound(channel, { mode: 'scheduled', slotMs: slot, revealAt: revealAtFor(s, slot) });
    return { kind: 'posted', started };
  }

  /**
   * A slot posted late: the first one of a pass is a warning of its own; the others are counted
   * and summed up once, when the reconciler's pass ends or a minute has passed (a fan-out of
   * thousands of channels that runs late logs two lines, not one per channel).
   */
  private noteLate(channel: ChannelRef, slotMs: number, lateMs: number): void {
    const { logger, clock } = this.deps;
    if (this.late.count === 0) {
      logger.warn('missed slot: posting it late', { channel: channelKey(channel), slotMs, lateMs });
      this.late = { count: 1, maxLateMs: lateMs, since: clock.now() };
      // Summed up a minute on even if no other late slot comes to trigger it.
      setTimeout(() => this.summariseLate(), ON_TIME_MS).unref();
      return;
    }
    logger.debug('missed slot: posting it late', { channel: channelKey(channel), slotMs, lateMs });
    this.late.count++;
    this.late.maxLateMs = Math.max(this.late.maxLateMs, lateMs);
    if (clock.now() - this.late.since >= ON_TIME_MS) this.summariseLate();
  }

  private summariseLate(): void {
    if (this.late.count > 1) this.deps.logger.warn('slots posted late', { slots: this.late.count, maxLateMs: this.late.maxLateMs, sinceMs: this.late.since });
    this.late = { count: 0, maxLateMs: 0, since: 0 };
  }

  /**
   * The safety net, run once a minute by one worker: handles slots overdue by more than a few
   * seconds whose job is gone (every worker was down, a failover or a wiped queue lost it; a
   * pending job is left to run), and re-drives rounds that are
   * not final and overdue (posting cut short, reveal lost). Reads only what is due.
   */
  async reconcile(): Promise<ReconcileResult> {
    const { schedules, store, clock, logger, quiz } = this.deps;
    const now = clock.now();
    const result: ReconcileResult = { slots: 0, rounds: 0, indexed: 0, recaps: 0 };
    for (const channel of await schedules.unindexed()) {
      const s = await schedules.getSchedule(channel);
      if (s) {
        await this.arm(s, now);
        result.indexed++;
      }
    }
    // Overdue slots go back to the post queue (its workers post them at the platform's rate, in
    // parallel); a pass only reads the due index and queues, so it stays short however many
    // channels fell behind. Without a job runtime (tools, tests) they are handled here.
    const overdue = await schedules.dueChannels(now - OVERDUE_MS, RECONCILE_BATCH);
    await forEachLimit(overdue, 32, async ({ channel, slotMs }) => {
      try {
        if (this.jobs) {
          if (await this.jobs.postPending(channel, slotMs)) return;
          await this.jobs.enqueueCatchUp(channel, slotMs);
        } else {
          await this.handleSlot(channel, slotMs);
        }
        result.slots++;
      } catch (err) {
        logger.warn('overdue slot could not be handled yet', { channel: channelKey(channel), slotMs, err });
      }
    });
    this.summariseLate();
    await this.reconcileRecaps(now, result);
    for (const roundId of await store.dueRounds(now - ON_TIME_MS, RECONCILE_BATCH)) {
      const round = await store.getRound(roundId);
      if (!round || FINAL_STATES.includes(round.state)) {
        await store.clearRoundDue(roundId);
        continue;
      }
      result.rounds++;
      try {
        if (round.state === 'created' || round.state === 'posting') {
          logger.warn('round not posted yet: driving it again', { roundId, state: round.state });
          if (this.jobs) await this.jobs.enqueueDrive(roundId);
          else await quiz.post(roundId);
        } else if (round.state === 'posted' && (round.revealAt === null || round.revealAt > now)) {
          // Indexed too early (e.g. by a start that crashed before re-indexing): fix the index.
          await store.markRoundDue(roundId, round.revealAt ?? WAITS_FOR_ADMIN);
          result.rounds--;
        } else {
          logger.warn('reveal overdue: driving it again', { roundId, state: round.state, dueMs: round.revealAt });
          if (this.jobs) await this.jobs.enqueueReveal(roundId);
          else await quiz.reveal(roundId);
        }
      } catch (err) {
        logger.warn('round could not be re-driven yet', { roundId, err });
      }
    }
    return result;
  }

  /** Due recaps: queued (or, without a job runtime, posted here), then the index moves on. */
  private async reconcileRecaps(now: number, result: ReconcileResult): Promise<void> {
    const { schedules, logger } = this.deps;
    const recaps = this.deps.recaps;
    if (!recaps) return;
    for (const due of await schedules.dueRecaps(now, RECONCILE_BATCH)) {
      const s = await schedules.getSchedule(due.channel);
      if (!s) {
        await schedules.setRecapDue(due.channel, due.period, null);
        continue;
      }
      const key = endedPeriodKey(due.period, due.atMs, s.timezone);
      try {
        if (this.jobs) await this.jobs.enqueueRecap(due.channel, due.period, key);
        else await recaps.run(due.channel, due.period, key, `reconciler-${process.pid}-${randomUUID()}`);
        result.recaps++;
        // Moved on only once the recap is queued: a crash before this queues it again (same job id).
        await schedules.setRecapDue(due.channel, due.period, recapDueAfter(due.period, due.atMs, s.timezone));
      } catch (err) {
        logger.warn('recap could not be queued yet', { channel: channelKey(due.channel), period: due.period, key, err });
      }
    }
  }
}

const RECAP_PERIODS: readonly RecapPeriod[] = ['week', 'month'];

/** Runs fn over items, at most `limit` at a time. */
async function forEachLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

/** What the admin is told when posting is refused; `{channel}` becomes the platform's channel mention. */
export function unpostableText(reason: ChannelUnavailableError['reason'], paused: boolean): string {
  const why =
    reason === 'not-in-channel'
      ? 'I am not a member of {channel}. Invite me there (type /invite @quizbot in the channel).'
      : 'I am missing a permission in {channel} (View Channel, Send Messages, Embed Links, Create Public Threads or Send Messages in Threads).';
  return paused
    ? `I could not post the daily question ${UNPOSTABLE_PAUSE_AFTER} times: ${why} The schedule is paused now; run /quiz resume in the channel once it is fixed.`
    : `I could not post the daily question: ${why} I will keep trying; after ${UNPOSTABLE_PAUSE_AFTER} refusals the schedule pauses until someone runs /quiz resume there.`;
}
