/**
 * `cors-conform verify`: arguments → targets (one URL, the bundled sample, a config file, a URL
 * list, an OpenAPI file) → one run → outputs. Exit codes: 0 pass; 1 a finding at or above
 * --fail-on or an expectation not met (any target); 2 bad usage or, for one URL, an unreachable
 * target (a UsageError, printed by harness/cli/main.ts as one line). Progress goes to stderr, and
 * only when stderr is a terminal. When $GITHUB_STEP_SUMMARY is set, the Markdown report is
 * appended to it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../core/errors';
import { parseVerifyArgs, VERIFY_USAGE, type VerifyOptions } from './verify-args';
import {
  asRuns,
  browsersOf,
  cookieSource,
  FORMAT_FILES,
  listRequest,
  loadConfig,
  oneRequest,
  parseTargetList,
  render,
  runChecked,
  runRequest,
  shardOf,
  targetsFromOpenApi,
  type Format,
  type RunRequest,
  type VerifyRuns,
} from '../verify';

function progressLine(): ((line: string) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return (line) => process.stderr.write(`\r\x1b[2Kcors-conform: ${line}`);
}

function writeOut(file: string, text: string, force: boolean, option: string): void {
  try {
    fs.writeFileSync(file, text, { flag: force ? 'w' : 'wx' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new UsageError(`${option} ${file} already exists: pass --force to overwrite it`);
    throw new UsageError(`cannot write ${option} ${file}: ${code ?? (error as Error).message}`);
  }
}

/** Everything about --out that can be known before a run: never a whole run, then EISDIR. */
function checkOut(file: string, force: boolean, option = '--out'): void {
  const dir = path.dirname(path.resolve(file));
  let stat: fs.Stats | null = null;
  try {
    stat = fs.statSync(file);
  } catch {
    // does not exist yet: the usual case
  }
  if (stat?.isDirectory())
    throw new UsageError(`${option} ${file} is a directory: give a file name (e.g. ${path.join(file, 'cors-verify.json')})`);
  if (stat && !force) throw new UsageError(`${option} ${file} already exists: pass --force to overwrite it`);
  if (!fs.existsSync(dir)) throw new UsageError(`${option} ${file}: the directory ${path.dirname(file)} does not exist`);
  try {
    fs.accessSync(stat ? file : dir, fs.constants.W_OK);
  } catch {
    throw new UsageError(`${option} ${file}: ${stat ? 'the file' : `the directory ${path.dirname(file)}`} is not writable`);
  }
}

