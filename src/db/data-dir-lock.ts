import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export interface DataDirLock {
  release(): void;
}

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `The data directory ${dataDir} is in use by another aigov process (pid ${pid}). ` +
        'PGlite allows one process per directory: stop that process, or use PostgreSQL (DATABASE_URL) to run several.',
    );
    this.name = 'DataDirLockedError';
  }
}

/** `aigov.lock.<pid>.<random>`: one lock socket per process that holds or is taking the lock. */
const LOCK_SOCKET = /^aigov\.lock\.(\d+)\.[0-9a-f]{16}$/;
/** What older versions wrote: a pid file. Its pid proves nothing (see acquireDataDirLock). */
const LEGACY_PID_FILE = 'aigov.lock';
/** What a lock socket answers to a connection. */
type LockState = 'held' | 'acquiring';
/** A live holder that is busy (a long synchronous step) may answer late: then it holds. */
const GREETING_TIMEOUT_MS = 1000;
const MAX_ATTEMPTS = 20;
/** sun_path is 108 bytes on Linux and 104 on macOS, NUL included; Node truncates longer paths silently. */
const MAX_SOCKET_PATH_BYTES = 100;

/**
 * PGlite is a single-process database: two processes writing one directory would corrupt it.
 *
 * The lock is a Unix-domain socket in the data directory on which its owner listens. Whether a
 * lock is alive is asked of the kernel, never guessed from a pid: connecting to a socket whose
 * process has died (kill -9, OOM, power loss) is refused, whereas a pid file is fooled by a
 * zombie or a reused pid — the rule in containers, where pids restart from 1. Connecting
 * through the file also reaches a holder in another container that mounts the same volume.
 *
 * Each process takes its OWN socket, `aigov.lock.<pid>.<random>`, renamed into place only once
 * it listens, and then looks at the others: a live one means refused; a refused one is dead for
 * good (a socket cannot listen again once closed, and no one else uses its name), so it is
 * deleted. Two processes can never both hold the lock — whichever listed the directory last saw
 * the other's live socket — and when two start together and each sees the other `acquiring`,
 * both step back for a random moment and try again.
 */
export async function acquireDataDirLock(dataDir: string): Promise<DataDirLock> {
  const dir = lockDirectory(dataDir);
  try {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      const own = await listenOnLockSocket(dir);
      let rival: Rival | undefined;
      try {
        rival = await firstLiveRival(dir, own.name);
      } catch (error) {
        own.close();
        throw error;
      }
      if (rival === undefined) {
        own.state = 'held';
        return holdLock(dir, own);
      }
      own.close();
      if (rival.state === 'held') throw new DataDirLockedError(dataDir, rival.pid);
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * (attempt + 1)));
    }
    throw new Error(`Could not lock the data directory ${dataDir}: other processes kept starting on it`);
  } catch (error) {
    dir.close();
    throw error;
  }
}

/** The data directory, and socket paths into it that fit in sun_path. */
interface LockDirectory {
  readonly dataDir: string;
  socketPath(name: string): string;
  close(): void;
}

function lockDirectory(dataDir: string): LockDirectory {
  const direct = (name: string) => path.join(dataDir, name);
  const longest = direct(`aigov.lock.${'9'.repeat(10)}.${'f'.repeat(16)}`);
  if (Buffer.byteLength(longest) <= MAX_SOCKET_PATH_BYTES) return { dataDir, socketPath: direct, close: () => {} };
  if (process.platform !== 'linux') {
    throw new Error(
      `The data directory path ${dataDir} is too long for its lock socket: use one of at most ${MAX_SOCKET_PATH_BYTES - 40} bytes`,
    );
  }
  // On Linux a deep directory is reached through /proc/self/fd/<fd> of an open descriptor of it,
  // kept open as long as the lock (the socket's own file is unlinked through it on close).
  const fd = fs.openSync(dataDir, 'r');
  return { dataDir, socketPath: (name) => `/proc/self/fd/${fd}/${name}`, close: () => fs.closeSync(fd) };
}

interface OwnSocket {
  readonly name: string;
  state: LockState;
  /** Stops listening and removes the socket file (synchronously: safe in an exit handler). */
  close(): void;
}

async function listenOnLockSocket(dir: LockDirectory): Promise<OwnSocket> {
  const suffix = `${process.pid}.${randomBytes(8).toString('hex')}`;
  const name = `aigov.lock.${suffix}`;
  // Bound under a name nobody looks at, then renamed into place: a visible lock socket is
  // always listening, so a refused connection can only mean a dead one.
  const bound = `.aigov.lock-binding.${suffix}`;
  const server = net.createServer((socket) => {
    socket.on('error', () => undefined);
    socket.end(`${own.state}\n`);
  });
  server.unref();
  const own: OwnSocket = {
    name,
    state: 'acquiring',
    close: () => {
      server.close();
      fs.rmSync(path.join(dir.dataDir, name), { force: true });
    },
  };
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(dir.socketPath(bound), () => {
      server.off('error', reject);
      resolve();
    });
  });
  try {
    fs.renameSync(path.join(dir.dataDir, bound), path.join(dir.dataDir, name));
  } catch (error) {
    server.close();
    throw error;
  }
  return own;
}

interface Rival {
  pid: number;
  state: LockState;
}

/** The first other lock socket that is alive; dead ones and an old pid file are deleted on the way. */
async function firstLiveRival(dir: LockDirectory, ownName: string): Promise<Rival | undefined> {
  for (const name of fs.readdirSync(dir.dataDir)) {
    if (name === LEGACY_PID_FILE) {
      // Written by an older aigov; its pid may well be alive and someone else (our own, or 1).
      fs.rmSync(path.join(dir.dataDir, name), { force: true });
      continue;
    }
    const match = LOCK_SOCKET.exec(name);
    if (match === null || name === ownName) continue;
    const state = await probe(dir.socketPath(name));
    if (state === 'gone') continue;
    if (state === 'dead') {
      fs.rmSync(path.join(dir.dataDir, name), { force: true });
      continue;
    }
    return { pid: Number(match[1]), state };
  }
  return undefined;
}

/** A lock socket's state: what it answers, `dead` when nobody listens, `gone` when the file is. */
function probe(socketPath: string): Promise<LockState | 'dead' | 'gone'> {
  return new Promise((resolve) => {
    const socket = net.connect(socketPath);
    let answer = '';
    let connected = false;
    const finish = (state: LockState | 'dead' | 'gone') => {
      clearTimeout(timer);
      socket.destroy();
      resolve(state);
    };
    const timer = setTimeout(() => finish('held'), GREETING_TIMEOUT_MS);
    socket.setEncoding('utf8');
    socket.on('connect', () => (connected = true));
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('end', () => finish(answer.trim() === 'acquiring' ? 'acquiring' : 'held'));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (connected) finish('held');
      else if (error.code === 'ECONNREFUSED' || error.code === 'ENOTSOCK') finish('dead');
      else if (error.code === 'ENOENT') finish('gone');
      // Anything else (EACCES: another user's socket) cannot be judged: refuse rather than risk it.
      else finish('held');
    });
  });
}

function holdLock(dir: LockDirectory, own: OwnSocket): DataDirLock {
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    process.off('exit', release);
    own.close();
    dir.close();
  };
  // A graceful exit that forgot to close the database still leaves no socket behind.
  process.once('exit', release);
  return { release };
}
