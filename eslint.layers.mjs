/**
 * The import rule: lower layers never import higher ones, and siblings never import each other.
 *
 *   oracle ← core ← browser ← protocol | server-suite | verify ← cli | index.ts | playwright
 *   servers use core only; reports use core and the oracle's citations; fixtures.ts (the
 *   Playwright Test seam) sits on the suites.
 *
 * Each folder lists what it may import; everything else in the project is refused. tests/, bench/
 * and scripts/ may import anything. eslint.config.mjs turns this into import-x/no-restricted-paths
 * zones; tests/unit/core/layers.spec.ts lints a wrong import to show the rule bites.
 */
export const LAYERS = {
  'harness/oracle': [],
  'harness/core': ['harness/oracle'],
  'harness/browser': ['harness/oracle', 'harness/core'],
  'harness/protocol': ['harness/oracle', 'harness/core', 'harness/browser'],
  'harness/server-suite': ['harness/oracle', 'harness/core', 'harness/browser', 'servers'],
  'harness/verify': ['harness/oracle', 'harness/core', 'harness/browser', 'servers'],
  'harness/cli': ['harness/oracle', 'harness/core', 'harness/browser', 'harness/verify', 'reports'],
  'harness/fixtures.ts': ['harness/oracle', 'harness/core', 'harness/browser', 'harness/protocol'],
  // The package's public entries: the API and the fixture for users' own specs.
  'harness/index.ts': ['harness/oracle', 'harness/core', 'harness/verify'],
  'harness/playwright': ['harness/oracle', 'harness/core', 'harness/browser', 'harness/verify'],
  servers: ['harness/core'],
  reports: ['harness/oracle', 'harness/core'],
};

/** import-x/no-restricted-paths zones: for each folder, every other project folder it may not import. */
export function layerZones() {
  const all = Object.keys(LAYERS);
  return Object.entries(LAYERS).map(([target, allowed]) => ({
    target: `./${target}`,
    from: all.filter((other) => other !== target && !allowed.includes(other)).map((other) => `./${other}`),
    message: `${target} may import only ${allowed.length ? allowed.join(', ') : 'nothing of the project'} (eslint.layers.mjs)`,
  }));
}
