/**
 * Writes the three forms of the matrix into one directory. The reporter and the tests call this
 * same function, so the page a test opens is the page a run writes.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Drift } from './baseline';
import { renderHtml, type RunInfo } from './html';
import { matrixToJson } from './json';
import { renderMarkdown } from './markdown';
import type { Matrix } from './matrix';

export const MATRIX_FILES = { html: 'cors-matrix.html', json: 'cors-matrix.json', markdown: 'cors-matrix.md' } as const;

export interface WriteOptions {
  run?: RunInfo;
  drift?: { drift: Drift; file: string };
  /** Append the Markdown here too (the reporter passes $GITHUB_STEP_SUMMARY). */
  stepSummary?: string;
}

export interface Written {
  html: string;
  json: string;
  markdown: string;
}

export function writeMatrixReports(dir: string, matrix: Matrix, options: WriteOptions = {}): Written {
  fs.mkdirSync(dir, { recursive: true });
  const out: Written = {
    html: path.join(dir, MATRIX_FILES.html),
    json: path.join(dir, MATRIX_FILES.json),
    markdown: path.join(dir, MATRIX_FILES.markdown),
  };
  const markdown = renderMarkdown(matrix, { drift: options.drift });
  fs.writeFileSync(out.json, matrixToJson(matrix));
  fs.writeFileSync(out.markdown, markdown);
  fs.writeFileSync(out.html, renderHtml(matrix, { run: options.run, drift: options.drift }));
  if (options.stepSummary) fs.appendFileSync(options.stepSummary, `${markdown}\n`);
  return out;
}
