// The reader's article page in a real headless Chromium: font-size steps, reactions, the live
// ticker, pages without JavaScript, phone width, and screenshots on every run.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startSite, launchBrowser, firstArticleUrl, outputDir } from './harness.js';

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

// Scrolls through the page once so lazily loaded photos load, then waits until every image decoded.
async function loadEveryImage(page) {
  await page.evaluate(() => document.fonts.ready);
  await page.evaluate(async () => {
    for (let y = 0; y < document.body.scrollHeight; y += 400) {
      window.scrollTo(0, y);
      await new Promise((r) => setTimeout(r, 30));
    }
    window.scrollTo(0, 0);
  });
  await page.waitForFunction(() => [...document.images].every((i) => i.complete && i.naturalWidth > 0));
}

const bodySize = (page) =>
  page.$eval('.article-body', (el) => parseFloat(getComputedStyle(el).fontSize));

test('each of the five font steps enlarges the body and survives reload and navigation', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const url = await firstArticleUrl(page, site.base);
  await page.goto(url);
  const labels = await page.locator('.font-size button').allTextContents();
  assert.deepEqual(labels.map((s) => s.trim()), ['가장작게', '작게', '기본', '크게', '가장크게']);
  const sizes = [];
  for (let step = 0; step < 5; step++) {
    await page.click(`.fs-btn-${step}`);
    assert.equal(await page.getAttribute(`.fs-btn-${step}`, 'aria-pressed'), 'true');
    sizes.push(await bodySize(page));
  }
  for (let i = 1; i < sizes.length; i++) assert.ok(sizes[i] > sizes[i - 1], `step ${i} must be larger: ${sizes}`);
  // 가장크게 is still chosen after a reload, rendered by the server (class on <html> in the HTML itself).
  const response = await page.reload();
  const html = await response.text();
  assert.match(html, /<html lang="ko" class="fs-4"/);
  assert.equal(await bodySize(page), sizes[4]);
  // … and on another article.
  await page.goto(site.base + '/');
  const other = await page.locator('a[href^="/article/"]').nth(3).getAttribute('href');
  await page.goto(site.base + other);
  assert.equal(await bodySize(page), sizes[4]);
  await page.click('.fs-btn-2');
  await context.close();
});

test('a reaction click counts once, persists across reload, and a second click takes it back', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const url = await firstArticleUrl(page, site.base);
  await page.goto(url);
  const button = page.locator('.reaction-want_more');
  await page.waitForFunction(() => document.querySelector('.reactions')?.dataset.ready === 'true' ||
    document.querySelector('.reaction-want_more')?.getAttribute('aria-pressed') !== null);
  const before = Number(await button.locator('.reaction-count').textContent());
  await button.click();
  await page.waitForFunction((n) => Number(document.querySelector('.reaction-want_more .reaction-count').textContent) === n, before + 1);
  assert.equal(await button.getAttribute('aria-pressed'), 'true');
  await page.reload();
  await page.waitForFunction(() => document.querySelector('.reaction-want_more').getAttribute('aria-pressed') === 'true');
  assert.equal(Number(await button.locator('.reaction-count').textContent()), before + 1);
  await button.click();
  await page.waitForFunction((n) => Number(document.querySelector('.reaction-want_more .reaction-count').textContent) === n, before);
  assert.equal(await button.getAttribute('aria-pressed'), 'false');
  await context.close();
});

test('the crypto ticker changes value within a few seconds and is marked as demo data', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(site.base + '/');
  const prices = () => page.$$eval('.crypto-widget .quote-row .q-price', (els) => els.map((e) => e.textContent));
  const first = await prices();
  assert.equal(first.length, 12);
  await page.waitForFunction((old) => {
    const now = [...document.querySelectorAll('.crypto-widget .quote-row .q-price')].map((e) => e.textContent);
    return now.some((p, i) => p !== old[i]);
  }, first, { timeout: 10000 });
  const widget = await page.textContent('.crypto-widget');
  assert.match(widget, /데모/);
  assert.match(widget, /24시간 변동률 기준/);
  await context.close();
});

test('without JavaScript everything is server-rendered and the reaction form still votes', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const url = await firstArticleUrl(page, site.base);
  await page.goto(url);
  assert.equal(await page.locator('.crypto-widget .quote-row').count(), 12);
  assert.match(await page.textContent('body'), /저작권자 ©/);
  const before = Number(await page.locator('.reaction-sad .reaction-count').textContent());
  await Promise.all([page.waitForNavigation(), page.click('.reaction-sad')]);
  assert.equal(Number(await page.locator('.reaction-sad .reaction-count').textContent()), before + 1);
  await Promise.all([page.waitForNavigation(), page.click('.fs-btn-0')]);
  assert.equal(await page.getAttribute('html', 'class'), 'fs-0');
  await context.close();
});

test('screenshots of the article and home pages at 1280 px and 360 px, with no sideways scrolling on a phone', async () => {
  for (const [name, width] of [['1280', 1280], ['360', 360]]) {
    const context = await browser.newContext({ viewport: { width, height: 900 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    const url = await firstArticleUrl(page, site.base);
    await loadEveryImage(page);
    await page.screenshot({ path: path.join(outputDir, `home-${name}.png`), fullPage: true });
    await page.goto(url);
    await loadEveryImage(page);
    await page.screenshot({ path: path.join(outputDir, `article-${name}.png`), fullPage: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than a ${width}px screen`);
    await context.close();
  }
});
