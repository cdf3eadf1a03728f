/**
 * `--openapi <file>`: an OpenAPI 3.x description (JSON or YAML) as a list of targets. Parsed,
 * validated and dereferenced by @readme/openapi-parser; then each path of the first server (a
 * path's own `servers` first) is a target:
 *
 * - a concrete path as it is; a templated one (`/users/{id}`) with its parameters' `example`
 *   values (the parameter's `example`, its first `examples` entry, or its schema's); a path with a
 *   parameter that has none is listed as not run, with the reason;
 * - the operations it lists besides GET, HEAD, POST (whose empty-form request is probed anyway)
 *   and OPTIONS are methods the user did not name: only their preflight goes out, from Node
 *   (plan.ts), unless the user names them with --method.
 *
 * Only the first server is used: a description often lists production and staging, and verify
 * sends nothing to a server the user did not point it at (name another with --openapi-server).
 */
import path from 'node:path';
import { dereference, validate, compileErrors } from '@readme/openapi-parser';
import { UsageError } from '../core/errors';
import { parseTargetUrl } from './options';
import type { NotRunTarget } from './run';

export interface OpenApiTarget {
  url: string;
  /** Operations on the path other than GET, HEAD, POST, OPTIONS and TRACE. */
  listedMethods: string[];
}

const OPERATIONS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
/** Probed anyway (GET, HEAD, the empty-form POST), a preflight's own method, or forbidden (TRACE). */
const NOT_LISTED = new Set(['get', 'head', 'post', 'options', 'trace']);

interface Parameter {
  name?: string;
  in?: string;
  example?: unknown;
  examples?: Record<string, { value?: unknown }>;
  schema?: { example?: unknown; examples?: unknown[] };
}

interface ServerObject {
  url?: string;
  variables?: Record<string, { default?: string }>;
}

interface Description {
  openapi?: string;
  swagger?: string;
  servers?: ServerObject[];
  paths?: Record<string, Record<string, unknown> & { parameters?: Parameter[]; servers?: ServerObject[] }>;
}

function firstLine(error: unknown): string {
  return (
    String((error as Error).message ?? error)
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l !== '') ?? 'unreadable'
  );
}

function exampleOf(p: Parameter): string | null {
  const candidates = [p.example, ...Object.values(p.examples ?? {}).map((e) => e?.value), p.schema?.example, p.schema?.examples?.[0]];
  const value = candidates.find((v) => v !== undefined && v !== null && typeof v !== 'object');
  return value === undefined ? null : String(value);
}

function serverUrl(server: ServerObject, where: string, file: string): string {
  let url = server.url ?? '';
  for (const [name, variable] of Object.entries(server.variables ?? {})) url = url.split(`{${name}}`).join(variable.default ?? '');
  if (!/^https?:\/\//i.test(url))
    throw new UsageError(
      `openapi ${file}: ${where} "${server.url ?? ''}" is not an absolute http(s) URL: give the server to check with --openapi-server <url>`,
    );
  return url.replace(/\/+$/, '');
}

/** Reads the description and lists its targets; every problem is one UsageError line. */
export async function targetsFromOpenApi(
  file: string,
  serverOverride: string | null = null,
): Promise<{ targets: OpenApiTarget[]; unrun: NotRunTarget[] }> {
  const abs = path.resolve(file);
  let api: Description;
  try {
    const checked = await validate(abs, { resolve: { external: true, file: true } });
    if (!checked.valid) throw new UsageError(`openapi ${file} is not a valid description: ${firstLine(compileErrors(checked))}`);
    api = (await dereference(abs, { resolve: { external: true, file: true } })) as Description;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || /ENOENT|no such file/i.test(String((error as Error).message)))
      throw new UsageError(`openapi ${file} does not exist: give the path of your OpenAPI file (JSON or YAML)`);
    throw new UsageError(`openapi ${file} cannot be read: ${firstLine(error)}`);
  }
  if (api.swagger !== undefined || !/^3\./.test(api.openapi ?? ''))
    throw new UsageError(
      `openapi ${file} is ${api.swagger ? `Swagger ${api.swagger}` : 'not OpenAPI 3.x'}: verify reads OpenAPI 3.0 and 3.1`,
    );
  const base = serverOverride ?? (api.servers?.[0] ? serverUrl(api.servers[0], 'servers[0].url', file) : null);
  const targets: OpenApiTarget[] = [];
  const unrun: NotRunTarget[] = [];
  for (const [template, item] of Object.entries(api.paths ?? {})) {
    const root = item.servers?.[0] && !serverOverride ? serverUrl(item.servers[0], `paths["${template}"].servers[0].url`, file) : base;
    if (root === null)
      throw new UsageError(`openapi ${file} names no server: add servers: [{ url: https://… }] or give one with --openapi-server <url>`);
    const operations = OPERATIONS.filter((op) => item[op] !== undefined);
    const parameters = [
      ...(item.parameters ?? []),
      ...operations.flatMap((op) => ((item[op] as { parameters?: Parameter[] }).parameters ?? []) as Parameter[]),
    ].filter((p) => p.in === 'path');
    let missing: string | null = null;
    const concrete = template.replace(/\{([^}]+)\}/g, (_m, name: string) => {
      const value = parameters.map((p) => (p.name === name ? exampleOf(p) : null)).find((v) => v !== null) ?? null;
      if (value === null) {
        missing ??= name;
        return `{${name}}`;
      }
      return encodeURIComponent(value);
    });
    const listedMethods = operations.filter((op) => !NOT_LISTED.has(op)).map((op) => op.toUpperCase());
    if (missing !== null) {
      unrun.push({
        target: `${root}${template}`,
        reason: `path parameter {${missing}} has no example value: add one (parameters[].example) or list a concrete URL with --targets`,
      });
      continue;
    }
    let url: string;
    try {
      url = parseTargetUrl(`${root}${concrete}`);
    } catch (error) {
      unrun.push({ target: `${root}${template}`, reason: (error as Error).message });
      continue;
    }
    targets.push({ url, listedMethods });
  }
  if (targets.length === 0 && unrun.length === 0) throw new UsageError(`openapi ${file} has no paths: nothing to verify`);
  return { targets, unrun };
}
