// Runs Lighthouse (npm, package-lock.json) on each URL given, one Chromium for all of them,
// with Lighthouse's default mobile settings: a phone screen and *simulated* throttling (a slow
// 4G network and a slower phone CPU, computed from the trace rather than applied live).
// Prints one JSON object per URL on stdout.
//
// Lighthouse's 4x CPU slowdown assumes a host whose benchmark index is about 1533 (its
// throttling calculator). A busy shared CI machine scores far lower, and the same 4x would
// then emulate a much slower phone than intended; so a first, quick run on the site's
// robots.txt measures the host, and the slowdown is scaled to it, between 1x and 4x.
//
//   CHROME_PATH=/usr/bin/chromium node tests/browser/lighthouse.mjs http://127.0.0.1:8000/ …
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import { throttling } from "lighthouse/core/config/constants.js";

// What counts as page weight "before images": everything the page loads except pictures and
// video/audio, which the reader's screen and taps decide.
const NOT_COUNTED = new Set(["Image", "Media"]);

const urls = process.argv.slice(2);
const headers = process.env.KEPU_LIGHTHOUSE_COOKIE
  ? { Cookie: process.env.KEPU_LIGHTHOUSE_COOKIE }
  : undefined;
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH || "/usr/bin/chromium",
  chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run"],
});
const REFERENCE_BENCHMARK_INDEX = 1533;
const run = (url, cpuSlowdownMultiplier) =>
  lighthouse(url, {
    port: chrome.port,
    logLevel: "error",
    output: "json",
    onlyCategories: ["performance", "accessibility"],
    extraHeaders: headers,
    throttling: { ...throttling.mobileSlow4G, cpuSlowdownMultiplier },
  });
try {
  const calibration = await run(new URL("/robots.txt", urls[0]).href, 4);
  const benchmarkIndex = calibration.lhr.environment.benchmarkIndex;
  const slowdown = Math.min(4, Math.max(1, (4 * benchmarkIndex) / REFERENCE_BENCHMARK_INDEX));
  for (const url of urls) {
    let { lhr } = await run(url, slowdown);
    // A trace Chromium failed to record (NO_NAVSTART and the like, on an overloaded host):
    // Lighthouse's own advice is to run again.
    for (let retry = 0; lhr.runtimeError && retry < 2; retry++) {
      ({ lhr } = await run(url, slowdown));
    }
    const requests = lhr.audits["network-requests"].details.items;
    const counted = requests.filter((r) => !NOT_COUNTED.has(r.resourceType));
    const failing = Object.values(lhr.audits)
      .filter((a) => a.scoreDisplayMode !== "informative" && a.scoreDisplayMode !== "notApplicable")
      .filter((a) => a.score !== null && a.score < 1)
      .map((a) => `${a.id}: ${a.title}${a.displayValue ? ` (${a.displayValue})` : ""}`);
    console.log(
      JSON.stringify({
        url,
        benchmark_index: Math.round(benchmarkIndex),
        cpu_slowdown: Math.round(slowdown * 100) / 100,
        error: lhr.runtimeError ? lhr.runtimeError.message : null,
        performance: Math.round(lhr.categories.performance.score * 100),
        accessibility: Math.round(lhr.categories.accessibility.score * 100),
        bytes_before_images: counted.reduce((sum, r) => sum + (r.transferSize || 0), 0),
        requests: counted.map((r) => `${r.resourceType} ${r.transferSize} ${r.url}`),
        failing,
        long_tasks: (lhr.audits["long-tasks"].details?.items || []).map(
          (t) => `${Math.round(t.duration)} ms at ${Math.round(t.startTime)} ms: ${t.url}`,
        ),
      }),
    );
  }
} finally {
  await chrome.kill();
}
