/**
 * `--expect <file>`: what the user means their server to allow, as JSON validated with zod. An
 * invalid file is one line naming the field (`expect file cors.json: allow[0].methods[1]: ...`).
 *
 *   {
 *     "allow": [
 *       { "origin": "https://app.example.com", "credentials": true, "methods": ["PUT"],
 *         "requestHeaders": ["X-Api-Key"], "readableHeaders": ["X-Request-Id"] },
 *       { "origin": "https://*.example.com" }
 *     ],
 *     "deny": ["https://old.example.com"],
 *     "public": false
 *   }
 *
 * Without a file, every --origin is expected allowed (with credentials only when --credentials),
 * with every --method and --header, and every attacker origin blocked.
 */
import { z } from 'zod';
import { UsageError } from '../core/errors';
import { firstIssue, readJsonFile } from '../core/json-file';

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const token = (what: string) => z.string().regex(TOKEN, { message: `not a valid ${what} (an RFC 9110 token)` });

/**
 * The most origins one run probes (allowed and denied, expect file and --origin together): each
 * is a page of its own plus its attacker origins. The same limit as --origin's.
 */
export const MAX_PROBED_ORIGINS = 16;
/** An expect file is a few lines a person writes; a larger one is a mistake, refused before parsing. */
export const MAX_EXPECT_FILE_BYTES = 64 * 1024;
const MAX_LIST = 32;

/** A serialized http(s) origin, exactly as a browser sends it (`*` is a pattern, never an origin). */
export function isSerializedHttpOrigin(s: string): boolean {
  if (s.includes('*')) return false;
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === s;
  } catch {
    return false;
  }
}

/** `scheme://*.domain[:port]`: any sub-domain (at any depth) of domain, not domain itself. */
const PATTERN = /^(https?):\/\/\*\.([^/:*]+)(?::(\d+))?$/;

function isPattern(s: string): boolean {
  const m = PATTERN.exec(s);
  return m !== null && isSerializedHttpOrigin(`${m[1]}://${m[2]}${m[3] ? `:${m[3]}` : ''}`);
}

const originString = z.string().refine(isSerializedHttpOrigin, {
  message: 'not a serialized origin (scheme://host[:port], lower case, no path or trailing slash)',
});

const allowEntry = z.strictObject({
  origin: z.string().refine((s) => isSerializedHttpOrigin(s) || isPattern(s), {
    message: 'not a serialized origin (scheme://host[:port]) or a sub-domain pattern (scheme://*.domain)',
  }),
  credentials: z.boolean().optional(),
  methods: z.array(token('method')).max(8).optional(),
  requestHeaders: z.array(token('header name')).max(8).optional(),
  readableHeaders: z.array(token('header name')).max(MAX_LIST).optional(),
});

export const expectFileSchema = z.strictObject({
  allow: z.array(allowEntry).max(MAX_LIST).optional(),
  deny: z.array(originString).max(MAX_PROBED_ORIGINS).optional(),
  /** Any origin may read responses without credentials (an `Access-Control-Allow-Origin: *` API). */
  public: z.boolean().optional(),
});

export type ExpectFile = z.infer<typeof expectFileSchema>;

export interface OriginExpectation {
  /** A serialized origin, or a `scheme://*.domain` pattern from the expect file. */
  origin: string;
  credentials: boolean;
  /** Null: every method named with --method. */
  methods: string[] | null;
  /** Null: every header named with --header. */
  requestHeaders: string[] | null;
  /** Null: whatever the server lists in Access-Control-Expose-Headers. */
  readableHeaders: string[] | null;
  source: 'expect file' | 'command line';
}

export interface Expectations {
  allow: OriginExpectation[];
  deny: string[];
  public: boolean;
}

/** Validates parsed JSON; throws a one-line UsageError naming the field. */
export function parseExpectFile(json: unknown, name = 'expect file'): ExpectFile {
  const result = expectFileSchema.safeParse(json);
  if (result.success) return result.data;
  throw new UsageError(`${name}: ${firstIssue(result.error)}`);
}

export function loadExpectFile(file: string): ExpectFile {
  return readJsonFile(file, expectFileSchema, {
    name: `expect file ${file}`,
    invalid: `expect file ${file}`,
    missing: `cannot read expect file ${file}: no such file`,
    maxBytes: MAX_EXPECT_FILE_BYTES,
    tooLarge: `an expect file lists a few origins (at most ${MAX_PROBED_ORIGINS} probed, ${MAX_EXPECT_FILE_BYTES / 1024} KiB)`,
    error: (message) => new UsageError(message),
  });
}

/** Merges the file (if any) with the command line; the file decides for the origins it names. */
export function resolveExpectations(
  file: ExpectFile | null,
  cli: { origins: string[]; credentials: boolean; readableHeaders?: string[] },
): Expectations {
  const allow: OriginExpectation[] = (file?.allow ?? []).map((a) => ({
    origin: a.origin,
    credentials: a.credentials ?? false,
    methods: a.methods ?? null,
    requestHeaders: a.requestHeaders ?? null,
    readableHeaders: a.readableHeaders ?? null,
    source: 'expect file',
  }));
  const deny = [...new Set(file?.deny ?? [])];
  const expectations: Expectations = { allow, deny, public: file?.public ?? false };
  const denied = new Set(deny);
  for (const origin of cli.origins) {
    if (denied.has(origin) || matchAllow(expectations, origin)) continue;
    allow.push({
      origin,
      credentials: cli.credentials,
      methods: null,
      requestHeaders: null,
      readableHeaders: cli.readableHeaders ?? null,
      source: 'command line',
    });
  }
  const { allowed } = probedOrigins(expectations);
  if (allowed.length + deny.length > MAX_PROBED_ORIGINS) {
    throw new UsageError(
      `${allowed.length + deny.length} origins to probe (allowed and denied, expect file and --origin together): at most ${MAX_PROBED_ORIGINS} per run`,
    );
  }
  return expectations;
}

/** The allow entry covering an origin: exact first, then a sub-domain pattern. */
export function matchAllow(expectations: Expectations, origin: string): OriginExpectation | null {
  const exact = expectations.allow.find((a) => a.origin === origin);
  if (exact) return exact;
  if (origin === 'null') return null;
  for (const a of expectations.allow) {
    const m = PATTERN.exec(a.origin);
    if (!m) continue;
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      continue;
    }
    const port = m[3] ?? '';
    if (url.protocol === `${m[1]}:` && url.port === port && url.hostname.endsWith(`.${m[2]}`)) return a;
  }
  return null;
}

/** The origins a run probes directly (allowed exact origins first, then denied ones). */
export function probedOrigins(expectations: Expectations): { allowed: string[]; denied: string[] } {
  return {
    allowed: expectations.allow.map((a) => a.origin).filter((o) => !PATTERN.test(o)),
    denied: expectations.deny,
  };
}
