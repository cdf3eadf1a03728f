/**
 * Reading a JSON file a person wrote or a run produced, checked with a zod schema: every way it
 * can be wrong is one line that names the file and, for a schema mistake, the field
 * (`allow[0].methods[1]: not a valid method`). The expect file, the baseline and the matrix file
 * are all read here.
 */
import fs from 'node:fs';
import type { z } from 'zod';

export interface JsonFileText {
  /** How the file is named in messages: `expect file cors.json`, `baseline b.json`. */
  name: string;
  /** The sentence for a schema mistake, before the field: `baseline b.json is malformed (…)`. */
  invalid: string;
  /** Makes the error the caller's own kind (a UsageError, say). */
  error: (message: string) => Error;
}

export interface JsonFileOptions extends JsonFileText {
  /** The sentence when the file does not exist (what to do about it). */
  missing: string;
  /** Refuse larger files before reading them, saying why that is too large. */
  maxBytes?: number;
  tooLarge?: string;
}

/** A zod issue's path the way a person writes it: `allow[0].methods[1]`. */
export function issuePath(path: ReadonlyArray<PropertyKey>): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('') || '(top level)';
}

/** The first problem zod found, as `path: message` (unknown keys named), on one line. */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const keys = issue.code === 'unrecognized_keys' ? ` (${issue.keys.join(', ')})` : '';
  return `${issuePath(issue.path)}: ${issue.message}${keys}`.replace(/\s+/g, ' ');
}

/** Parses and checks JSON text. */
export function parseJson<T>(text: string, schema: z.ZodType<T>, options: JsonFileText): T {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw options.error(`${options.name} is not JSON: ${(error as Error).message.split('\n')[0]}`);
  }
  const checked = schema.safeParse(data);
  if (!checked.success) throw options.error(`${options.invalid}: ${firstIssue(checked.error)}`);
  return checked.data;
}

/** Reads, parses and checks a JSON file. */
export function readJsonFile<T>(file: string, schema: z.ZodType<T>, options: JsonFileOptions): T {
  let text: string;
  try {
    const stat = fs.statSync(file);
    if (stat.isDirectory()) throw options.error(`${options.name} is a directory: give the JSON file`);
    if (options.maxBytes !== undefined && stat.size > options.maxBytes) {
      throw options.error(
        `${options.name} is ${Math.ceil(stat.size / 1024)} KiB: ${options.tooLarge ?? `more than ${Math.round(options.maxBytes / 1024)} KiB`}`,
      );
    }
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === undefined) throw error;
    throw options.error(code === 'ENOENT' ? options.missing : `cannot read ${options.name}: ${code}`);
  }
  return parseJson(text, schema, options);
}
