/**
 * `cors-matrix.json`: the matrix for machines. Only what the suite decides is in it – no ports,
 * tokens, times or durations – and records are sorted, so two runs of the same suite (sharded and
 * merged, or not) give the same bytes.
 */
import { z } from 'zod';
import { readJsonFile } from '../harness/core/json-file';
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
      steps: z.array(z.looseObject({ observed: z.looseObject({ outcome: z.enum(['allowed', 'blocked', 'opaque']) }) })),
      verdict: z.enum(['pass', 'fail', 'deviation', 'not-run']),
    }),
  ),
});

export class MatrixFileError extends Error {
  override name = 'MatrixFileError';
}

/** Reads and checks a `cors-matrix.json`; throws MatrixFileError with a one-line message. */
export function readMatrixFile(file: string): Matrix {
  return readJsonFile(file, matrixFileSchema, {
    name: file,
    invalid: `${file} is not a CORS matrix (${MATRIX_SCHEMA})`,
    missing: `${file} does not exist: run the suite first (npx playwright test) or pass --from <cors-matrix.json>`,
    error: (message) => new MatrixFileError(message),
  }) as unknown as Matrix;
}
