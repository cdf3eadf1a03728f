/**
 * The bundled sample: what `npx cors-conform` (and `cors-conform verify` without a URL) checks, so
 * a first run shows what the tool does with no set-up. It is the spec-literal node:http reference
 * server (servers/reference/node-http.ts) on loopback port 0 with a small, correct policy.
 */
import { describePolicy, type Policy } from '../../servers/policy';
import { nodeHttp } from '../../servers/reference/node-http';

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
  /** One line for the output: what is being verified. */
  description: string;
  stop(): Promise<void>;
}

export async function startSample(): Promise<Sample> {
  const server = await nodeHttp.start(SAMPLE_POLICY);
  return {
    url: `http://127.0.0.1:${server.port}/data`,
    origins: [SAMPLE_ORIGIN],
    credentials: true,
    methods: ['PUT'],
    headers: [['X-Api-Key', 'cors-conform']],
    description: `bundled sample: servers/reference/node-http.ts with policy ${describePolicy(SAMPLE_POLICY)} (to check your own server: cors-conform verify <url> --origin <origin>)`,
    stop: () => server.stop(),
  };
}
