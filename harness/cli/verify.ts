/**
 * `cors-conform verify`: arguments → (bundled sample when there is no URL) → run → output.
 * Exit codes: 0 pass; 1 a finding at or above --fail-on or an expectation not met; 2 bad usage or
 * an unreachable target (a UsageError, printed by harness/cli/main.ts as one line). Progress goes
 * to stderr, and only when stderr is a terminal.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../core/errors';
import { parseVerifyArgs, VERIFY_USAGE } from './verify-args';
import { render, runChecked } from '../verify';

function progressLine(): ((line: string) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return (line) => process.stderr.write(`\r\x1b[2Kcors-conform: ${line}`);
}

function writeOut(file: string, text: string, force: boolean): void {
  try {
    fs.writeFileSync(file, text, { flag: force ? 'w' : 'wx' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new UsageError(`--out ${file} already exists: pass --force to overwrite it`);
    throw new UsageError(`cannot write --out ${file}: ${code ?? (error as Error).message}`);
  }
}

/** Everything about --out that can be known before a run: never a whole run, then EISDIR. */
function checkOut(file: string, force: boolean): void {
  const dir = path.dirname(path.resolve(file));
  let stat: fs.Stats | null = null;
  try {
    stat = fs.statSync(file);
  } catch {
    // does not exist yet: the usual case
  }
  if (stat?.isDirectory())
    throw new UsageError(`--out ${file} is a directory: give a file name (e.g. ${path.join(file, 'cors-verify.json')})`);
  if (stat && !force) throw new UsageError(`--out ${file} already exists: pass --force to overwrite it`);
  if (!fs.existsSync(dir)) throw new UsageError(`--out ${file}: the directory ${path.dirname(file)} does not exist`);
  try {
    fs.accessSync(stat ? file : dir, fs.constants.W_OK);
  } catch {
    throw new UsageError(`--out ${file}: ${stat ? 'the file' : `the directory ${path.dirname(file)}`} is not writable`);
  }
}

export async function verifyCommand(argv: string[]): Promise<number> {
  const options = parseVerifyArgs(argv);
  if (options.help) {
    process.stdout.write(`${VERIFY_USAGE}\n`);
    return 0;
  }
  // Fail before any request rather than after a whole run.
  if (options.out !== null) checkOut(options.out, options.force);
  const progress = progressLine();
  try {
    const { run, sample } = await runChecked(options, {
      progress,
      // Machine formats keep stdout to themselves: the note goes to stderr.
      onSample: (description) => {
        if (options.format !== 'table' && options.format !== 'markdown') process.stderr.write(`cors-conform: ${description}\n`);
      },
    });
    if (progress) process.stderr.write('\r\x1b[2K');
    const text = render(options.format, run, options.failOn, sample);
    if (options.out !== null) {
      writeOut(options.out, text, options.force);
      if (progress) process.stderr.write(`cors-conform: ${run.verdict} – wrote ${options.out}\n`);
    } else {
      process.stdout.write(text);
    }
    return run.verdict === 'pass' ? 0 : 1;
  } finally {
    if (progress) process.stderr.write('\r\x1b[2K');
  }
}
