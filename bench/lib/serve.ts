/**
 * Child-process entry of spawnBenchServer: starts one server, reports its URL over IPC,
 * answers CPU-time queries, records a CPU profile between `profile-start` and
 * `{profileStopTo: file}`, closes cleanly on SIGTERM (the PGlite lock and temp directory go
 * with it) and exits if the bench process disappears.
 */
import fs from 'node:fs';
import { Session } from 'node:inspector';
import { LOG_LEVELS, type LogLevel } from '../../src/config.ts';
import {
  HELLO_VARIANTS,
  startAigovServer,
  startHelloServer,
  type BenchServer,
  type HelloVariant,
  type ServeMessage,
} from './http.ts';

const [kind = '', level = ''] = process.argv.slice(2);
if (!(LOG_LEVELS as readonly string[]).includes(level)) throw new Error(`bad log level ${level}`);
const logLevel = level as LogLevel;
const databaseUrl = process.env.BENCH_SERVER_DATABASE_URL || undefined;

let server: BenchServer;
if (kind === 'aigov') {
  server = await startAigovServer({ logLevel, databaseUrl });
} else if (kind.startsWith('hello:') && (HELLO_VARIANTS as readonly string[]).includes(kind.slice(6))) {
  server = await startHelloServer(logLevel, kind.slice(6) as HelloVariant);
} else {
  throw new Error(`unknown server kind ${kind}`);
}

const send = (message: ServeMessage) => process.send!(message);
const stop = () => {
  server.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGTERM', stop);
process.once('disconnect', stop);
let profiler: Session | undefined;
process.on('message', (message) => {
  if (message === 'cpu') {
    const usage = process.cpuUsage();
    send({ cpuMicros: usage.user + usage.system });
  } else if (message === 'profile-start') {
    profiler = new Session();
    profiler.connect();
    profiler.post('Profiler.enable', () => profiler!.post('Profiler.start', () => send({ profiling: true })));
  } else if (typeof message === 'object' && message !== null && 'profileStopTo' in message) {
    // A V8 CPU profile of what the server did since profile-start, for chrome://inspect or speedscope.
    const file = String(message.profileStopTo);
    profiler?.post('Profiler.stop', (error, result) => {
      if (error === null) fs.writeFileSync(file, JSON.stringify(result.profile));
      profiler?.disconnect();
      profiler = undefined;
      send({ profile: error === null ? file : undefined });
    });
  }
});
send({ url: server.url });
