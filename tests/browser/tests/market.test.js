// The live crypto widget against a local server that speaks Upbit's WebSocket quotation
// protocol: live prices reach the page, and when the feed falls silent the page says 지연
// (with JavaScript, and server-rendered without it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { WebSocketServer } from 'ws';
import { startSite, launchBrowser } from './harness.js';

let wss;
let rest;
let site;
let browser;
let subscription = null;
let ticking = null;

function ticker(code, price) {
  const now = Date.now();
  return Buffer.from(JSON.stringify({
    type: 'ticker', code, trade_price: price, trade_timestamp: now, timestamp: now,
    opening_price: price, high_price: price, low_price: price, prev_closing_price: price,
    change: 'EVEN', signed_change_rate: 0, trade_volume: 0.01, acc_trade_price_24h: 1,
    market_state: 'ACTIVE', is_trading_suspended: false, stream_type: 'REALTIME',
  }));
}

before(async () => {
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  wss.on('connection', (socket) => {
    socket.on('message', (data) => {
      if (!subscription) subscription = JSON.parse(data.toString());
      if (ticking) return;
      let n = 0;
      // Binary frames, as the exchange sends them; a price that moves every 300 ms.
      ticking = setInterval(() => {
        n += 1;
        socket.send(ticker('KRW-BTC', 131250000 + n * 1000), { binary: true });
      }, 300);
    });
  });
  await new Promise((r) => wss.on('listening', r));
  // Candle REST endpoint for gap backfill: no candles.
  rest = http.createServer((req, res) => { res.setHeader('Content-Type', 'application/json'); res.end('[]'); });
  await new Promise((r) => rest.listen(0, '127.0.0.1', r));
  site = await startSite(['--crypto-feed', `ws://127.0.0.1:${wss.address().port}/websocket/v1`,
    '--crypto-rest', `http://127.0.0.1:${rest.address().port}`, '--stale-after', '3'], { demo: false });
  browser = await launchBrowser();
});

after(async () => {
  clearInterval(ticking);
  await browser?.close();
  await site?.stop();
  wss?.close();
  rest?.close();
});

test('live prices from the exchange feed reach the page, and silence shows 지연', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(site.base + '/');
  // The feed subscribed as documented: ticket, ticker/trade types with KRW markets, format.
  assert.ok(Array.isArray(subscription), 'subscription is a JSON array');
  assert.ok(subscription[0].ticket, 'first element carries a ticket');
  assert.ok(subscription.some((e) => e.type === 'ticker' && e.codes.includes('KRW-BTC')));
  const price = '.crypto-widget .quote-row[data-code="KRW-BTC"] .q-price';
  await page.waitForSelector(price, { timeout: 10000 });
  const first = await page.textContent(price);
  await page.waitForFunction(([sel, old]) => document.querySelector(sel)?.textContent !== old, [price, first],
    { timeout: 10000 });
  assert.match(await page.textContent(price), /^131,2\d\d,000$/);
  const widget = await page.textContent('.crypto-widget');
  assert.doesNotMatch(widget, /데모/, 'live data is not labelled as demo');
  assert.match(widget, /업비트/);

  // The exchange falls silent: within the stale window plus a tick the row says 지연.
  clearInterval(ticking);
  await page.waitForFunction(
    () => { const s = document.querySelector('.quote-row[data-code="KRW-BTC"] .q-stale'); return s && !s.hidden; },
    null, { timeout: 15000 });
  // Without JavaScript the server renders the same marker.
  const nojs = await browser.newContext({ javaScriptEnabled: false });
  const plain = await nojs.newPage();
  await plain.goto(site.base + '/');
  assert.equal(await plain.isVisible('.quote-row[data-code="KRW-BTC"] .q-stale'), true);
  await nojs.close();
  await context.close();
});
