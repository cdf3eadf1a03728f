/**
 * The bundled sample: what `npx cors-conform` (and `cors-conform verify` without a URL) checks, so
 * a first run shows what the tool does with no set-up. It is the spec-literal node:http reference
 * server's handler (servers/reference/node-http.ts) on loopback port 0 with a small, correct
 * policy, over https with the run-time certificate (so Node's checks of it skip verification, as
 * --insecure does): its origin is https, and WebKit blocks an https page's requests to any
 * http:// URL, loopback included, as mixed content – an http sample could not be verified there.
 */
import https from 'node:https';
import { localCertificate } from '../browser/certs';
import { closeServer, listenLoopback } from '../core/listen';
import { describePolicy, type Policy } from '../../servers/policy';
import { nodeHttpHandler } from '../../servers/reference/node-http';

export const SAMPLE_ORIGIN = 'https://app.example.com';

export const SAMPLE_POLICY: Policy = {
  origin: SAMPLE_ORIGIN,
  credentials: true,
  methods: ['GET', 'HEAD', 'POST', 'PUT'],
  allowedHeaders: ['X-Api-Key', 'Content-Type'],
  exposedHeaders: ['X-Request-Id'],
  maxAge: 600,
};

export interface Sample {
  url: string;
  origins: string[];
  credentials: boolean;
  methods: string[];
  headers: Array<[string, string]>;
  /** Node's own requests to it skip certificate checks (its certificate is made at run time). */
  insecure: true;
  /** One line for the output: what is being verified. */
  description: string;
  stop(): Promise<void>;
}

export async function startSample(): Promise<Sample> {
  const server = https.createServer(await localCertificate(), nodeHttpHandler(SAMPLE_POLICY));
  const port = await listenLoopback(server);
  return {
    url: `https://127.0.0.1:${port}/data`,
    insecure: true,
    origins: [SAMPLE_ORIGIN],
    credentials: true,
    methods: ['PUT'],
    headers: [['X-Api-Key', 'cors-conform']],
    description: `bundled sample: servers/reference/node-http.ts with policy ${describePolicy(SAMPLE_POLICY)} (to check your own server: cors-conform verify <url> --origin <origin>)`,
    stop: () => closeServer(server),
  };
}
