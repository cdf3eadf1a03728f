// ESM: the same entries through import, named exports included.
import { verify, explain, UsageError } from 'cors-conform';
import { test, expect } from 'cors-conform/playwright';
import Reporter from 'cors-conform/reporter';
const out = {
  verify: typeof verify,
  explain: explain({ origin: 'https://a.example', url: 'https://b.example/x', response: { headers: [] } }).reason,
  usageError: typeof UsageError,
  test: typeof test,
  expect: typeof expect,
  reporter: typeof Reporter,
};
process.stdout.write(JSON.stringify(out));