/** --out-dir: created when missing; no file in it is replaced without --force. */
function checkOutDir(dir: string, formats: readonly Format[], force: boolean): void {
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) throw new UsageError(`--out-dir ${dir} is a file: give a directory`);
  if (!fs.existsSync(dir)) {
    try {
      fs.mkdirSync(dir, { recursive: true });
    } catch (error) {
      throw new UsageError(`--out-dir ${dir} cannot be created: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }
  for (const f of formats) checkOut(path.join(dir, FORMAT_FILES[f]), force, '--out-dir:');
}

function readText(file: string, option: string): string {
  try {
    return fs.readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `${option} ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (code ?? 'unreadable')}`,
    );
  }
}

/** The run the options ask for; null for the bundled sample (no URL, no list). */
async function requestOf(options: VerifyOptions): Promise<RunRequest | null> {
  const cookies = () => cookieSource({ cookies: options.cookies, storageState: options.storageState });
  let request: RunRequest;
  switch (options.source.kind) {
    case 'url':
      if (options.url === null) return null;
      return oneRequest(options, cookies());
    case 'targets': {
      const name = options.source.file === '-' ? 'stdin' : options.source.file;
      const urls = parseTargetList(readText(options.source.file, '--targets'), `--targets ${name}`);
      request = listRequest(
        options,
        urls.map((url) => ({ url })),
        { cookies: cookies() },
      );
      break;
    }
    case 'openapi': {
      const listed = await targetsFromOpenApi(options.source.file, options.source.server);
      request = listRequest(options, listed.targets, { unrun: listed.unrun, cookies: cookies() });
      break;
    }
    case 'config': {
      const fromFile = await loadConfig(options.source.file);
      // How to run it may be given on the command line too, which then wins.
      const given = options.given;
      request = {
        ...fromFile,
        ...(given.has('browser') ? { browsers: browsersOf(options.browser) } : {}),
        ...(given.has('fail-on') ? { failOn: options.failOn } : {}),
        ...(given.has('timeout') ? { timeoutMs: options.timeoutMs } : {}),
        ...(given.has('concurrency') ? { concurrency: options.concurrency } : {}),
        ...(given.has('insecure') ? { insecure: options.insecure } : {}),
        ...(given.has('cookie') || given.has('storage-state') ? { cookies: cookies() } : {}),
      };
      break;
    }
  }
  return options.shard ? shardOf(request, options.shard) : request;
}

function listing(request: RunRequest, format: Format): string {
  if (format === 'json')
    return `${JSON.stringify(
      {
        targets: request.targets.map((t) => ({ url: t.targetUrl, ...(t.listedMethods ? { preflightOnly: t.listedMethods } : {}) })),
        notRun: request.unrun,
      },
      null,
      2,
    )}\n`;
  const lines = request.targets.map(
    (t) => `${t.targetUrl}${t.listedMethods?.length ? `  (preflight only: ${t.listedMethods.join(', ')})` : ''}`,
  );
  for (const u of request.unrun) lines.push(`${u.target}  not run: ${u.reason}`);
  return `${lines.join('\n')}\n`;
}

export async function verifyCommand(argv: string[]): Promise<number> {
  const options = parseVerifyArgs(argv);
  if (options.help) {
    process.stdout.write(`${VERIFY_USAGE}\n`);
    return 0;
  }
  // Fail before any request rather than after a whole run.
  if (options.out !== null) checkOut(options.out, options.force);
  const request = await requestOf(options);
  if (options.list) {
    process.stdout.write(listing(request!, options.format));
    return 0;
  }
  if (options.outDir !== null) checkOutDir(options.outDir, options.formats, options.force);
  const progress = progressLine();
  try {
    let runs: VerifyRuns;
    let note: string | null = null;
    if (request === null) {
      const { run, sample } = await runChecked(options, {
        progress,
        // Machine formats keep stdout to themselves: the note goes to stderr.
        onSample: (description) => {
          if (options.format !== 'table' && options.format !== 'markdown') process.stderr.write(`cors-conform: ${description}\n`);
        },
      });
      runs = asRuns(run);
      note = sample;
    } else {
      runs = await runRequest(request, { progress });
    }
    if (progress) process.stderr.write('\r\x1b[2K');
    const failOn = request?.failOn ?? options.failOn;
    if (options.outDir !== null) {
      for (const f of options.formats)
        writeOut(path.join(options.outDir, FORMAT_FILES[f]), render(f, runs, failOn, note), options.force, '--out-dir:');
      // The person (or CI log) still sees the table.
      process.stdout.write(render('table', runs, failOn, note));
      process.stderr.write(
        `cors-conform: ${runs.verdict} – wrote ${options.formats.map((f) => path.join(options.outDir!, FORMAT_FILES[f])).join(', ')}\n`,
      );
    } else {
      const text = render(options.format, runs, failOn, note);
      if (options.out !== null) {
        writeOut(options.out, text, options.force, '--out');
        if (progress) process.stderr.write(`cors-conform: ${runs.verdict} – wrote ${options.out}\n`);
      } else process.stdout.write(text);
    }
    const summary = process.env.GITHUB_STEP_SUMMARY;
    if (summary) {
      try {
        fs.appendFileSync(summary, render('markdown', runs, failOn, note));
      } catch (error) {
        process.stderr.write(
          `cors-conform: could not append to $GITHUB_STEP_SUMMARY (${(error as NodeJS.ErrnoException).code ?? 'error'})\n`,
        );
      }
    }
    return runs.verdict === 'pass' ? 0 : 1;
  } finally {
    if (progress) process.stderr.write('\r\x1b[2K');
  }
}
