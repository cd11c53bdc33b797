/**
 * A small in-process token bucket per key (the client IP), for the anonymous self-check.
 * It is per instance: behind a load balancer with N instances a client gets up to N times
 * the rate. That is acceptable for its purpose — keeping one client from monopolising an
 * instance — and needs no shared store.
 */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  updatedMs: number;
}

export class TokenBucketLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly refillPerMs: number;

  /**
   * @param perMinute sustained requests per minute, also the burst size.
   * @param nowMs the clock (injected so tests can move time).
   * @param maxKeys bound on remembered clients; full buckets are forgotten first.
   */
  constructor(
    private readonly perMinute: number,
    private readonly nowMs: () => number,
    private readonly maxKeys = 10_000,
  ) {
    if (!(perMinute > 0)) throw new Error('TokenBucketLimiter needs a positive rate');
    this.refillPerMs = perMinute / 60_000;
  }

  /** Takes one token for `key` if it has one. */
  take(key: string): RateDecision {
    const now = this.nowMs();
    const bucket = this.buckets.get(key) ?? { tokens: this.perMinute, updatedMs: now };
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + Math.max(0, now - bucket.updatedMs) * this.refillPerMs);
    bucket.updatedMs = now;
    if (!this.buckets.has(key)) {
      if (this.buckets.size >= this.maxKeys) this.evict(now);
      this.buckets.set(key, bucket);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.refillPerMs / 1000)) };
  }

  get size(): number {
    return this.buckets.size;
  }

  /** Forgets clients whose bucket has refilled (they lose nothing); if none, the oldest. */
  private evict(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.updatedMs) * this.refillPerMs >= this.perMinute) this.buckets.delete(key);
    }
    if (this.buckets.size < this.maxKeys) return;
    const oldest = this.buckets.keys().next();
    if (oldest.done !== true) this.buckets.delete(oldest.value);
  }
}
