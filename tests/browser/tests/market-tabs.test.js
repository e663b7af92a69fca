// Open tabs share one /stream/market (assets/site.js: Web Locks elect a leader tab that reads the
// stream and rebroadcasts it on a BroadcastChannel). Pages of one browser context are tabs of one
// browser profile; the server's own gauge (sinmun_http_open_streams on /metrics) counts the
// event-stream connections it holds. The demo market moves prices every second.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSite, launchBrowser } from './harness.js';

let site;
let browser;

before(async () => {
  site = await startSite();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await site?.stop();
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const PRICE = '.crypto-widget .quote-row[data-code="KRW-BTC"] .q-price';

async function openStreams() {
  const text = await (await fetch(site.base + '/metrics')).text();
  const m = text.match(/^sinmun_http_open_streams (\d+)$/m);
  assert.ok(m, 'sinmun_http_open_streams is exported');
  return Number(m[1]);
}

// Waits until the server holds `n` streams, for up to `ms`.
async function streamsBecome(n, ms = 15000) {
  const until = Date.now() + ms;
  let last;
  while (Date.now() < until) {
    last = await openStreams();
    if (last === n) return;
    await sleep(200);
  }
  assert.equal(last, n, `the server holds ${n} market stream(s)`);
}

const role = (page) => page.getAttribute('#crypto-widget', 'data-stream-role');

// The page's BTC price changes (a live update reached this tab).
async function updates(page, ms = 15000) {
  const before = await page.textContent(PRICE);
  await page.waitForFunction(([sel, old]) => document.querySelector(sel)?.textContent !== old,
    [PRICE, before], { timeout: ms });
}

async function tabs(context, n) {
  const pages = [];
  for (let i = 0; i < n; i++) {
    const page = await context.newPage();
    await page.goto(site.base + '/');
    pages.push(page);
  }
  return pages;
}

test('three tabs hold one stream; closing the leader hands it to another tab', async () => {
  await streamsBecome(0);
  const context = await browser.newContext();
  const pages = await tabs(context, 3);
  // Past the 2.5 s fallback: still exactly one connection for the three tabs.
  await sleep(3500);
  await streamsBecome(1);
  const roles = await Promise.all(pages.map(role));
  assert.deepEqual([...roles].sort(), ['follower', 'follower', 'leader'], roles.join());
  await Promise.all(pages.map((p) => updates(p)));
  // Every tab shows the same latest price (the followers get the leader's frames).
  await sleep(300);
  const seen = await Promise.all(pages.map((p) => p.textContent(PRICE)));
  assert.match(seen[0], /^\d{1,3}(,\d{3})+$/);

  const leader = pages[roles.indexOf('leader')];
  const rest = pages.filter((p) => p !== leader);
  const closedAt = Date.now();
  await leader.close();
  // The lock passes to one of the others, which opens the stream; the server sees the old
  // connection go and holds one again.
  const until = Date.now() + 8000;
  let newRoles;
  while (Date.now() < until) {
    newRoles = await Promise.all(rest.map(role));
    if (newRoles.includes('leader')) break;
    await sleep(100);
  }
  assert.deepEqual([...newRoles].sort(), ['follower', 'leader'], newRoles.join());
  const tookOverMs = Date.now() - closedAt;
  assert.ok(tookOverMs < 8000, `took over in ${tookOverMs} ms`);
  await streamsBecome(1);
  await Promise.all(rest.map((p) => updates(p)));
  await context.close();
  await streamsBecome(0);
});

test('the pause control freezes one tab while the others keep moving, then catches up', async () => {
  const context = await browser.newContext();
  const [a, b] = await tabs(context, 2);
  await streamsBecome(1);
  const follower = (await role(a)) === 'follower' ? a : b;
  const other = follower === a ? b : a;
  await follower.click('.ticker-pause');
  assert.equal(await follower.getAttribute('.ticker-pause', 'aria-pressed'), 'true');
  const frozen = await follower.textContent(PRICE);
  await updates(other);
  await updates(other);
  assert.equal(await follower.textContent(PRICE), frozen, 'a paused tab does not move');
  await follower.click('.ticker-pause');
  // Resuming shows the latest value at once (the one the other tab shows, or newer).
  await follower.waitForFunction(([sel, old]) => document.querySelector(sel)?.textContent !== old,
    [PRICE, frozen], { timeout: 5000 });
  await context.close();
  await streamsBecome(0);
});

test('a tab the browser never grants the lock reads the stream itself, then joins a leader', async () => {
  const context = await browser.newContext();
  // This tab's lock requests wait forever (as in browsers that never grant them).
  const lonely = await context.newPage();
  await lonely.addInitScript(() => {
    if (navigator.locks) navigator.locks.request = () => new Promise(() => {});
  });
  await lonely.goto(site.base + '/');
  await lonely.waitForFunction(
    () => document.getElementById('crypto-widget').dataset.streamRole === 'standalone', null,
    { timeout: 10000 });
  await streamsBecome(1);
  await updates(lonely);
  // A normal tab opens: it gets the lock and leads; the standalone tab hears it, closes its own
  // connection and follows.
  const normal = await context.newPage();
  await normal.goto(site.base + '/');
  await normal.waitForFunction(
    () => document.getElementById('crypto-widget').dataset.streamRole === 'leader', null,
    { timeout: 10000 });
  await lonely.waitForFunction(
    () => document.getElementById('crypto-widget').dataset.streamRole === 'follower', null,
    { timeout: 10000 });
  await streamsBecome(1);
  await updates(lonely);
  await updates(normal);
  await context.close();
  await streamsBecome(0);
});
