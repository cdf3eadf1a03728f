/**
 * Requesters beyond fetch() and XHR: images, classic and module scripts, dynamic import(),
 * stylesheets, fonts, EventSource, fetch() in a dedicated worker and a module worker's imports.
 * Each is loaded from another origin under the same five answers – no ACAO, `*`, the origin, the
 * origin with ACAC, `*` with ACAC – with a cookie in the browser, so the wire shows for each
 * whether it was preflighted, carried Origin and carried the cookie.
 *
 * What each requester makes of its request (mode, credentials mode, destination) is the oracle's
 * (harness/oracle/requesters.ts, citing HTML and CSS Fonts); the name of each case says what the
 * standard then expects: no-cors loads "load opaque" whatever the headers say, CORS-mode loads are
 * allowed or blocked by the CORS check.
 */
import type { CaseSpec, RequestSpec, ResponseSpec } from '../../../harness/protocol/case';
import { CLIENT_TITLES, predict, requesterForms, requestModes, type Client, type Outcome } from '../../../harness/oracle';
import { ACAC, ACAO } from './helpers';
import { PROBE_FONT, PROBE_PNG } from './bodies';

/** A body the requester can use, with its Content-Type. */
function bodyFor(client: Client): ResponseSpec {
  const typed = (type: string, body: string, extra: Partial<ResponseSpec> = {}): ResponseSpec => ({
    headers: [['Content-Type', type]],
    body,
    ...extra,
  });
  switch (client) {
    case 'img':
      return typed('image/png', PROBE_PNG, { encoding: 'base64' });
    case 'font':
      return typed('font/ttf', PROBE_FONT, { encoding: 'base64' });
    case 'script':
      // The page tells a readable script error ("cc-probe") from a muted one (HTML #muted-errors).
      return typed('text/javascript', 'throw new Error("cc-probe");');
    case 'module':
    case 'import':
    case 'module-worker':
      return typed('text/javascript', 'export default "cc-probe";');
    case 'stylesheet':
      return typed('text/css', '.cc-probe { color: red }');
    case 'eventsource':
      return typed('text/event-stream', 'data: cc-probe\n\n');
    case 'fetch':
    case 'xhr':
    case 'worker':
      return typed('text/plain', 'cc-probe');
  }
}

/** The requesters this table loads with, in report order (fetch and XHR have the other tables). */
const REQUESTERS: Client[] = ['img', 'script', 'module', 'import', 'stylesheet', 'font', 'eventsource', 'worker', 'module-worker'];

interface Variant {
  /** The case id's first part. */
  name: string;
  request: RequestSpec;
  /** The requester in words, for titles. */
  shown: string;
}

/** Every form a page can use of each requester (the oracle's requesterForms), named and shown. */
const VARIANTS: Variant[] = REQUESTERS.flatMap((client) =>
  requesterForms(client).map(({ crossorigin, credentials }) => {
    const title = CLIENT_TITLES[client];
    return {
      name: `${client === 'worker' ? 'worker-fetch' : client}${crossorigin ? `-${crossorigin}` : ''}${credentials ? '-with-credentials' : ''}`,
      request: { client, ...(crossorigin ? { crossorigin } : {}), ...(credentials ? { credentials } : {}) },
      shown: crossorigin ? title.replace(/>$/, ` crossorigin="${crossorigin}">`) : credentials ? `${title}, with credentials` : title,
    };
  }),
);

interface Answer {
  name: string;
  headers: Array<[string, string]>;
  shown: string;
}

const ANSWERS: Answer[] = [
  { name: 'without-allow-origin', headers: [], shown: 'no Access-Control-Allow-Origin' },
  { name: 'wildcard', headers: [[ACAO, '*']], shown: 'ACAO *' },
  { name: 'exact-origin', headers: [[ACAO, '{origin}']], shown: 'ACAO naming the origin' },
  {
    name: 'exact-origin-with-allow-credentials',
    headers: [
      [ACAO, '{origin}'],
      [ACAC, 'true'],
    ],
    shown: 'ACAO naming the origin and ACAC true',
  },
  {
    name: 'wildcard-with-allow-credentials',
    headers: [
      [ACAO, '*'],
      [ACAC, 'true'],
    ],
    shown: 'ACAO * and ACAC true',
  },
];

/** What the standard expects, said as the case id ends: `is-allowed`, `is-blocked`, `loads-opaque`. */
function expectedOf(request: RequestSpec, answer: Answer): Outcome {
  const origin = 'https://app.example';
  const headers = answer.headers.map(([n, v]) => [n, v.replace('{origin}', origin)] as [string, string]);
  return predict({ origin, url: 'https://api.example/x', ...request }, () => ({ status: 200, headers })).outcome;
}

const ENDINGS: Record<Outcome, string> = { allowed: 'is-allowed', blocked: 'is-blocked', opaque: 'loads-opaque' };
const SAID: Record<Outcome, string> = { allowed: 'the page can use it', blocked: 'it fails', opaque: 'it loads, opaque to the page' };

export const requesterCases: CaseSpec[] = VARIANTS.flatMap((v) =>
  ANSWERS.map((a): CaseSpec => {
    const body = bodyFor(v.request.client ?? 'fetch');
    const modes = requestModes(v.request);
    const expected = expectedOf(v.request, a);
    return {
      id: `${v.name}-${a.name}-${ENDINGS[expected]}`,
      category: 'requesters',
      title: `${v.shown} (mode ${modes.mode}, credentials ${modes.credentials}) from another origin, ${a.shown}: ${SAID[expected]}.`,
      spec: `${modes.section}; Fetch ${modes.mode === 'no-cors' ? '#main-fetch (opaque)' : '#cors-check'}`,
      cookie: true,
      request: v.request,
      response: { ...body, headers: [...a.headers, ...(body.headers ?? [])] },
    };
  }),
);
