/**
 * Registers quizbot's Discord application commands. Run once after creating the application
 * and again when the commands change — start-up never re-registers.
 *
 *   npm run register-commands                 # global (all servers; may take a while to appear)
 *   npm run register-commands -- --guild 123  # one server, instantly (for testing)
 *
 * Reads DISCORD_TOKEN, DISCORD_APPLICATION_ID (and DISCORD_API_URL) through the app's config.
 */
import { parseArgs } from 'node:util';
import { REST, Routes } from 'discord.js';
import { ConfigError, loadConfig } from '../src/config/env.js';
import { COMMAND_DEFINITIONS } from '../src/platforms/discord/commands.js';

export async function registerCommands(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(
      'Usage: npm run register-commands [-- --guild <id>]\nRegisters quizbot’s Discord commands (globally, or in one guild at once for testing).\nNeeds DISCORD_TOKEN and DISCORD_APPLICATION_ID in the environment.\n',
    );
    return 0;
  }
  const { values } = parseArgs({ args: argv, options: { guild: { type: 'string' } } });
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      return 1;
    }
    throw e;
  }
  if (!config.discord) {
    process.stderr.write('Set DISCORD_TOKEN and DISCORD_APPLICATION_ID first (see README, "Discord setup").\n');
    return 1;
  }
  const rest = new REST(config.discord.apiUrl ? { api: config.discord.apiUrl } : {}).setToken(config.discord.token);
  const route = values.guild
    ? Routes.applicationGuildCommands(config.discord.applicationId, values.guild)
    : Routes.applicationCommands(config.discord.applicationId);
  const result = (await rest.put(route, { body: COMMAND_DEFINITIONS })) as unknown[];
  process.stdout.write(
    `Registered ${result.length} commands ${values.guild ? `in server ${values.guild}` : 'globally'}: ${COMMAND_DEFINITIONS.map((c) => `/${c.name}`).join(', ')}\n`,
  );
  return 0;
}

registerCommands(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`Registration failed: ${(err as Error).message}\n`);
    process.exit(1);
  },
);
