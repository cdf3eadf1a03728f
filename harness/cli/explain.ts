/**
 * `cors-conform explain`: the oracle alone, from the command line, no browser. Other tools call
 * it, so the interface and the JSON it prints are fixed:
 *
 *   cors-conform explain --origin <origin> --url <url> [--method M] [--header 'Name: value']...
 *     [--credentials omit|same-origin|include] [--client fetch|xhr] [--status N]
 *     --response 'Name: value'... [--preflight-status N] [--preflight-response 'Name: value']...
 *     [--as <requester> [--crossorigin anonymous|use-credentials]]
 *
 * `--as` names who sends the request (an element, EventSource, a worker; harness/oracle/requesters.ts);
 * `--client` stays as it was. An element sends a plain GET, so --method and --header go with fetch
 * and XHR only; an element's credentials come from --crossorigin. With an element without
 * crossorigin the outcome can be `opaque`: it loads, the page cannot read it.
 */
import { parseArgs } from 'node:util';
import {
  CLIENTS,
  sendsPageRequest,
  explain,
  isClient,
  parseHeaderLine,
  takesCrossOrigin,
  type Client,
  type CrossOriginAttribute,
  type ExplainOutput,
  type Header,
} from '../oracle';
import { UsageError } from '../core/errors';

export const EXPLAIN_USAGE =
  "usage: cors-conform explain --origin <origin> --url <url> [--method M] [--header 'Name: value']... " +
  "[--credentials omit|same-origin|include] [--client fetch|xhr] [--status N] --response 'Name: value'... " +
  "[--preflight-status N] [--preflight-response 'Name: value']... " +
  `[--as ${CLIENTS.join('|')} [--crossorigin anonymous|use-credentials]]`;

/** Who sends the request: `--as`, else `--client` (fetch or xhr, as before). */
function requester(as: string | undefined, client: string | undefined): Client {
  if (as !== undefined && client !== undefined) throw new UsageError('give --as or --client, not both: --as xhr is --client xhr');
  if (as !== undefined) {
    if (!isClient(as)) throw new UsageError(`--as "${as}" is not one of ${CLIENTS.join(', ')}`);
    return as;
  }
  const c = client ?? 'fetch';
  if (c !== 'fetch' && c !== 'xhr') throw new UsageError(`--client "${c}" is not one of fetch, xhr (other requesters: --as)`);
  return c;
}

/** The checks an element or API puts on what the page can ask for (it cannot set a method or headers). */
function checkRequester(
  client: Client,
  values: { method?: string; header?: string[]; credentials?: string; crossorigin?: string },
): CrossOriginAttribute | undefined {
  const scripted = sendsPageRequest(client);
  if (!scripted && values.method !== undefined && values.method !== 'GET')
    throw new UsageError(`--as ${client} sends a GET: --method goes with fetch, xhr and worker`);
  if (!scripted && (values.header ?? []).length > 0)
    throw new UsageError(`--as ${client} sets no request headers: --header goes with fetch, xhr and worker`);
  if (values.crossorigin !== undefined) {
    if (!takesCrossOrigin(client)) throw new UsageError(`--crossorigin goes with --as img, script, module or stylesheet, not ${client}`);
    if (values.crossorigin !== 'anonymous' && values.crossorigin !== 'use-credentials')
      throw new UsageError(`--crossorigin "${values.crossorigin}" is not one of anonymous, use-credentials`);
  }
  if (values.credentials !== undefined && (takesCrossOrigin(client) || client === 'font' || client === 'import'))
    throw new UsageError(
      takesCrossOrigin(client)
        ? `--as ${client} takes its credentials from --crossorigin (use-credentials: include)`
        : `--as ${client} always uses credentials same-origin: drop --credentials`,
    );
  return values.crossorigin as CrossOriginAttribute | undefined;
}

function headerLines(option: string, lines: string[] | undefined): Header[] {
  return (lines ?? []).map((line) => {
    const header = parseHeaderLine(line);
    if (header === null) throw new UsageError(`--${option} "${line}" is not a header: write it as 'Name: value'`);
    return header;
  });
}

function status(option: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^[0-9]{3}$/.test(value) || Number(value) < 100)
    throw new UsageError(`--${option} "${value}" is not an HTTP status: give a number from 100 to 999`);
  return Number(value);
}

function origin(value: string | undefined): string {
  if (value === undefined)
    throw new UsageError('--origin is required: the origin of the page making the request, e.g. https://app.example');
  if (value === 'null') return value;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--origin "${value}" is not an origin: give scheme://host[:port] or null`);
  }
  if (url.origin === 'null' || url.origin !== value) {
    throw new UsageError(`--origin "${value}" is not a serialized origin: did you mean ${url.origin === 'null' ? 'null' : url.origin}?`);
  }
  return value;
}

function targetUrl(value: string | undefined): string {
  if (value === undefined) throw new UsageError('--url is required: the URL the page requests');
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error();
    return url.href;
  } catch {
    throw new UsageError(`--url "${value}" is not an http(s) URL`);
  }
}

export function explainCommand(argv: string[]): ExplainOutput {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        origin: { type: 'string' },
        url: { type: 'string' },
        method: { type: 'string' },
        header: { type: 'string', multiple: true },
        credentials: { type: 'string' },
        client: { type: 'string' },
        as: { type: 'string' },
        crossorigin: { type: 'string' },
        status: { type: 'string' },
        response: { type: 'string', multiple: true },
        'preflight-status': { type: 'string' },
        'preflight-response': { type: 'string', multiple: true },
      },
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split('. ')[0]}: see cors-conform explain --help`);
  }
  const credentials = values.credentials ?? 'same-origin';
  if (!['omit', 'same-origin', 'include'].includes(credentials)) {
    throw new UsageError(`--credentials "${credentials}" is not one of omit, same-origin, include`);
  }
  const client = requester(values.as, values.client);
  const crossorigin = checkRequester(client, values);
  const method = values.method ?? 'GET';
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(method)) throw new UsageError(`--method "${method}" is not an HTTP method token`);
  if (['CONNECT', 'TRACE', 'TRACK'].includes(method.toUpperCase())) {
    throw new UsageError(`--method ${method} is a forbidden method: fetch() and XHR refuse to send it`);
  }
  return explain({
    origin: origin(values.origin),
    url: targetUrl(values.url),
    method,
    headers: headerLines('header', values.header),
    credentials: credentials as 'omit' | 'same-origin' | 'include',
    client,
    ...(crossorigin ? { crossorigin } : {}),
    response: { status: status('status', values.status, 200), headers: headerLines('response', values.response) },
    preflight: {
      status: status('preflight-status', values['preflight-status'], 200),
      headers: headerLines('preflight-response', values['preflight-response']),
    },
  });
}
