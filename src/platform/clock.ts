/** The one source of "now": injected so tests can move time (statutory clocks, expiry). */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * The rehearsal clock of API-CONTRACT-2 §0: it reads `start` when created and then runs at
 * normal speed (on the monotonic clock, so a change of the host's time does not move it).
 */
export function clockStartingAt(start: Date): Clock {
  const origin = performance.now();
  const startMs = start.getTime();
  return { now: () => new Date(startMs + (performance.now() - origin)) };
}

/** The server's clock: the system clock, or the rehearsal clock when `AIGOV_CLOCK_START` is set. */
export function clockOf(config: { clockStart: Date | undefined }): Clock {
  return config.clockStart === undefined ? systemClock : clockStartingAt(config.clockStart);
}

/** A clock tests can set and advance. */
export class ManualClock implements Clock {
  private current: Date;

  constructor(start: Date | string = '2026-03-02T02:00:00Z') {
    this.current = new Date(start);
  }

  now(): Date {
    return new Date(this.current);
  }

  set(instant: Date | string): void {
    this.current = new Date(instant);
  }

  advanceMs(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }

  advanceDays(days: number): void {
    this.advanceMs(days * 86_400_000);
  }
}
