/**
 * A channel's settings as the services read them: its stored schedule (time zone, topics, roles,
 * reminder) with the defaults for a channel that has none. Built before the services, so none of
 * them needs another to exist first.
 */
import type { ScheduleStore } from '../ports.js';
import type { QuestionFilter } from '../rounds/quiz.js';
import { defaultSchedule, type ChannelSchedule } from './schedule.js';
import type { ChannelRef } from '../types.js';

export class ChannelSettings {
  constructor(
    private readonly schedules: Pick<ScheduleStore, 'getSchedule'>,
    private readonly defaultTimezone: string,
  ) {}

  /** The stored schedule, or the default one (not stored: no daily question). */
  async scheduleOf(channel: ChannelRef): Promise<ChannelSchedule> {
    return (await this.schedules.getSchedule(channel)) ?? defaultSchedule(channel, this.defaultTimezone, 0);
  }

  async timezoneOf(channel: ChannelRef): Promise<string> {
    return (await this.schedules.getSchedule(channel))?.timezone ?? this.defaultTimezone;
  }

  /** The channel's notify role (null: none). */
  async notifyRoleOf(channel: ChannelRef): Promise<string | null> {
    return (await this.schedules.getSchedule(channel))?.notifyRole ?? null;
  }

  /** The role the channel's weekly winner gets (null: none). */
  async rewardRoleOf(channel: ChannelRef): Promise<string | null> {
    return (await this.schedules.getSchedule(channel))?.rewardRole ?? null;
  }

  /** How long before a scheduled reveal the thread gets its reminder (null: no reminder). */
  async reminderOf(channel: ChannelRef): Promise<number | null> {
    return (await this.schedules.getSchedule(channel))?.reminderMs ?? null;
  }

  /** Which questions the schedule picks. */
  async filtersOf(channel: ChannelRef): Promise<QuestionFilter> {
    const s = await this.schedules.getSchedule(channel);
    if (!s) return {};
    return { topics: s.topics, excludeTopics: s.excludeTopics, levels: s.levels };
  }
}
