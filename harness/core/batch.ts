/**
 * A suite's batch: the whole table runs once per environment (a worker's browser), the first time
 * any of its tests needs a result, and each test then takes its own result. Both suites (protocol,
 * server) keep their tables this way: one Playwright test per case or policy, one batch of
 * requests from open pages.
 */
export class LazyBatch<Env extends object, Result> {
  private current: { env: Env; results: Promise<Map<string, Result>> } | undefined;

  constructor(private readonly produce: (env: Env) => Promise<Map<string, Result>>) {}

  /**
   * The result for `key`, running the batch first if this environment has not run it (a new
   * worker, after a failure, runs it afresh). With `take`, the result is also forgotten, so memory
   * stays flat however large the table is; a key asked for again is then an error.
   */
  async get(env: Env, key: string, options: { take?: boolean } = {}): Promise<Result> {
    if (!this.current || this.current.env !== env) this.current = { env, results: this.produce(env) };
    const results = await this.current.results;
    const result = results.get(key);
    if (result === undefined) throw new Error(`${key} is not in this batch${options.take ? ' (or was already judged)' : ''}`);
    if (options.take) results.delete(key);
    return result;
  }
}
