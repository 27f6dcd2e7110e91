/**
 * Schedules in the core: admins change them (`/quiz schedule set …`, pause, resume, skip, post),
 * the job runtime fires slots into `runSlot`, and `reconcile` catches what the job scheduler
 * could not: BullMQ skips slots missed while every worker was down, so a missed slot is posted
 * late when still within the same local day and the grace, or recorded as skipped with the
 * reason. Every path ends in QuizService.startRound with the slot's deterministic round id, so a
 * slot can never get two questions.
 */
import { QuizError } from './errors.js';
import type { Clock, JobPort, Logger, QuizStore, ScheduleStore } from './ports.js';
import type { QuestionFilter, QuizService, StartedRound } from './quiz.js';
import { slotRoundId } from './quiz.js';
import {
  defaultSchedule,
  lastSlot,
  localDay,
  nextSlot,
  revealAtFor,
  validateCron,
  validateTimezone,
  type ChannelSchedule,
  type RevealRule,
} from './schedule.js';
import { channelKey, type ChannelRef, type Level } from './types.js';

export interface SchedulingSettings {
  defaultTimezone: string;
  /** How late a missed slot may still be posted (and only on the same local day). */
  catchUpGraceMs: number;
  /** How many past slots the reconciler looks at per channel. */
  lookBackSlots?: number;
}

export type SlotOutcome =
  | { kind: 'posted'; started: StartedRound }
  | { kind: 'paused' }
  | { kind: 'skipped'; reason: string }
  | { kind: 'no-schedule' };

export interface ScheduleChange {
  cron?: string;
  timezone?: string;
  reveal?: RevealRule;
  topics?: string[];
  excludeTopics?: string[];
  levels?: Level[];
}

export class SchedulingService {
  private jobs: JobPort | null = null;

  constructor(
    private readonly deps: {
      schedules: ScheduleStore;
      store: QuizStore;
      quiz: QuizService;
      clock: Clock;
      logger: Logger;
      settings: SchedulingSettings;
    },
  ) {}

  /** The job runtime attaches itself once it runs (processes without workers only store). */
  attach(jobs: JobPort): void {
    this.jobs = jobs;
  }

  async scheduleOf(channel: ChannelRef): Promise<ChannelSchedule> {
    return (await this.deps.schedules.getSchedule(channel)) ?? defaultSchedule(channel, this.deps.settings.defaultTimezone, 0);
  }

  /** Stored schedule or null: channels without one get no daily question. */
  stored(channel: ChannelRef): Promise<ChannelSchedule | null> {
    return this.deps.schedules.getSchedule(channel);
  }

  async timezoneOf(channel: ChannelRef): Promise<string> {
    return (await this.deps.schedules.getSchedule(channel))?.timezone ?? this.deps.settings.defaultTimezone;
  }

  async filtersOf(channel: ChannelRef): Promise<QuestionFilter> {
    const s = await this.deps.schedules.getSchedule(channel);
    if (!s) return {};
    return { topics: s.topics, excludeTopics: s.excludeTopics, levels: s.levels };
  }

