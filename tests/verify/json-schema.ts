/**
 * The JSON `cors-conform verify --format json` prints, as a zod schema: other tools read it, so
 * the tests hold it to exactly these keys (docs/verify.md).
 */
import { z } from 'zod';
import { FINDING_IDS, SEVERITIES } from '../../harness/verify';
import { BROWSER_KINDS } from '../../harness/oracle';

const header = z.tuple([z.string(), z.string()]);

export const probeSchema = z.strictObject({
  id: z.string().min(1),
  origin: z.string().min(1),
  method: z.string().min(1),
  headers: z.record(z.string(), z.string()),
  credentials: z.boolean(),
  client: z.enum(['fetch', 'xhr']),
  preflight: z.boolean(),
  outcome: z.enum(['allowed', 'blocked', 'opaque', 'error', 'not-run']),
  reason: z.string().min(1),
  expected: z.enum(['allowed', 'blocked', 'opaque']),
  via: z.enum(['browser', 'node-preflight']),
});

export const findingSchema = z.strictObject({
  id: z.enum(FINDING_IDS),
  severity: z.enum(SEVERITIES),
  origin: z.string(),
  evidence: z.strictObject({
    level: z.enum(['browser', 'header']),
    summary: z.string().min(1),
    request: z.strictObject({ method: z.string(), url: z.string(), headers: z.record(z.string(), z.string()) }).nullable(),
    response: z.strictObject({ status: z.number().int(), headers: z.array(header) }).nullable(),
    browser: z
      .strictObject({
        name: z.string(),
        outcome: z.enum(['allowed', 'blocked', 'opaque', 'error', 'not-run']),
        status: z.number().int().nullable(),
        readableHeaders: z.array(z.string()),
      })
      .nullable(),
    reason: z.strictObject({ source: z.enum(['browser', 'oracle']), code: z.string(), text: z.string() }).nullable(),
    probes: z.array(z.string()),
    derivedFrom: z.string().optional(),
    alsoTrusted: z.array(z.string()).optional(),
  }),
  fix: z.strictObject({
    summary: z.string().min(1),
    express: z.string().min(1),
    fastify: z.string().min(1),
    php: z.string().min(1),
    aspnet: z.string().min(1),
  }),
});

/** Local Network Access: a claimed origin's real pages would reach a more private target (address-space.ts). */
export const localNetworkSchema = z.strictObject({
  address: z.string().min(1),
  space: z.enum(['loopback', 'local']),
  origins: z.array(z.strictObject({ origin: z.string(), space: z.enum(['local', 'public']), needs: z.string().min(1) })).min(1),
});

export const reportSchema = z.strictObject({
  target: z.url(),
  browser: z.strictObject({ name: z.enum(BROWSER_KINDS), version: z.string() }),
  probes: z.array(probeSchema).min(1),
  findings: z.array(findingSchema),
  /** Only when a config file's suppress entry accepted a finding. */
  suppressed: z
    .array(findingSchema.extend({ reason: z.string().min(1), until: z.string().nullable() }))
    .min(1)
    .optional(),
  verdict: z.enum(['pass', 'fail']),
  /** One browser's report printed alone carries the run's Local Network Access note. */
  localNetwork: localNetworkSchema.optional(),
});

/** --browser all: one object holding one report per browser. */
export const allBrowsersSchema = z.strictObject({
  target: z.url(),
  browsers: z.array(reportSchema).min(2),
  verdict: z.enum(['pass', 'fail']),
  localNetwork: localNetworkSchema.optional(),
});

/** A list of targets (--config, --targets, --openapi). */
export const runsSchema = z.strictObject({
  targets: z.array(
    z.strictObject({
      target: z.url(),
      error: z.string().nullable(),
      browsers: z.array(reportSchema),
      verdict: z.enum(['pass', 'fail']),
      localNetwork: localNetworkSchema.optional(),
    }),
  ),
  notRun: z.array(z.strictObject({ target: z.string(), reason: z.string().min(1) })),
  summary: z.strictObject({
    targets: z.number().int(),
    passed: z.number().int(),
    failed: z.number().int(),
    notRun: z.number().int(),
    findings: z.partialRecord(z.enum(FINDING_IDS), z.number().int().positive()),
    expiredSuppressions: z.array(
      z.strictObject({
        finding: z.enum(FINDING_IDS),
        target: z.string().optional(),
        origin: z.string().optional(),
        reason: z.string(),
        until: z.string().optional(),
      }),
    ),
  }),
  cookies: z.string().min(1),
  verdict: z.enum(['pass', 'fail']),
});
