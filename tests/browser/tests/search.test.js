// Search in a real headless Chromium: the masthead box works without JavaScript, the results page
// fits a 1280 px desktop and a 360 px phone (no horizontal scroll), and screenshots are saved.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startSite, launchBrowser, outputDir } from './harness.js';

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

test('the masthead search box submits without JavaScript and lands on highlighted results', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(site.base + '/');
  await page.fill('.masthead-search input[name="q"]', '세종');
  await Promise.all([page.waitForURL(/\/search\?q=/), page.press('.masthead-search input[name="q"]', 'Enter')]);
  assert.equal(new URL(page.url()).searchParams.get('q'), '세종');
  assert.match(await page.textContent('.search-count'), /검색결과 \d+건/);
  assert.ok(await page.locator('.search-results mark').count() > 0, 'matches are highlighted');
  await page.screenshot({ path: path.join(outputDir, 'search-1280.png'), fullPage: true });
  // The sort switch and the section filter keep the query.
  await page.click('.sort-switch >> text=최신순');
  assert.equal(new URL(page.url()).searchParams.get('sort'), 'newest');
  assert.equal(new URL(page.url()).searchParams.get('q'), '세종');
  await page.selectOption('.search-section', 'politics');
  await Promise.all([page.waitForURL(/section=politics/), page.click('.search-button')]);
  const params = new URL(page.url()).searchParams;
  assert.equal(params.get('q'), '세종');
  assert.equal(params.get('sort'), 'newest');
  for (const s of await page.locator('.item-section').allTextContents()) assert.equal(s.trim(), '정치');
  await context.close();
});

test('results, no results and a bad query fit a 360 px phone', async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 780 }, deviceScaleFactor: 2 });
  const page = await context.newPage();
  for (const [name, q] of [['search-360', '서울 청년'], ['search-none-360', '우주정거장 도킹'], ['search-bad-360', '!!!']]) {
    const res = await page.goto(site.base + '/search?q=' + encodeURIComponent(q));
    assert.equal(res.status(), name === 'search-bad-360' ? 400 : 200);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${name}: page scrolls sideways by ${overflow}px`);
    await page.screenshot({ path: path.join(outputDir, `${name}.png`), fullPage: false });
  }
  await context.close();
});
