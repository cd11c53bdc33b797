import type { Config } from '../config.ts';

/** What a command of the `aigov` CLI gets: the configuration, its arguments, where to write. */
export interface CommandContext {
  config: Config;
  args: string[];
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}

/** One `aigov <command>`: its one-line summary and what it does; the exit code it returns. */
export interface Command {
  summary: string;
  run(context: CommandContext): Promise<number>;
}
