/**
 * Slack's Web API client and Bolt app as quizbot configures them: calls that time out, retry
 * briefly and hand long rate limits back to the job (fencing), logs through quizbot's logger,
 * and the bot token of each workspace.
 */
import { App as BoltApp, LogLevel, webApi } from '@slack/bolt';
import type { InstallationStore } from '@slack/oauth';
import type { SlackConfig } from '../../config/env.js';
import type { Logger } from '../../core/ports.js';

export const SCOPES = [
  'chat:write',
  'commands',
  'channels:history',
  'groups:history',
  'reactions:read',
  'reactions:write',
  'users:read',
  'usergroups:read',
  'usergroups:write',
  'channels:read',
  'groups:read',
  'im:write',
];
/** A Slack call gives up after this (well within a round's 60 s lease, retries included). */
const CALL_TIMEOUT_MS = 15_000;
/** A 429 asking to wait at most this long is waited out in place; longer ones go back to the job. */
const SHORT_LIMIT_S = 3;

/** fetch for the WebClient: waits out one short 429 (Retry-After ≤ 3 s) itself. */
async function waitingOutShortLimits(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const res = await fetch(input, init);
  if (res.status !== 429) return res;
  const after = Number(res.headers.get('retry-after'));
  if (!Number.isFinite(after) || after < 0 || after > SHORT_LIMIT_S) return res;
  await res.body?.cancel();
  await new Promise((r) => setTimeout(r, after * 1000));
  return fetch(input, init);
}

/** Added to each recorded thread reply. */
export const ACK_REACTION = 'white_check_mark';
/** Thread replies with these subtypes are answers too ("also send to channel", a reply with a file). */
export const ANSWER_SUBTYPES = new Set(['thread_broadcast', 'file_share']);
export const VOTE_REACTIONS = new Set(['+1', 'thumbsup', '+1::skin-tone-2', '+1::skin-tone-3', '+1::skin-tone-4', '+1::skin-tone-5', '+1::skin-tone-6']);
export const EVENT_DEDUPE_S = 3600;
/** Message metadata event type: marks quizbot's own messages with their round and part. */
export const METADATA_EVENT = 'quizbot_round';
export const ADMIN_CACHE_MS = 5 * 60_000;

/** The Slack error code of a failed Web API call (`channel_not_found`, …). */
export const errorCode = (err: unknown) => (err as { data?: { error?: string } }).data?.error;

export interface BoltOptions {
  retries?: number;
  installations?: InstallationStore;
}

function clientOptions(cfg: SlackConfig, retries: number | undefined) {
  return {
    ...(cfg.apiUrl ? { slackApiUrl: cfg.apiUrl } : {}),
    timeout: CALL_TIMEOUT_MS,
    rejectRateLimitedCalls: true,
    fetch: waitingOutShortLimits,
    retryConfig: retries !== undefined ? { retries, factor: 1, minTimeout: 10, maxTimeout: 50 } : { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 2_000 },
  };
}

/**
 * The client quizbot posts messages with: never retried by the client. A `chat.postMessage` that
 * timed out may have posted (Slack has no idempotency key); retrying it blindly posts twice. The
 * job retries instead, and its resume looks for the message first.
 */
export function createSender(cfg: SlackConfig, logger: Logger): webApi.WebClient {
  return new webApi.WebClient(undefined, {
    ...clientOptions(cfg, 0),
    logger: slackLogger(logger),
    logLevel: webApi.LogLevel.WARN,
  });
}

/** Bolt's and the Socket Mode client's logs go to quizbot's logger (JSON, secrets redacted). */
function slackLogger(logger: Logger) {
  return {
    debug: () => {},
    info: () => {},
    warn: (...m: unknown[]) => logger.warn('slack', { detail: m.map(String).join(' ') }),
    error: (...m: unknown[]) => logger.warn('slack', { detail: m.map(String).join(' ') }),
    setLevel: () => {},
    getLevel: () => LogLevel.WARN,
    setName: () => {},
  };
}

/** The Bolt app for the configured mode: Socket Mode, HTTP with one bot token, or HTTP with OAuth installs. */
export function createBolt(cfg: SlackConfig, logger: Logger, opts: BoltOptions): BoltApp {
  const clientOptions_ = clientOptions(cfg, opts.retries);
  // Socket reconnects are routine: warnings, not errors.
  const common = { logger: slackLogger(logger), logLevel: LogLevel.WARN, clientOptions: clientOptions_, ignoreSelf: true };
  const installationStore = opts.installations;
  if (cfg.mode === 'http' && cfg.oauth && !installationStore) throw new Error('Slack OAuth needs an installation store');
  let bolt: BoltApp;
  if (cfg.mode === 'socket') {
    bolt = new BoltApp({ token: cfg.botToken, appToken: cfg.appToken, socketMode: true, installerOptions: { clientOptions: clientOptions_ }, ...common });
  } else if (cfg.oauth) {
    bolt = new BoltApp({
      signingSecret: cfg.signingSecret,
      clientId: cfg.oauth.clientId,
      clientSecret: cfg.oauth.clientSecret,
      stateSecret: cfg.oauth.stateSecret,
      scopes: SCOPES,
      installationStore,
      installerOptions: { directInstall: true },
      ...common,
    });
  } else if (cfg.botToken) {
    bolt = new BoltApp({ signingSecret: cfg.signingSecret, token: cfg.botToken, ...common });
  } else {
    throw new Error('Slack HTTP mode needs SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET (OAuth installs).');
  }
  return bolt;
}

/** The bot token for a workspace: the configured one, or the OAuth installation's. */
export function tokenSource(cfg: SlackConfig, installationStore: InstallationStore | undefined): (teamId: string) => Promise<string> {
  return async (teamId: string): Promise<string> => {
    if (cfg.mode === 'socket') return cfg.botToken;
    if (cfg.botToken) return cfg.botToken;
    const inst = await installationStore!.fetchInstallation({ teamId, enterpriseId: undefined, isEnterpriseInstall: false });
    if (!inst.bot?.token) throw new Error(`no bot token installed for Slack workspace ${teamId}`);
    return inst.bot.token;
  };
}
