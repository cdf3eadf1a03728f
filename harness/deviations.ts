/**
 * Known deviations: cases where a real browser, measured here, does not do what the Fetch
 * Standard says. The oracle keeps the standard's answer; an entry here says which browser departs,
 * where in the standard, and models what it does instead (a Quirk), so the case is judged against
 * that and shown as a deviation. If the browser starts following the standard, or a case starts
 * deviating without an entry, the case fails.
 */
import type { Quirk } from './oracle';
import type { BrowserKind } from './browsers';

export interface KnownDeviation {
  caseId: string;
  browsers: readonly BrowserKind[];
  /** The Fetch Standard rule the browser departs from. */
  section: string;
  /** What the standard requires, in a sentence. */
  standard: string;
  /** What the browser was measured doing. */
  observed: string;
  quirks: readonly Quirk[];
}

export const KNOWN_DEVIATIONS: readonly KnownDeviation[] = [];

export function deviationFor(caseId: string, browser: string): KnownDeviation | undefined {
  return KNOWN_DEVIATIONS.find((d) => d.caseId === caseId && (d.browsers as readonly string[]).includes(browser));
}
