/**
 * Request headers: which ones a page can set without a preflight (Fetch #terminology-headers "CORS-safelisted
 * request-header": Accept, Accept-Language, Content-Language, Content-Type with three MIME
 * essences, Range; 128 bytes per value, 1024 in all), what the preflight then asks for (ACRH:
 * lowercased, sorted, comma-joined) and how Access-Control-Allow-Headers answers (#cors-preflight-fetch steps 7.6-7.7).
 */
import type { CaseSpec } from '../../../harness/protocol/case';
import { ACAC, ACAH, ACAO, bothClients, preflightAllowing, sharedWithOrigin } from './helpers';

const safelist = '#cors-safelisted-request-header';
const h = (
  id: string,
  title: string,
  spec: string,
  headers: Array<[string, string]>,
  preflight?: CaseSpec['preflight'],
  extra: Partial<CaseSpec> = {},
): CaseSpec => ({
  id,
  category: 'request-headers',
  title,
  spec,
  request: { headers },
  preflight,
  response: sharedWithOrigin(),
  ...extra,
});

const long = (n: number, fill = 'a') => fill.repeat(n);

export const requestHeaderCases: CaseSpec[] = [
  ...bothClients([
    h(
      'custom-header-listed-is-allowed',
      'X-Auth-Token is not safelisted: preflighted (ACRH x-auth-token) and allowed when listed.',
      '#cors-preflight-fetch step 7.7',
      [['X-Auth-Token', 'abc']],
      preflightAllowing({ headers: 'X-Auth-Token' }),
    ),
    h(
      'custom-header-not-listed-is-blocked',
      'A custom header missing from ACAH blocks the request; it is never sent.',
      '#cors-preflight-fetch step 7.7',
      [['X-Auth-Token', 'abc']],
      preflightAllowing({ headers: 'X-Other' }),
    ),
    h(
      'x-requested-with-needs-preflight',
      "X-Requested-With (jQuery's header) is not safelisted.",
      '#cors-preflight-fetch step 7.7',
      [['X-Requested-With', 'XMLHttpRequest']],
      preflightAllowing({ headers: 'X-Requested-With' }),
    ),
    h(
      'json-content-type-needs-preflight',
      'Content-Type: application/json is not one of the three safelisted essences.',
      safelist,
      [['Content-Type', 'application/json']],
      preflightAllowing({ headers: 'Content-Type' }),
      {
        request: { method: 'POST', body: '{}', headers: [['Content-Type', 'application/json']] },
      },
    ),
    h(
      'allow-headers-wildcard-covers-custom-header',
      'ACAH * allows any header without credentials.',
      '#cors-preflight-fetch step 7.7',
      [['X-Auth-Token', 'abc']],
      preflightAllowing({ headers: '*' }),
    ),
    h(
      'authorization-not-covered-by-wildcard',
      'ACAH * never covers Authorization; it must be named.',
      '#cors-preflight-fetch step 7.6 (#cors-non-wildcard-request-header-name)',
      [['Authorization', 'Bearer t']],
      preflightAllowing({ headers: '*' }),
    ),
  ]),
  h('accept-needs-no-preflight', 'Accept with ordinary bytes is safelisted.', safelist, [['Accept', 'application/json']]),
  h('accept-of-128-bytes-needs-no-preflight', 'A 128-byte Accept is still safelisted.', `${safelist} (128 bytes)`, [['Accept', long(128)]]),
  h(
    'accept-of-129-bytes-needs-preflight',
    'A 129-byte Accept is not: ACRH accept.',
    `${safelist} (128 bytes)`,
    [['Accept', long(129)]],
    preflightAllowing({ headers: 'Accept' }),
  ),
  h(
    'accept-with-quote-needs-preflight',
    'A `"` is a CORS-unsafe request-header byte.',
    `${safelist}; CORS-unsafe request-header byte`,
    [['Accept', 'text/"html"']],
    preflightAllowing({ headers: 'Accept' }),
  ),
  h(
    'accept-with-brace-needs-preflight',
    'A `{` is a CORS-unsafe request-header byte.',
    `${safelist}; CORS-unsafe request-header byte`,
    [['Accept', 'a{b']],
    preflightAllowing({ headers: 'Accept' }),
  ),
  h(
    'accept-language-needs-no-preflight',
    'Accept-Language with letters, digits, `-`, `,`, `;`, `=`, `.` and `*` is safelisted.',
    safelist,
    [['Accept-Language', 'en-GB,en;q=0.9,*;q=0.1']],
  ),
  h(
    'accept-language-with-at-sign-needs-preflight',
    'An `@` in Accept-Language is not allowed.',
    safelist,
    [['Accept-Language', 'en@x']],
    preflightAllowing({ headers: 'Accept-Language' }),
  ),
  h('content-language-needs-no-preflight', 'Content-Language `de-CH` is safelisted.', safelist, [['Content-Language', 'de-CH']]),
  h(
    'content-language-with-slash-needs-preflight',
    'A `/` in Content-Language is not allowed.',
    safelist,
    [['Content-Language', 'de/CH']],
    preflightAllowing({ headers: 'Content-Language' }),
  ),
  h('text-plain-needs-no-preflight', 'Content-Type text/plain is safelisted.', safelist, [['Content-Type', 'text/plain']], undefined, {
    request: { method: 'POST', body: 'x', headers: [['Content-Type', 'text/plain']] },
  }),
  h(
    'text-plain-with-charset-needs-no-preflight',
    'Parameters do not matter: text/plain;charset=utf-8 is safelisted.',
    `${safelist} (MIME essence)`,
    [['Content-Type', 'text/plain;charset=utf-8']],
    undefined,
    {
      request: { method: 'POST', body: 'x', headers: [['Content-Type', 'text/plain;charset=utf-8']] },
    },
  ),
  h(
    'uppercase-text-plain-needs-no-preflight',
    'The essence is compared lowercased: TEXT/PLAIN is safelisted.',
    `${safelist} (MIME essence)`,
    [['Content-Type', 'TEXT/PLAIN']],
    undefined,
    {
      request: { method: 'POST', body: 'x', headers: [['Content-Type', 'TEXT/PLAIN']] },
    },
  ),
  h(
    'form-urlencoded-needs-no-preflight',
    'application/x-www-form-urlencoded is safelisted.',
    safelist,
    [['Content-Type', 'application/x-www-form-urlencoded']],
    undefined,
    {
      request: { method: 'POST', body: 'a=1', headers: [['Content-Type', 'application/x-www-form-urlencoded']] },
    },
  ),
  h(
    'multipart-needs-no-preflight',
    'multipart/form-data is safelisted.',
    safelist,
    [['Content-Type', 'multipart/form-data; boundary=x']],
    undefined,
    {
      request: { method: 'POST', body: '--x--', headers: [['Content-Type', 'multipart/form-data; boundary=x']] },
    },
  ),
  h(
    'content-type-with-quoted-parameter-needs-preflight',
    'A quoted parameter puts `"` (an unsafe byte) into the value.',
    `${safelist}; CORS-unsafe request-header byte`,
    [['Content-Type', 'text/plain; x="y"']],
    preflightAllowing({ headers: 'Content-Type' }),
    {
      request: { method: 'POST', body: 'x', headers: [['Content-Type', 'text/plain; x="y"']] },
    },
  ),
  h(
    'invalid-mime-type-needs-preflight',
    '`text/` does not parse as a MIME type.',
    `${safelist} (parse a MIME type)`,
    [['Content-Type', 'text/']],
    preflightAllowing({ headers: 'Content-Type' }),
    {
      request: { method: 'POST', body: 'x', headers: [['Content-Type', 'text/']] },
    },
  ),
  h(
    'content-type-of-129-bytes-needs-preflight',
    'A safelisted essence with a long parameter is over 128 bytes.',
    `${safelist} (128 bytes)`,
    [['Content-Type', `text/plain; p=${long(115)}`]],
    preflightAllowing({ headers: 'Content-Type' }),
    {
      request: { method: 'POST', body: 'x', headers: [['Content-Type', `text/plain; p=${long(115)}`]] },
    },
  ),
  h('range-bytes-from-needs-no-preflight', 'Range `bytes=0-` is safelisted.', `${safelist} (range)`, [['Range', 'bytes=0-']]),
  h('range-bytes-from-to-needs-no-preflight', 'Range `bytes=0-9` is safelisted.', `${safelist} (range)`, [['Range', 'bytes=0-9']]),
  h(
    'range-suffix-needs-preflight',
    'Range `bytes=-5` (a suffix range) is not safelisted.',
    `${safelist} (range)`,
    [['Range', 'bytes=-5']],
    preflightAllowing({ headers: 'Range' }),
  ),
  h(
    'range-start-above-end-beyond-2-53-needs-preflight',
    'Range `bytes=9007199254740993-9007199254740992`: the start is above the end (compared as exact decimals; as doubles both are 2^53), so the value fails to parse and is not safelisted.',
    `${safelist} (range); #simple-range-header-value`,
    [['Range', 'bytes=9007199254740993-9007199254740992']],
    preflightAllowing({ headers: 'Range' }),
  ),
  h(
    'range-multiple-needs-preflight',
    'Range with two ranges is not a single range.',
    `${safelist} (range)`,
    [['Range', 'bytes=0-1,5-6']],
    preflightAllowing({ headers: 'Range' }),
  ),
  h(
    'several-custom-headers-are-sorted-lowercase',
    'ACRH lists unsafe names lowercased and sorted: x-a,x-b for X-B then X-A.',
    '#cors-preflight-fetch step 5; #convert-header-names-to-a-sorted-lowercase-set',
    [
      ['X-B', '1'],
      ['X-A', '2'],
    ],
    preflightAllowing({ headers: 'X-A, X-B' }),
  ),
  h(
    'safelisted-and-custom-headers-list-only-custom',
    'ACRH names only the unsafe headers, not the safelisted Accept.',
    '#cors-unsafe-request-header-names',
    [
      ['Accept', 'text/plain'],
      ['X-A', '1'],
    ],
    preflightAllowing({ headers: 'X-A' }),
  ),
  h(
    'allow-headers-is-case-insensitive',
    'ACAH X-AUTH-TOKEN allows x-auth-token.',
    '#cors-preflight-fetch step 7.7 (byte-case-insensitive)',
    [['X-Auth-Token', 'abc']],
    preflightAllowing({ headers: 'X-AUTH-TOKEN' }),
  ),
  h(
    'allow-headers-missing-one-of-two-is-blocked',
    'Every unsafe header must be listed.',
    '#cors-preflight-fetch step 7.7',
    [
      ['X-A', '1'],
      ['X-B', '2'],
    ],
    preflightAllowing({ headers: 'X-A' }),
  ),
  h(
    'allow-headers-wildcard-with-credentials-is-blocked',
    'ACAH * is only a literal header name for a credentialed request.',
    '#cors-preflight-fetch step 7.7',
    [['X-Auth-Token', 'abc']],
    preflightAllowing({ headers: '*', credentials: true }),
    {
      request: { headers: [['X-Auth-Token', 'abc']], credentials: 'include' },
      response: {
        headers: [
          [ACAO, '{origin}'],
          [ACAC, 'true'],
        ],
      },
    },
  ),
  h(
    'authorization-listed-by-name-is-allowed',
    'Authorization is allowed when ACAH names it.',
    '#cors-preflight-fetch step 7.6',
    [['Authorization', 'Bearer t']],
    preflightAllowing({ headers: 'Authorization' }),
  ),
  h(
    'authorization-with-wildcard-and-credentials-is-blocked',
    'With credentials ACAH * is literal, so Authorization fails all the more.',
    '#cors-preflight-fetch steps 7.6-7.7',
    [['Authorization', 'Bearer t']],
    preflightAllowing({ headers: '*', credentials: true }),
    {
      request: { headers: [['Authorization', 'Bearer t']], credentials: 'include' },
      response: {
        headers: [
          [ACAO, '{origin}'],
          [ACAC, 'true'],
        ],
      },
    },
  ),
  h(
    'allow-headers-invalid-token-is-blocked',
    'ACAH with `bad header` (a space inside a name) does not parse: blocked.',
    '#http-new-header-syntax; #cors-preflight-fetch step 7.3',
    [['X-A', '1']],
    preflightAllowing({ headers: 'X-A, bad header' }),
  ),
  h(
    'allow-headers-repeated-headers-combine',
    'Two ACAH headers are read as one list.',
    '#extract-header-list-values',
    [
      ['X-A', '1'],
      ['X-B', '2'],
    ],
    {
      status: 204,
      headers: [
        [ACAO, '{origin}'],
        [ACAH, 'X-A'],
        [ACAH, 'X-B'],
      ],
    },
  ),
  h(
    'forbidden-cookie-header-is-dropped',
    'A page cannot set Cookie: fetch() drops it silently, so no preflight.',
    '#forbidden-request-header',
    [['Cookie', 'forged=1']],
  ),
  h('forbidden-sec-header-is-dropped', 'Sec-* headers are forbidden and dropped.', '#forbidden-request-header', [['Sec-Custom', '1']]),
  h('forbidden-proxy-header-is-dropped', 'Proxy-* headers are forbidden and dropped.', '#forbidden-request-header', [
    ['Proxy-Custom', '1'],
  ]),
  h(
    'safelisted-values-over-1024-bytes-need-preflight',
    'Safelisted values adding up to more than 1024 bytes make them all unsafe.',
    '#cors-unsafe-request-header-names (1024 bytes)',
    [...Array.from({ length: 9 }, () => ['Accept', long(120, 'b')] as [string, string])],
    preflightAllowing({ headers: 'Accept' }),
  ),
  h(
    'safelisted-values-of-exactly-1024-bytes-need-no-preflight',
    'Safelisted values adding up to exactly 1024 bytes stay safelisted (the limit is "greater than 1024").',
    '#cors-unsafe-request-header-names (1024 bytes)',
    [...Array.from({ length: 8 }, () => ['Accept', long(128, 'b')] as [string, string])],
  ),
  // Bytes 0x80-0xFF (a ByteString's Latin-1 range): not CORS-unsafe request-header bytes, so
  // Accept and Content-Type keep them; Accept-Language and Content-Language allow only
  // [0-9A-Za-z *,-.;=].
  h('accept-with-byte-e9-needs-no-preflight', 'Accept with byte 0xE9 (é): not a CORS-unsafe byte.', `${safelist} (accept)`, [
    ['Accept', 'text/caf\u00e9'],
  ]),
  h(
    'accept-language-with-byte-e9-needs-preflight',
    'Accept-Language with byte 0xE9: outside its allowed bytes.',
    `${safelist} (accept-language)`,
    [['Accept-Language', 'fr-\u00e9']],
    preflightAllowing({ headers: 'Accept-Language' }),
  ),
  h(
    'content-language-with-byte-e9-needs-preflight',
    'Content-Language with byte 0xE9: outside its allowed bytes.',
    `${safelist} (content-language)`,
    [['Content-Language', 'fr-\u00e9']],
    preflightAllowing({ headers: 'Content-Language' }),
  ),
  h(
    'content-type-with-byte-e9-parameter-needs-no-preflight',
    'Content-Type text/plain with a parameter value holding byte 0xE9: a valid MIME type (quoted-string token code points include U+0080-U+00FF), essence text/plain.',
    `${safelist} (content-type)`,
    [['Content-Type', 'text/plain; x=caf\u00e9']],
  ),
  // Client hints: not on the standard's safelist, so a page that sets one needs a preflight.
  ...(['DPR', 'Device-Memory', 'Viewport-Width', 'Width', 'Save-Data'] as const).map((name) =>
    h(
      `client-hint-${name.toLowerCase()}-needs-preflight`,
      `${name} (a client hint set by the page) is not a CORS-safelisted request-header.`,
      safelist,
      [[name, name === 'Save-Data' ? 'on' : '2']],
      preflightAllowing({ headers: name }),
    ),
  ),
  // Forbidden request-headers (#forbidden-request-header): a page cannot set them; the browser
  // drops them silently, so nothing unsafe is left and no preflight is sent.
  ...(
    [
      ['Accept-Charset', 'utf-8'],
      ['Date', 'Tue, 01 Dec 2026 00:00:00 GMT'],
      ['DNT', '1'],
      ['Keep-Alive', 'timeout=5'],
      ['Via', '1.1 proxy'],
      ['Set-Cookie', 'a=1'],
    ] as const
  ).map(([name, value]) =>
    h(
      `forbidden-${name.toLowerCase()}-header-is-dropped`,
      `${name} is a forbidden request-header: dropped, so no preflight.`,
      '#forbidden-request-header',
      [[name, value]],
    ),
  ),
  // X-HTTP-Method-Override and its kin are forbidden when a value, as a header list (quoted strings
  // kept whole, quotes removed), names a forbidden method (#forbidden-request-header step 3).
  h(
    'method-override-trace-is-dropped',
    'X-HTTP-Method-Override: TRACE names a forbidden method: the header is forbidden and dropped.',
    '#forbidden-request-header',
    [['X-HTTP-Method-Override', 'TRACE']],
  ),
  h(
    'method-override-quoted-trace-is-dropped',
    'X-HTTP-Method-Override: "TRACE" – the quotes come off when the value is split, so it names TRACE and is dropped.',
    '#forbidden-request-header; #concept-header-list-get-decode-split',
    [['X-HTTP-Method-Override', '"TRACE"']],
  ),
  h(
    'method-override-list-with-connect-is-dropped',
    'X-HTTP-Method: GET, CONNECT – one of the list is forbidden, so the header is dropped.',
    '#forbidden-request-header; #concept-header-list-get-decode-split',
    [['X-HTTP-Method', 'GET, CONNECT']],
  ),
  h(
    'method-override-quoted-comma-is-one-value-and-needs-preflight',
    'X-Method-Override: "GET, TRACE" is one quoted value, not a list: no forbidden method, so the header stays and is preflighted.',
    '#forbidden-request-header; #concept-header-list-get-decode-split',
    [['X-Method-Override', '"GET, TRACE"']],
    preflightAllowing({ headers: 'X-Method-Override' }),
  ),
  h(
    'method-override-get-needs-preflight',
    'X-HTTP-Method-Override: GET names no forbidden method: a custom header, preflighted.',
    '#forbidden-request-header',
    [['X-HTTP-Method-Override', 'GET']],
    preflightAllowing({ headers: 'X-HTTP-Method-Override' }),
  ),
  h(
    'empty-custom-header-needs-preflight',
    'A custom header with an empty value is still a header: preflighted.',
    '#terminology-headers',
    [['X-Empty', '']],
    preflightAllowing({ headers: 'X-Empty' }),
  ),
  h(
    'allow-headers-on-actual-response-is-irrelevant',
    'ACAH on the actual response does nothing; the preflight must list the header.',
    '#cors-preflight-fetch',
    [['X-A', '1']],
    preflightAllowing(),
    {
      response: {
        headers: [
          [ACAO, '{origin}'],
          [ACAH, 'X-A'],
        ],
      },
    },
  ),
];
