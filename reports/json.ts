/**
 * `cors-matrix.json`: the matrix for machines. Only what the suite decides is in it – no ports,
 * tokens, times or durations – and records are sorted, so two runs of the same suite (sharded and
 * merged, or not) give the same bytes.
 */
import fs from 'node:fs';
import { z } from 'zod';
import { MATRIX_SCHEMA, type Matrix } from './matrix';

export function matrixToJson(matrix: Matrix): string {
  return `${JSON.stringify(matrix, null, 2)}\n`;
}

const counts = z.object({ pass: z.number(), fail: z.number(), deviation: z.number(), notRun: z.number(), total: z.number() });

/** What readers of a matrix file (baseline, verify) rely on; the rest of each record passes through. */
export const matrixFileSchema = z.looseObject({
  schema: z.literal(MATRIX_SCHEMA),
  summary: z.looseObject({ cases: z.number(), records: z.number(), totals: counts }),
  records: z.array(
    z.looseObject({
      suite: z.string(),
      caseId: z.string(),
      category: z.string(),
      server: z.string(),
      policy: z.string().optional(),
      browser: z.looseObject({ name: z.string(), version: z.string() }),
      steps: z.array(z.looseObject({ observed: z.looseObject({ outcome: z.enum(['allowed', 'blocked']) }) })),
      verdict: z.enum(['pass', 'fail', 'deviation', 'not-run']),
    }),
  ),
});

/** The first problem zod found, as `path: message` – one line for a person. */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const where = issue.path.length > 0 ? issue.path.join('.') : 'top level';
  return `${where}: ${issue.message}`;
}

export class MatrixFileError extends Error {
  override name = 'MatrixFileError';
}

/** Reads and checks a `cors-matrix.json`; throws MatrixFileError with a one-line message. */
export function readMatrixFile(file: string): Matrix {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new MatrixFileError(
      code === 'ENOENT'
        ? `${file} does not exist: run the suite first (npx playwright test) or pass --from <cors-matrix.json>`
        : `cannot read ${file}: ${code ?? (error as Error).message}`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new MatrixFileError(`${file} is not JSON: ${(error as Error).message}`);
  }
  const checked = matrixFileSchema.safeParse(data);
  if (!checked.success) throw new MatrixFileError(`${file} is not a CORS matrix (${MATRIX_SCHEMA}): ${firstIssue(checked.error)}`);
  return checked.data as unknown as Matrix;
}
