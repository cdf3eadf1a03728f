/**
 * The bound on the wire: at most `concurrency` requests in flight to each target host, from Node
 * and from the browser together, and a deadline for each whole exchange (headers and body).
 *
 * Why a gate outside the page: a page can only count its own promises, and browsers do not stop
 * talking to the target when a promise settles. Measured (Chromium 156): a preflight goes on after
 * the page aborts its fetch, and the connection of a CORS-blocked response stays open until the
 * page closes; so the page's count let 4 requests reach a slow target at --concurrency 2, and 16
 * at --concurrency 1 when bodies came late. Every request a verify run makes passes through one
 * of these gates – Node's own (raw-http.ts) and the browser's (proxy.ts) – and holds its slot
 * until the target is done with it.
 */

/**
 * How long a slot stays taken after we cut an exchange (a deadline, a body past the limit, a
 * browser that gave up). A clean ending needs no wait: the target finishes writing before the
 * last byte can be read. A cut one does: we know the connection is gone at once, the target only
 * when its close arrives – and until then it still counts the request (measured: one request too
 * many at --concurrency 2, in 1 of 20 runs, when Node cut a 10 MB body at its limit).
 */
export const CUT_GRACE_MS = 250;

/** Gives the slot back after the grace a cut exchange needs. */
export function releaseAfterCut(release: Release): void {
  setTimeout(release, CUT_GRACE_MS);
}

/** A slot's owner gives it back once; a second call does nothing. */
export type Release = () => void;

/** A counting gate with a FIFO queue. `acquire` can give up at a deadline (then null). */
export class Limiter {
  private active = 0;
  private readonly waiting: Array<{ grant: (release: Release) => void }> = [];
  /** The most slots ever held at once (tests and the bench read it). */
  peak = 0;

  constructor(readonly max: number) {}

  private slot(): Release {
    this.active++;
    this.peak = Math.max(this.peak, this.active);
    let given = false;
    return () => {
      if (given) return;
      given = true;
      this.active--;
      this.waiting.shift()?.grant(this.slot());
    };
  }

  /** Waits for a slot; resolves null when `deadline` (a Date.now() value) passes first. */
  acquire(deadline = Infinity): Promise<Release | null> {
    if (this.active < this.max) return Promise.resolve(this.slot());
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const entry = {
        grant: (release: Release) => {
          if (timer) clearTimeout(timer);
          resolve(release);
        },
      };
      this.waiting.push(entry);
      if (deadline !== Infinity) {
        timer = setTimeout(
          () => {
            const i = this.waiting.indexOf(entry);
            if (i >= 0) this.waiting.splice(i, 1);
            resolve(null);
          },
          Math.max(0, deadline - Date.now()),
        );
      }
    });
  }

  /** Runs `task` in a slot (no deadline on the wait). */
  async run<T>(task: () => Promise<T>): Promise<T> {
    const release = (await this.acquire())!;
    try {
      return await task();
    } finally {
      release();
    }
  }
}

/** `host:port` with the scheme's default port written out: the unit the bound is kept per. */
export function hostPortOf(url: string | URL): string {
  const u = typeof url === 'string' ? new URL(url) : url;
  return `${u.hostname}:${u.port || (u.protocol === 'https:' ? 443 : 80)}`;
}

/** One run's bound: a limiter per target host:port and the deadline of every exchange. */
export class WireGate {
  private readonly limiters = new Map<string, Limiter>();

  constructor(
    readonly concurrency: number,
    readonly timeoutMs: number,
  ) {}

  limiterFor(url: string | URL): Limiter {
    const key = hostPortOf(url);
    let limiter = this.limiters.get(key);
    if (!limiter) {
      limiter = new Limiter(this.concurrency);
      this.limiters.set(key, limiter);
    }
    return limiter;
  }

  /** The most requests that were ever in flight to one host through this gate. */
  peak(url: string | URL): number {
    return this.limiters.get(hostPortOf(url))?.peak ?? 0;
  }
}
