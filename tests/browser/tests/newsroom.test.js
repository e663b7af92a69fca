// Newsroom browser tests (issue 3): Hangul through IME composition in the body textarea, and the
// whole desk workflow — a reporter drafts with a photo and submits, an editor publishes, corrects,
// unpublishes, and a scheduled article appears by itself — on the real binary in headless Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { startSite, launchBrowser, addUser, outputDir } from './harness.js';

const PASSWORD = 'newsroom-test-password';
const REPORTER = 'reporter@sinmun.test';
const EDITOR = 'editor@sinmun.test';
let site;
let browser;

before(async () => {
  site = await startSite();
  await addUser(site.db, REPORTER, '김기자', 'reporter', PASSWORD);
  await addUser(site.db, EDITOR, '이데스크', 'editor', PASSWORD);
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (site) await site.stop();
});

async function signIn(email, width = 1280) {
  const context = await browser.newContext({ viewport: { width, height: 900 }, locale: 'ko-KR' });
  const page = await context.newPage();
  page.on('dialog', (d) => d.accept());  // 게재 중단 asks for confirmation
  await page.goto(site.base + '/admin');
  assert.match(page.url(), /\/admin\/login\?next=/);  // signed out: sent to the login page
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', PASSWORD);
  await Promise.all([page.waitForURL((u) => u.pathname === '/admin'), page.click('button[type=submit]')]);
  return { context, page };
}

// A JPEG to upload: one of the demo photos the server generated into its media directory.
function demoJpeg() {
  const dir = path.join(site.mediaDir, 'demo');
  const files = readdirSync(dir).filter((f) => f.endsWith('.jpg'))
    .map((f) => path.join(dir, f)).sort((a, b) => statSync(a).size - statSync(b).size);
  assert.ok(files.length > 0, 'demo photos exist');
  return files[0];
}

async function newDraft(page, headline, body) {
  await page.goto(site.base + '/admin/articles/new');
  await page.fill('#headline', headline);
  const section = await page.locator('#section option[value]:not([value=""])').first();
  const sectionValue = await section.getAttribute('value');
  const sectionName = (await section.textContent()).trim();
  await page.selectOption('#section', sectionValue);
  if (body !== undefined) await page.fill('#body_md', body);
  await Promise.all([page.waitForURL(/\/admin\/articles\/\d+\/edit/), page.click('#btn-save')]);
  const id = Number(page.url().match(/articles\/(\d+)\/edit/)[1]);
  return { id, sectionName };
}

async function compose(cdp, steps, final) {
  for (const text of steps) {
    await cdp.send('Input.imeSetComposition', { text, selectionStart: text.length, selectionEnd: text.length });
  }
  await cdp.send('Input.insertText', { text: final });
}

