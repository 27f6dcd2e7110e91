/**
 * Every Redis key quizbot uses is built here and nowhere else.
 *
 * Layout: `<ns>:{<platform>:<server>}:<kind>:...`. The braces are a Redis Cluster hash tag:
 * all keys of one server (rounds, answers, boards, streaks, groups) live in one slot, so a Lua
 * script may touch any of them atomically. `ns` isolates deployments and test runs.
 */
import type { BoardScope, ChannelRef, Period, PlatformName } from '../core/types.js';

/** Anything that names a server: a ChannelRef, or what a round id tells. */
export type ServerLike = { platform: PlatformName; serverId: string };

export function serverTag(platform: PlatformName, serverId: string): string {
  return `{${platform}:${serverId}}`;
}

export function createKeys(ns = 'qb') {
  const tag = (c: { platform: PlatformName; serverId: string }) => `${ns}:${serverTag(c.platform, c.serverId)}`;
  const ch = (c: ChannelRef) => `${tag(c)}:ch:${c.channelId}`;
  return { ns, ...roundKeys(ns, tag, ch), ...progressKeys(ns, tag, ch), ...settingsKeys(ns, tag, ch) };
}

type Tag = (c: ServerLike) => string;
type Ch = (c: ChannelRef) => string;

/** Rounds: their state, leases, threads, answers, deliveries and scoring. */
function roundKeys(ns: string, tag: Tag, ch: Ch) {
  return {
    /**
     * The server's key prefix `<ns>:{<platform>:<server>}`. record-reply-3.lua builds a round's
     * `round:`, `answers:` and `deliveries:` keys from it (below; keep the two in step).
     */
    serverPrefix: (c: ServerLike) => tag(c),
    /** Hash: round fields (data, question snapshot, state, threadRef, messageRef, …). */
    round: (c: ServerLike, roundId: string) => `${tag(c)}:round:${roundId}`,
    /** String: holder of a round's lease (who drives its side effects now), with an expiry. */
    roundLease: (c: ServerLike, roundId: string) => `${tag(c)}:lease:${roundId}`,
    /** Sorted set (global, single-key commands only): rounds not final, by when they need attention. */
    roundsDue: () => `${ns}:rounds:due`,
    /** String: slot claim, value = round id. */
    slot: (c: ChannelRef, slotMs: number) => `${ch(c)}:slot:${slotMs}`,
    /** Sorted set: open round ids of a channel by posted time. */
    openRounds: (c: ChannelRef) => `${ch(c)}:open`,
    /** Sorted set: the open practice rounds among them. */
    openPractice: (c: ChannelRef) => `${ch(c)}:open:practice`,
    /** Hash: local date → id of the scheduled round created for it. */
    roundDays: (c: ChannelRef) => `${ch(c)}:days`,
    /** String: thread reference → round id. */
    thread: (c: ChannelRef, threadRef: string) => `${ch(c)}:thread:${threadRef}`,
    /** Hash: member id → JSON answer. */
    answers: (c: ServerLike, roundId: string) => `${tag(c)}:answers:${roundId}`,
    /**
     * String: "roundId memberId" of an answer message (votes find the answer reacted to); expires.
     * Message refs are unique within a server (Discord snowflakes, Slack `<channel>:<ts>`).
     */
    answerMessage: (c: ServerLike, messageRef: string) => `${tag(c)}:amsg:${messageRef}`,
    /** String counter: failures of one kind (e.g. posting refused), expiring. */
    failures: (name: string) => `${ns}:failures:${name}`,
    /** Set: delivery ids already seen for a round. */
    deliveries: (c: ServerLike, roundId: string) => `${tag(c)}:deliveries:${roundId}`,
    /** Hash: member id → points an admin set for the round (human override). */
    overrides: (c: ServerLike, roundId: string) => `${tag(c)}:overrides:${roundId}`,
    /** Hash: which slices of the round's scoring were applied (s<i>), its round number (seq), done. */
    scored: (c: ServerLike, roundId: string) => `${tag(c)}:scored:${roundId}`,
    /** Set: question ids used in a channel since the bank was last exhausted. */
    usedQuestions: (c: ChannelRef) => `${ch(c)}:used`,
  };
}

