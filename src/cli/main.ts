import { ConfigError, loadConfig, redactUrl, type Config } from '../config.ts';
import { DataDirLockedError } from '../db/data-dir-lock.ts';
import { commands, type CommandContext } from './commands.ts';

const USAGE = `aigov — AI industry regulation platform

Usage: aigov <command> [options]

Commands:
${Object.entries(commands)
  .map(([name, command]) => `  ${name.padEnd(14)}${command.summary}`)
  .join('\n')}
`;

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(USAGE);
    return name === undefined ? 1 : 0;
  }
  const command = commands[name];
  if (command === undefined) {
    process.stderr.write(`aigov: unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const problem of error.problems) process.stderr.write(`aigov: configuration error: ${problem}\n`);
      return 1;
    }
    throw error;
  }
  const context: CommandContext = { config, args, out: process.stdout, err: process.stderr };
  try {
    return await command.run(context);
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      process.stderr.write(`aigov: ${error.message}\n`);
      return 1;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`aigov ${name}: ${redactUrl(message)}\n`);
    if (config.logLevel === 'debug' || config.logLevel === 'trace') console.error(error);
    return 1;
  }
}

const code = await main(process.argv.slice(2));
// `serve` keeps running until a signal; every other command ends here.
if (code !== 0 || process.argv[2] !== 'serve') process.exit(code);
