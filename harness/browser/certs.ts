/**
 * A self-signed certificate made at run time (never committed) for the https origins. Browsers
 * are started with ignoreHTTPSErrors, so the certificate only has to be well formed; its names
 * still cover every host the origin plan uses, which keeps curl and openssl checks meaningful.
 */
import { generate } from 'selfsigned';

export interface Certificate {
  key: string;
  cert: string;
}

let cached: Promise<Certificate> | undefined;

export function localCertificate(extraHosts: readonly string[] = []): Promise<Certificate> {
  if (extraHosts.length === 0 && cached) return cached;
  const hosts = ['localhost', '*.localhost', '*.app.localhost', ...extraHosts];
  const made = Promise.resolve(
    generate([{ name: 'commonName', value: 'cors-conform test certificate' }], {
      keyType: 'ec',
      curve: 'P-256',
      notAfterDate: new Date(Date.now() + 2 * 24 * 3600 * 1000),
      algorithm: 'sha256',
      extensions: [
        {
          name: 'subjectAltName',
          altNames: [...hosts.map((value) => ({ type: 2 as const, value })), { type: 7 as const, ip: '127.0.0.1' }],
        },
      ],
    }),
  ).then((pems) => ({ key: pems.private, cert: pems.cert }));
  if (extraHosts.length === 0) cached = made;
  return made;
}