/** Boards, names, votes, streaks, stats and study groups. */
function progressKeys(ns: string, tag: Tag, ch: Ch) {
  return {
    /** Sorted set: a leaderboard; score encodes points and who reached them first. */
    board: (scope: BoardScope, period: Period, periodKey: string) => `${boardPrefix(ns, scope)}:board:${period === 'all' ? 'all' : periodKey}`,
    /** Hash: member id → display name, per server. */
    names: (platform: PlatformName, serverId: string) => `${tag({ platform, serverId })}:names`,
    /** Hash: lowercase display name → member id (written by scoring, read by member lookups by name). */
    nameIndex: (platform: PlatformName, serverId: string) => `${tag({ platform, serverId })}:names:lc`,
    /** Hash: voter id → id of the member whose answer they voted for (one vote per voter per round). */
    votes: (c: ServerLike, roundId: string) => `${tag(c)}:votes:${roundId}`,
    /** Hash: member id → JSON streak { c current, b best, f month of last freeze, l round last answered }. */
    streaks: (c: ChannelRef) => `${ch(c)}:streaks`,
    /** Set (before 0.3): members with a live streak, walked at every scoring; removed on the next one. */
    liveStreaks: (c: ChannelRef) => `${ch(c)}:streaks:live`,
    /** Sorted set: calendar month (yyyy-MM) → the channel's first round number in it (lazy streaks). */
    roundMonths: (c: ChannelRef) => `${ch(c)}:months`,
    /** Hash: channel counters; `rounds` = scheduled rounds scored (the round numbers streaks count). */
    channelMeta: (c: ChannelRef) => `${ch(c)}:meta`,
    /** Hash: server counters; `rounds` = scheduled rounds scored on the server (group participation). */
    serverMeta: (platform: PlatformName, serverId: string) => `${tag({ platform, serverId })}:meta`,
    /** Hash: a member's stats: answered, practice, cov, and per topic n:<topic>, c:<topic> (coverage ×1000). */
    stats: (platform: PlatformName, serverId: string, memberId: string) => `${tag({ platform, serverId })}:stats:${encodeURIComponent(memberId)}`,
    /** Hash: study group name → JSON { by, at, c team streak, b best team streak }. */
    groups: (platform: PlatformName, serverId: string) => `${tag({ platform, serverId })}:groups`,
    /** Hash: member id → JSON { n name, t joinedAt, j server rounds when joining, a rounds answered since }. */
    groupMembers: (platform: PlatformName, serverId: string, group: string) => `${tag({ platform, serverId })}:group:${encodeURIComponent(group)}:members`,
    /** Set: names of the groups a member is in. */
    memberGroups: (platform: PlatformName, serverId: string, memberId: string) => `${tag({ platform, serverId })}:mgroups:${encodeURIComponent(memberId)}`,
  };
}

/** Schedules, suggestions, server banks, notices, leases and other global keys. */
function settingsKeys(ns: string, tag: Tag, ch: Ch) {
  return {
    /** String: the channel's schedule (JSON ChannelSchedule). */
    schedule: (c: ChannelRef) => `${ch(c)}:schedule`,
    /** Hash (global): channel key → JSON ChannelRef of every channel with a schedule. */
    scheduleIndex: () => `${ns}:schedules`,
    /** Sorted set (global): JSON ChannelRef → the channel's next slot to handle (epoch ms). */
    schedulesDue: () => `${ns}:schedules:due`,
    /** Hash: skipped slot (epoch ms) → reason. */
    skips: (c: ChannelRef) => `${ch(c)}:skips`,
    /** BullMQ's own key prefix (never ioredis keyPrefix); the hash tag keeps a queue in one slot. */
    bullPrefix: () => `${ns}:bull`,
    /** String: a Slack installation (OAuth), by enterprise or team id. */
    slackInstall: (id: string) => `${ns}:slack:install:${id}`,
    /** String: state of a once-only notice (recap, reminder): `sending` or `sent`, expiring. */
    notice: (c: ServerLike, key: string) => `${tag(c)}:notice:${key}`,
    /** Hash: suggestion id → JSON suggestion (members' questions waiting for an admin, and decided ones). */
    suggestions: (c: ServerLike) => `${tag(c)}:suggestions`,
    /** String counter: the server's last suggestion number. */
    suggestionSeq: (c: ServerLike) => `${tag(c)}:suggestions:seq`,
    /** Set: ids of a member's pending suggestions (at most 5). */
    pendingSuggestions: (c: ServerLike, memberId: string) => `${tag(c)}:suggestions:pending:${encodeURIComponent(memberId)}`,
    /** Hash: question id → content file (Markdown) of the server's approved questions. */
    serverQuestions: (c: ServerLike) => `${tag(c)}:bank`,
    /** String counter: bumped whenever the server's own questions change (cached banks reload). */
    serverBankVersion: (c: ServerLike) => `${tag(c)}:bank:version`,
    /** Set: members who want a private nudge when their streak is at risk. */
    nudges: (c: ChannelRef) => `${ch(c)}:nudges`,
    /** String: member id holding the channel's reward role (the last weekly winner). */
    rewardHolder: (c: ChannelRef) => `${ch(c)}:reward`,
    /** Sorted set (global, single-key commands only): "<period> <JSON ChannelRef>" → next recap (epoch ms). */
    recapsDue: () => `${ns}:recaps:due`,
    /** Hash: answer hash → the model grader's JSON reply for that answer to this question (expiring). */
    modelGrades: (questionId: string) => `${ns}:grades:${encodeURIComponent(questionId)}`,
    /** String: holder of a named lease (a Discord shard, a notice being sent), with an expiry. */
    lease: (name: string) => `${ns}:lock:lease:{${name}}`,
    /** String: what the lease's holder saved for the next one (a shard's gateway session), in the lease's slot. */
    leaseState: (name: string) => `${ns}:lock:lease:{${name}}:state`,
    /** Short-lived claims (global names carry their own ids). */
    lock: (name: string) => `${ns}:lock:${name}`,
  };
}

function boardPrefix(ns: string, scope: BoardScope): string {
  switch (scope.kind) {
    case 'channel':
      return `${ns}:${serverTag(scope.channel.platform, scope.channel.serverId)}:ch:${scope.channel.channelId}`;
    case 'server':
      return `${ns}:${serverTag(scope.platform, scope.serverId)}:server`;
    case 'group':
      return `${ns}:${serverTag(scope.platform, scope.serverId)}:group:${encodeURIComponent(scope.group)}`;
    case 'practice':
      return `${ns}:${serverTag(scope.platform, scope.serverId)}:practice`;
  }
}

export type Keys = ReturnType<typeof createKeys>;