  /** Validates everything first: an invalid change stores nothing. */
  async update(channel: ChannelRef, change: ScheduleChange): Promise<ChannelSchedule> {
    const now = this.deps.clock.now();
    const current = await this.scheduleOf(channel);
    const timezone = validateTimezone(change.timezone ?? current.timezone);
    const cron = validateCron(change.cron ?? current.cron, timezone, now);
    const reveal = change.reveal ?? current.reveal;
    if (reveal.kind === 'cron') validateCron(reveal.cron, timezone, now);
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
    };
    await this.save(next);
    return next;
  }

  async setPaused(channel: ChannelRef, paused: boolean): Promise<ChannelSchedule> {
    const s = await this.scheduleOf(channel);
    const next = { ...s, channel, paused, updatedAt: this.deps.clock.now() };
    await this.save(next);
    return next;
  }

  /** Skips the next slot that is not skipped yet; returns it. */
  async skipNext(channel: ChannelRef): Promise<{ schedule: ChannelSchedule; slotMs: number }> {
    const s = await this.scheduleOf(channel);
    const now = this.deps.clock.now();
    let slot = nextSlot(s, now);
    while (s.skip.includes(slot)) slot = nextSlot(s, slot);
    const next = { ...s, channel, skip: [...s.skip.filter((x) => x > now), slot].sort((a, b) => a - b), updatedAt: now };
    await this.save(next);
    return { schedule: next, slotMs: slot };
  }

  private async save(s: ChannelSchedule): Promise<void> {
    await this.deps.schedules.saveSchedule(s);
    if (this.jobs) await this.jobs.syncChannel(s);
  }

  /**
   * `/quiz post`: the next scheduled question now, as a round of its own (it counts like a
   * scheduled one). Refused while the channel has an open scheduled question, so a double click
   * or two admins at once cannot post twice.
   */
  async postNow(channel: ChannelRef): Promise<StartedRound> {
    const { store, clock } = this.deps;
    const s = await this.scheduleOf(channel);
    const open = (await store.openRounds(channel)).find((r) => r.mode === 'scheduled');
    if (open) throw new QuizError('bad-argument', 'This channel already has an open question. Reveal it first with /quiz reveal.');
    const lock = `post-now:${channelKey(channel)}`;
    if (!(await store.tryLock(lock, 15_000))) throw new QuizError('bad-argument', 'A question is being posted in this channel right now.');
    try {
      const slotMs = clock.now();
      return await this.deps.quiz.startRound(channel, { mode: 'scheduled', slotMs, revealAt: revealAtFor(s, slotMs) });
    } finally {
      await store.unlock(lock);
    }
  }

  /** A slot fired (job scheduler, catch-up job): post its round unless paused or skipped. */
  async runSlot(channel: ChannelRef, slotMs: number): Promise<SlotOutcome> {
    const { logger } = this.deps;
    const s = await this.deps.schedules.getSchedule(channel);
    if (!s) return { kind: 'no-schedule' };
    if (s.paused) {
      logger.info('slot not posted: channel paused', { channel: channelKey(channel), slotMs });
      return { kind: 'paused' };
    }
    if (s.skip.includes(slotMs)) {
      const reason = 'skipped by an admin (/quiz skip)';
      if (await this.deps.schedules.recordSkip(channel, slotMs, reason)) logger.info('slot skipped', { channel: channelKey(channel), slotMs, reason });
      return { kind: 'skipped', reason };
    }
    const started = await this.deps.quiz.startRound(channel, { mode: 'scheduled', slotMs, revealAt: revealAtFor(s, slotMs) });
    return { kind: 'posted', started };
  }

  /**
   * Finds slots nobody posted (every worker was down): posts the latest late when it is within
   * the grace and on the same local day, records the others as skipped with the reason. Also
   * re-enqueues reveals that are overdue (a reveal job lost with a wiped queue).
   */
  async reconcile(): Promise<{ caughtUp: number; skipped: number; reveals: number }> {
    const { schedules, store, clock, logger, settings } = this.deps;
    const now = clock.now();
    let caughtUp = 0;
    let skipped = 0;
    let reveals = 0;
    for (const s of await schedules.allSchedules()) {
      if (s.paused) continue;
      // Past slots, newest first, back to when the schedule was last changed.
      const slots: number[] = [];
      let at = now;
      while (slots.length < (settings.lookBackSlots ?? 7)) {
        const slot = lastSlot(s, at);
        if (slot === null || slot < s.updatedAt) break;
        slots.push(slot);
        at = slot - 1;
      }
      for (const [i, slot] of slots.entries()) {
        const roundId = slotRoundId(s.channel, slot);
        if ((await store.isDone(`posted:${roundId}`)) || (await schedules.skipReason(s.channel, slot)) !== null) continue;
        if (s.skip.includes(slot)) continue;
        // Slots younger than a minute are still being fired by the job scheduler.
        if (now - slot < 60_000) continue;
        const sameDay = localDay(slot, s.timezone) === localDay(now, s.timezone);
        if (i === 0 && sameDay && now - slot <= settings.catchUpGraceMs) {
          logger.warn('missed slot: posting it late', { channel: channelKey(s.channel), slotMs: slot, lateMs: now - slot });
          if (this.jobs) await this.jobs.enqueuePost(s.channel, slot);
          else await this.runSlot(s.channel, slot);
          caughtUp++;
        } else {
          const reason = !sameDay
            ? `missed while no worker was running; not posted late because ${localDay(slot, s.timezone)} is over in ${s.timezone}`
            : i > 0
              ? 'missed while no worker was running; a later slot superseded it'
              : `missed while no worker was running; more than ${Math.round(settings.catchUpGraceMs / 60_000)} minutes late`;
          if (await schedules.recordSkip(s.channel, slot, reason)) {
            logger.warn('missed slot recorded as skipped', { channel: channelKey(s.channel), slotMs: slot, reason });
            skipped++;
          }
        }
      }
      for (const round of await store.openRounds(s.channel)) {
        if (round.mode === 'scheduled' && round.revealAt !== null && round.revealAt + 60_000 < now) {
          logger.warn('reveal overdue: enqueuing it', { roundId: round.id, dueMs: round.revealAt });
          if (this.jobs) await this.jobs.enqueueReveal(round.id);
          else await this.deps.quiz.reveal(round.id);
          reveals++;
        }
      }
    }
    return { caughtUp, skipped, reveals };
  }

  /** Re-creates every channel's job scheduler (start-up; idempotent). */
  async syncAll(): Promise<number> {
    if (!this.jobs) return 0;
    const all = await this.deps.schedules.allSchedules();
    for (const s of all) await this.jobs.syncChannel(s);
    return all.length;
  }
}

export function requireAdmin(isAdmin: boolean, verb: string): void {
  if (!isAdmin) throw new QuizError('forbidden', `Only server admins can use /quiz ${verb}.`);
}