async function eventually(fn, timeoutMs = 30000, what = 'condition') {
  const until = Date.now() + timeoutMs;
  let last;
  while (Date.now() < until) {
    try { if (await fn()) return; } catch (e) { last = e; }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${what}${last ? ': ' + last.message : ''}`);
}

test('Hangul typed through IME composition is saved exactly', async () => {
  const { context, page } = await signIn(REPORTER);
  const { id } = await newDraft(page, 'IME 조합 시험', '');
  await page.goto(`${site.base}/admin/articles/${id}/edit`);
  const cdp = await page.context().newCDPSession(page);
  await page.click('#body_md');
  // At the start of the first paragraph.
  await compose(cdp, ['ㅎ', '하', '한', '한ㄱ', '한그', '한글'], '한글');
  // A new paragraph, then composition right after Enter.
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await compose(cdp, ['ㅎ', '하', '한', '한ㄱ', '한그', '한글'], '한글');
  await compose(cdp, [' ', ' ㅈ', ' 조', ' 조ㅎ', ' 조하', ' 조합'], ' 조합');
  // After a single Enter too, with formatting around the composed word.
  await page.keyboard.press('Enter');
  await page.keyboard.type('**');
  await compose(cdp, ['ㄱ', '구', '굵', '굵ㄱ', '굵게'], '굵게');
  await page.keyboard.type('**');
  const expected = '한글\n\n한글 조합\n**굵게**';
  assert.equal(await page.inputValue('#body_md'), expected);
  await Promise.all([page.waitForURL(/notice=saved/), page.click('#btn-save')]);
  await page.reload();
  assert.equal(await page.inputValue('#body_md'), expected);
  // The live preview shows it as the reader page will.
  await eventually(async () => (await page.locator('#preview').innerHTML()).includes('<strong>굵게</strong>'),
    10000, 'preview');
  await context.close();
});

test('reporter drafts with a photo, editor publishes, corrects, unpublishes; scheduling works', async () => {
  const headline = '브라우저 시험 기사 ' + Date.now();
  const reporter = await signIn(REPORTER);
  let page = reporter.page;
  const { id, sectionName } = await newDraft(page, headline, '첫 문단입니다.');

  // Photo upload with caption, then 본문에 넣기 at the end of the body.
  await page.setInputFiles('#photo-file', demoJpeg());
  await page.fill('#photo-caption', '광화문 광장을 걷는 시민들');
  await page.fill('#photo-alt', '광장을 걷는 시민들');
  await page.click('#btn-upload');
  await page.waitForSelector('#photo-list .photo-row');
  await page.click('#body_md');
  await page.keyboard.press('Control+End');
  await page.click('#photo-list .insert-photo');
  assert.match(await page.inputValue('#body_md'), /!\[[^\]]*\]\(photo:\d+\)/);
  await eventually(async () => (await page.locator('#preview figure').count()) > 0, 10000, 'photo in preview');
  await page.screenshot({ path: path.join(outputDir, 'newsroom-editor-1280.png'), fullPage: true });
  await Promise.all([page.waitForURL(/notice=submitted/), page.click('#btn-submit')]);
  assert.equal(await page.locator('.article-state .status').textContent(), '검토 요청');
  await reporter.context.close();

  // The editor publishes.
  const editor = await signIn(EDITOR);
  page = editor.page;
  await page.goto(site.base + '/admin?status=review');
  assert.ok(await page.locator(`a[href="/admin/articles/${id}/edit"]`).count() > 0);
  await page.screenshot({ path: path.join(outputDir, 'newsroom-dashboard-1280.png'), fullPage: true });
  await page.goto(`${site.base}/admin/articles/${id}/edit`);
  await Promise.all([page.waitForURL(/notice=published/), page.click('#btn-publish')]);

  const reader = await browser.newPage();
  await eventually(async () => {
    await reader.goto(site.base + '/');
    return (await reader.content()).includes(headline);
  }, 20000, 'headline on the home page');
  await reader.goto(site.base + '/');
  const sectionHref = await reader.locator('nav a', { hasText: sectionName }).first().getAttribute('href');
  await reader.goto(site.base + sectionHref);
  assert.ok((await reader.content()).includes(headline), 'on its section page');
  const articleResponse = await reader.goto(`${site.base}/article/${id}`);
  assert.equal(articleResponse.status(), 200);
  assert.ok((await reader.locator('h1.article-headline').textContent()).includes(headline));
  const caption = await reader.locator('figure.photo figcaption').first().textContent();
  assert.match(caption, /▲\s*광화문 광장을 걷는 시민들/);
  assert.equal(await reader.locator('figure.photo img').first().evaluate((img) => img.complete && img.naturalWidth > 0), true);

  // 수정 is shown when the edit is in a later minute than 입력: correct after the minute turns.
  const msToNextMinute = 60000 - (Date.now() % 60000) + 1500;
  await new Promise((r) => setTimeout(r, msToNextMinute));
  await page.goto(`${site.base}/admin/articles/${id}/edit`);
  await page.selectOption('#correction-type', 'correction');
  await page.fill('#correction-text', '기사 속 장소를 광화문 광장으로 바로잡습니다.');
  await Promise.all([page.waitForURL(/notice=corrected/), page.click('#btn-correct')]);
  await eventually(async () => {
    await reader.goto(`${site.base}/article/${id}`);
    return (await reader.locator('.correction-notice').count()) > 0;
  }, 20000, 'correction notice on the reader page');
  const notice = reader.locator('.correction-notice').first();
  assert.match(await notice.textContent(), /기사 속 장소를 광화문 광장으로 바로잡습니다/);
  // The notice is above the headline.
  const noticeBox = await notice.boundingBox();
  const headBox = await reader.locator('h1.article-headline').boundingBox();
  assert.ok(noticeBox.y < headBox.y, 'correction notice above the headline');
  assert.ok(await reader.locator('.date-updated').count() > 0, '수정 time shown');
  assert.match(await reader.locator('.date-updated').textContent(), /수정/);

  // Unpublish: readers get 410 Gone.
  await page.goto(`${site.base}/admin/articles/${id}/edit`);
  await page.fill('#unpublish-reason', '시험 종료');
  await Promise.all([page.waitForURL(/notice=unpublished/), page.click('#btn-unpublish')]);
  await eventually(async () => (await reader.goto(`${site.base}/article/${id}`)).status() === 410,
    20000, '410 after unpublish');

  // A scheduled article appears by itself, about 5 s later.
  const later = '예약 시험 기사 ' + Date.now();
  const scheduled = await newDraft(page, later, '예약된 본문입니다.');
  const at = new Date(Date.now() + 9 * 3600 * 1000 + 6000).toISOString().slice(0, 19);  // KST
  await page.fill('#publish_at', at);
  await Promise.all([page.waitForURL(/notice=scheduled/), page.click('#btn-schedule')]);
  assert.equal(await page.locator('.article-state .status').textContent(), '예약');
  assert.notEqual((await reader.goto(`${site.base}/article/${scheduled.id}`)).status(), 200);
  await eventually(async () => (await reader.goto(`${site.base}/article/${scheduled.id}`)).status() === 200,
    45000, 'the scheduled article to publish itself');
  await eventually(async () => {
    await reader.goto(site.base + '/');
    return (await reader.content()).includes(later);
  }, 45000, 'the scheduled article on the home page');
  await editor.context.close();
});

test('the editor is usable at 360 px', async () => {
  const { context, page } = await signIn(EDITOR, 360);
  await page.goto(site.base + '/admin/articles/new');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `no sideways scrolling (overflow ${overflow}px)`);
  await page.screenshot({ path: path.join(outputDir, 'newsroom-editor-360.png'), fullPage: true });
  await context.close();
});
