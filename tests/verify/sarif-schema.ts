/**
 * The OASIS SARIF 2.1.0 JSON schema (the copy @microsoft/jest-sarif ships), compiled with ajv:
 * what the SARIF output is held to. It is JSON Schema draft-04 (hence ajv-draft-04), and one of its
 * patterns is not valid with the u flag (hence unicodeRegExp: false).
 */
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';

let validator: ValidateFunction | undefined;

/** Null when the document is valid SARIF 2.1.0, else the first errors, one line. */
export function sarifErrors(document: unknown): string | null {
  if (!validator) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a JSON file from a dev dependency
    const schema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json') as Record<string, unknown>;
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    validator = ajv.compile(schema);
  }
  return validator(document)
    ? null
    : (validator.errors ?? [])
        .slice(0, 3)
        .map((e) => `${e.instancePath} ${e.message}`)
        .join('; ');
}
