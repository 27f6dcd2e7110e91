/**
 * `quizbot export scores|answers`: what Redis holds for one server, as rows a team can keep or
 * load into a spreadsheet. Scores come from the server's leaderboard of a period; answers from the
 * scheduled rounds of the server's channels that are still kept (QUIZBOT_RETENTION).
 */
import { DateTime } from 'luxon';
import { periodWindow } from '../schedule/periods.js';
import type { QuizStore, ScheduleStore } from '../ports.js';
import type { Period, PlatformName } from '../types.js';

export interface ScoreRow {
  rank: number;
  memberId: string;
  name: string;
  points: number;
  period: string;
}

export interface AnswerRow {
  date: string;
  channelId: string;
  roundId: string;
  questionId: string;
  memberId: string;
  name: string;
  private: boolean;
  receivedAt: string;
  text: string;
}

export interface ExportDeps {
  store: QuizStore;
  schedules: ScheduleStore;
  now: number;
  timezone: string;
}

/** `discord:123` → the server; anything else is a usage error. */
export function parseServer(s: string): { platform: PlatformName; serverId: string } | null {
  const m = /^(discord|slack|console):(.+)$/.exec(s.trim());
  return m ? { platform: m[1] as PlatformName, serverId: m[2]! } : null;
}

export async function exportScores(deps: ExportDeps, server: { platform: PlatformName; serverId: string }, period: Period): Promise<ScoreRow[]> {
  const w = periodWindow(period, deps.now, deps.timezone);
  const board = await deps.store.readBoard({ scope: { kind: 'server', ...server }, period, periodKey: w.key, expiresAt: w.expiresAt }, null, 100_000);
  return board.top.map((e) => ({ rank: e.rank, memberId: e.memberId, name: e.name, points: e.points, period: w.key }));
}

/** The key of the period a local date belongs to (the boards' keys: yyyy-Www, yyyy-MM, all). */
function periodKeyOf(localDate: string, period: Period, timezone: string): string {
  return periodWindow(period, DateTime.fromISO(localDate, { zone: timezone }).toMillis(), timezone).key;
}

export async function exportAnswers(deps: ExportDeps, server: { platform: PlatformName; serverId: string }, period: Period): Promise<AnswerRow[]> {
  const channels = (await deps.schedules.allSchedules())
    .map((s) => s.channel)
    .filter((c) => c.platform === server.platform && c.serverId === server.serverId)
    .sort((a, b) => a.channelId.localeCompare(b.channelId));
  const current = periodWindow(period, deps.now, deps.timezone).key;
  const rows: AnswerRow[] = [];
  for (const channel of channels) {
    for (const { round } of await deps.store.scheduledRounds(channel, 100_000)) {
      if (periodKeyOf(round.localDate, period, deps.timezone) !== current) continue;
      for (const a of await deps.store.answers(round.id)) {
        rows.push({
          date: round.localDate,
          channelId: channel.channelId,
          roundId: round.id,
          questionId: round.questionId,
          memberId: a.member.id,
          name: a.member.name,
          private: a.private,
          receivedAt: new Date(a.receivedAt).toISOString(),
          text: a.text,
        });
      }
    }
  }
  return rows.sort((a, b) => a.date.localeCompare(b.date) || a.channelId.localeCompare(b.channelId) || a.receivedAt.localeCompare(b.receivedAt));
}

/**
 * RFC 4180 CSV. A cell that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) is
 * prefixed with an apostrophe: member text is never executed when the file is opened.
 */
export function toCsv<T extends object>(rows: T[], columns: (keyof T & string)[]): string {
  const cell = (v: unknown) => {
    let s = String(v ?? '');
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return [columns.join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\r\n') + '\r\n';
}
