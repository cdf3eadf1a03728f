/**
 * Peak memory of a process tree, read from /proc (Linux): the Playwright runner and its workers
 * ("runner") apart from the browser processes they start ("browser").
 */
import fs from 'node:fs';

interface Proc {
  pid: number;
  ppid: number;
  rssKb: number;
  browser: boolean;
}

function read(pid: number): Proc | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return { pid, ppid, rssKb, browser: /chrom|firefox|WebKit|MiniBrowser|Xvfb/i.test(cmd) };
  } catch {
    return null;
  }
}

/** Current RSS of `root` and all its descendants, in MB, split runner/browser. */
export function treeRss(root: number): { runner: number; browser: number } {
  const all = fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map((d) => read(Number(d)))
    .filter((p): p is Proc => p !== null);
  const children = new Map<number, Proc[]>();
  for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const total = { runner: 0, browser: 0 };
  const rootProc = all.find((p) => p.pid === root);
  const stack = rootProc ? [rootProc] : [];
  while (stack.length) {
    const p = stack.pop()!;
    if (p.browser) total.browser += p.rssKb;
    else total.runner += p.rssKb;
    stack.push(...(children.get(p.pid) ?? []));
  }
  return { runner: Math.round(total.runner / 1024), browser: Math.round(total.browser / 1024) };
}

/**
 * Samples a tree every `ms` until stopped, or until `done()` says the part worth measuring is
 * over (later samples are ignored); returns the peaks.
 */
export function samplePeaks(root: number, ms = 200, done: () => boolean = () => false): { stop(): { runner: number; browser: number } } {
  const peak = { runner: 0, browser: 0 };
  let over = false;
  const tick = () => {
    over ||= done();
    if (over) return;
    const now = treeRss(root);
    peak.runner = Math.max(peak.runner, now.runner);
    peak.browser = Math.max(peak.browser, now.browser);
  };
  tick();
  const timer = setInterval(tick, ms);
  return {
    stop() {
      clearInterval(timer);
      tick();
      return peak;
    },
  };
}
