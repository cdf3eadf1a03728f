/**
 * `cors-conform` command dispatcher. Every command returns its exit code; a UsageError becomes
 * one line on stderr and exit code 2 – never a stack trace.
 */
import { EXPLAIN_USAGE, explainCommand } from './explain';
import { BASELINE_USAGE, baselineCommand } from './baseline';
import { UsageError } from '../core/errors';
import { packageInfo } from '../core/package-info';
import type { verifyCommand as VerifyCommand } from './verify';

/**
 * Loaded on first use: verify pulls in Playwright (seconds to load on a busy machine), which
 * explain and baseline do not need.
 */
function verifyCommand(argv: string[]): ReturnType<typeof VerifyCommand> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load; import() does not go through tsx's CommonJS hook
  return (require('./verify') as { verifyCommand: typeof VerifyCommand }).verifyCommand(argv);
}

const USAGE = `cors-conform – will the browser let a page on origin A read this response from origin B?

  cors-conform [verify]      check a server in a real browser (no URL: the bundled sample)
                             verify <url> --origin <origin> [...]; see cors-conform verify --help
  cors-conform explain ...   what the Fetch Standard says, no browser
                             ${EXPLAIN_USAGE.slice(7)}
  cors-conform --version     the version of cors-conform
  cors-conform baseline ...  save the outcomes of a run as a committed baseline, or check a run against it
                             ${BASELINE_USAGE.slice(7).replace('\n       ', '\n                             ')}
`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      // No arguments at all: verify the bundled sample, so a first run shows what the tool does.
      case undefined:
        return await verifyCommand([]);
      case 'verify':
        return await verifyCommand(rest);
      case 'explain':
        if (rest.includes('--help') || rest.includes('-h')) {
          process.stdout.write(`${EXPLAIN_USAGE}\n`);
          return 0;
        }
        process.stdout.write(`${JSON.stringify(explainCommand(rest))}\n`);
        return 0;
      case 'baseline':
        return baselineCommand(rest);
      case '--version':
      case '-v':
        process.stdout.write(`${packageInfo().version}\n`);
        return 0;
      case '--help':
      case '-h':
      case 'help':
        process.stdout.write(USAGE);
        return 0;
      default:
        throw new UsageError(`unknown command "${command ?? ''}": try cors-conform --help`);
    }
  } catch (error) {
    // One line, whatever the message holds: a caller's error text may span lines.
    const line = (text: string) => text.replace(/\s*\n\s*/g, ' ').trim();
    if (error instanceof UsageError) {
      process.stderr.write(`cors-conform: ${line(error.message)}\n`);
      return error.exitCode;
    }
    process.stderr.write(`cors-conform: internal error: ${line((error as Error).message)}\n`);
    return 3;
  }
}
