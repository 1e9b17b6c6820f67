/** Resident memory of a headless Chromium's page, for the benches that measure the webview. */
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';

/** Resident MB of the browser's biggest renderer process (the page's: one page is open at a time). */
export async function rendererRssMB(browser: Browser): Promise<number> {
  const cdp = await browser.newBrowserCDPSession();
  try {
    const { processInfo } = await cdp.send('SystemInfo.getProcessInfo') as { processInfo: { type: string; id: number }[] };
    let best = 0;
    for (const p of processInfo) {
      if (p.type !== 'renderer') continue;
      try {
        const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p.id}/status`, 'utf8'))?.[1] ?? 0);
        best = Math.max(best, kb / 1024);
      } catch { /* gone */ }
    }
    return best;
  } finally {
    await cdp.detach();
  }
}
