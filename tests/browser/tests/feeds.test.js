// Feeds, sitemaps and reader HTML checked by real parsers (issue 5): RSS and Atom through the npm
// `feedparser`, sitemaps through `fast-xml-parser`, JSON Feed 1.1 through JSON.parse and the
// spec's required fields, and the HTML of every reader page through the Nu Html Checker
// (`vnu-jar`, one JVM run over all pages, zero errors required).
//
// The demo site is extended through the admin JSON API (a CLI-made bearer token) with articles
// whose headlines carry Korean punctuation and XML-special characters, so section page 2 exists
// and the text can be compared byte for byte between the API, the feeds, the sitemaps and the
// article page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import FeedParser from 'feedparser';
import { XMLParser } from 'fast-xml-parser';
import { startSite, addUser, sinmunBinary } from './harness.js';

const require = createRequire(import.meta.url);
const vnuJar = path.join(path.dirname(require.resolve('vnu-jar')), 'build', 'dist', 'vnu.jar');

const SITE_URL = 'http://127.0.0.1:8080';  // the demo's site URL setting: feeds use it
let site;
let token;
let configDir;
const created = [];  // {id, title, url} from the admin API

function tokenCreate(db, email) {
  return new Promise((resolve, reject) => {
    const child = spawn(sinmunBinary(), ['token', 'create', '--email', email, '--db', db]);
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => { out += c; });
    child.stderr.on('data', (c) => { err += c; });
    child.on('exit', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(err))));
  });
}

async function api(method, urlPath, body) {
  const res = await fetch(site.base + urlPath, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  assert.ok(res.ok, `${method} ${urlPath}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

// A site URL from a feed or sitemap, fetched from the test server.
const local = (url) => {
  assert.ok(url.startsWith(SITE_URL + '/'), `absolute URL on the site: ${url}`);
  return site.base + url.slice(SITE_URL.length);
};

async function get(url) {
  const res = await fetch(url);
  assert.equal(res.status, 200, url);
  return { res, text: await res.text() };
}

function parseFeed(xml) {
  return new Promise((resolve, reject) => {
    const parser = new FeedParser({ normalize: true, addmeta: false });
    const items = [];
    let meta;
    parser.on('error', reject);
    parser.on('meta', (m) => { meta = m; });
    parser.on('readable', () => {
      let item;
      while ((item = parser.read())) items.push(item);
    });
    parser.on('end', () => resolve({ meta, items }));
    Readable.from([Buffer.from(xml, 'utf8')]).pipe(parser);
  });
}

const xml = new XMLParser({
  ignoreAttributes: false,
  isArray: (name) => ['sitemap', 'url'].includes(name),
  parseTagValue: false,
});

// The NewsArticle JSON-LD of an article page.
function newsArticle(html) {
  const blocks = [...html.matchAll(/<script type="application\/ld\+json">(.*?)<\/script>/gs)]
    .map((m) => JSON.parse(m[1]));
  return { article: blocks.find((b) => b['@type'] === 'NewsArticle'),
    crumbs: blocks.find((b) => b['@type'] === 'BreadcrumbList') };
}

before(async () => {
  configDir = mkdtempSync(path.join(tmpdir(), 'sinmun-feeds-'));
  const config = path.join(configDir, 'feeds.toml');
  writeFileSync(config, '[feeds]\nfull_content = true\nitems = 50\n');
  site = await startSite(['--config', config]);
  await addUser(site.db, 'feeds@sinmun.example', '피드데스크', 'editor', 'feeds-pass-2026');
  token = await tokenCreate(site.db, 'feeds@sinmun.example');
  // 14 more 정치 articles: the section gets a page 2, and the feeds get tricky text.
  const titles = [
    '세종시는 "AI <특구>" & \'규제 샌드박스\' 확정…내년 시행',
    '서울시와 경기도, 광역버스 노선 20개 신설',
    'K-팝 공연장 2024년 착공 MICE 단지와 연계',
  ];
  for (let i = 0; i < 14; i++) {
    const title = titles[i] ?? `정치 속보 ${i + 1}번째: 국회 본회의 일정 합의`;
    const a = await api('POST', '/api/v1/admin/articles', {
      title, subtitle: `부제 ${i + 1} — ‘작은따옴표’와 “큰따옴표”`, section: 'politics', labels: [],
      body_md: `${title}에 관한 본문입니다.\n\n둘째 문단은 **강조**와 [링크](/section/politics)를 담는다.`,
    });
    const p = await api('POST', `/api/v1/admin/articles/${a.id}/publish`);
    created.push({ id: a.id, title, subtitle: `부제 ${i + 1} — ‘작은따옴표’와 “큰따옴표”`, url: p.url });
  }
});

after(async () => {
  await site?.stop();
  if (configDir) rmSync(configDir, { recursive: true, force: true });
});

test('RSS 2.0 parses with feedparser; Korean text, dates and bylines match the pages', async () => {
  const { res, text } = await get(site.base + '/rss');
  assert.match(res.headers.get('content-type'), /^application\/rss\+xml; charset=utf-8/);
  assert.ok(res.headers.get('last-modified'));
  const { meta, items } = await parseFeed(text);
  assert.equal(meta.title, '신문');
  assert.equal(meta.language, 'ko');
  assert.equal(meta.link, SITE_URL + '/');
  assert.equal(meta.xmlurl ?? meta['atom:link']?.['@']?.href, SITE_URL + '/rss');
  assert.equal(items.length, 50);
  // Newest first.
  for (let i = 1; i < items.length; i++) assert.ok(items[i - 1].pubdate >= items[i].pubdate);
  const pubDates = [...text.matchAll(/<pubDate>([^<]+)<\/pubDate>/g)].map((m) => m[1]);
  assert.equal(pubDates.length, items.length);
  for (const d of pubDates) assert.match(d, /^[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d \+0900$/);

  // Every created article round-trips byte for byte: API title = feed title = page JSON-LD.
  for (const c of created) {
    const item = items.find((it) => it.guid === `${SITE_URL}/article/${c.id}`);
    assert.ok(item, `article ${c.id} in /rss`);
    assert.equal(item.title, c.title);
    assert.equal(item.summary, c.subtitle);
    assert.equal(item.link, SITE_URL + c.url);
    assert.deepEqual(item.categories, ['정치']);
    assert.deepEqual([item['dc:creator']].flat().map((x) => x['#'] ?? x), ['피드데스크']);
    assert.ok(item.description.includes('<strong>강조</strong>'), 'content:encoded is the body');
    assert.ok(item.description.includes(`href="${SITE_URL}/section/politics"`), 'absolute links');
  }
  // The first demo items: against their article page's JSON-LD.
  for (const item of items.slice(0, 25)) {
    const { text: html } = await get(local(item.link));
    const { article } = newsArticle(html);
    assert.equal(item.title, article.headline);
    assert.equal(item.pubdate.getTime(), new Date(article.datePublished).getTime());
    const creators = [item['dc:creator'] ?? []].flat().map((x) => x['#'] ?? x);
    assert.deepEqual(creators, article.author.map((a) => a.name));
    if (item.image?.url || item.enclosures.length) {
      assert.equal(item.enclosures[0].url, article.image[0]);
    }
  }
});

test('section RSS lists only its section; unknown sections are 404', async () => {
  const { text } = await get(site.base + '/rss/politics');
  const { meta, items } = await parseFeed(text);
  assert.equal(meta.title, '신문 - 정치');
  assert.equal(meta.link, SITE_URL + '/section/politics');
  assert.ok(items.length >= created.length + 1);
  for (const it of items) assert.deepEqual(it.categories, ['정치']);
  for (const c of created) assert.ok(items.some((it) => it.title === c.title), c.title);
  assert.equal((await fetch(site.base + '/rss/nope')).status, 404);
});

test('Atom parses with feedparser and carries the same entries with +09:00 times', async () => {
  const { res, text } = await get(site.base + '/atom.xml');
  assert.match(res.headers.get('content-type'), /^application\/atom\+xml/);
  const { meta, items } = await parseFeed(text);
  assert.equal(meta['#type'], 'atom');
  assert.equal(meta.title, '신문');
  assert.equal(items.length, 50);
  for (const m of text.matchAll(/<(published|updated)>([^<]+)</g)) assert.match(m[2], /\+09:00$/);
  for (const c of created) {
    const item = items.find((it) => it.guid === `${SITE_URL}/article/${c.id}`);
    assert.ok(item, `article ${c.id} in Atom`);
    assert.equal(item.title, c.title);
    assert.equal(item.author, '피드데스크');
  }
});

test('JSON Feed 1.1 has the required fields and the same Korean text', async () => {
  const { res, text } = await get(site.base + '/feed.json');
  assert.match(res.headers.get('content-type'), /^application\/feed\+json/);
  const feed = JSON.parse(text);
  assert.equal(feed.version, 'https://jsonfeed.org/version/1.1');
  assert.equal(typeof feed.title, 'string');
  assert.equal(feed.language, 'ko');
  assert.equal(feed.feed_url, SITE_URL + '/feed.json');
  assert.ok(Array.isArray(feed.items));
  assert.equal(feed.items.length, 50);
  const ids = new Set();
  for (const it of feed.items) {
    assert.equal(typeof it.id, 'string');
    assert.ok(!ids.has(it.id), 'ids are unique');
    ids.add(it.id);
    assert.ok(typeof it.content_html === 'string' || typeof it.content_text === 'string');
    assert.match(it.date_published, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00$/);
    assert.ok(Array.isArray(it.authors) && it.authors.every((a) => typeof a.name === 'string'));
  }
  for (const c of created) {
    const it = feed.items.find((x) => x.id === `${SITE_URL}/article/${c.id}`);
    assert.equal(it.title, c.title);
    assert.equal(it.summary, c.subtitle);
    assert.equal(it.url, SITE_URL + c.url);
    assert.deepEqual(it.authors.map((a) => a.name), ['피드데스크']);
  }
});

test('sitemap index, article and section sitemaps parse and list every article once', async () => {
  const { text: indexXml } = await get(site.base + '/sitemap.xml');
  const index = xml.parse(indexXml).sitemapindex;
  const locs = index.sitemap.map((s) => s.loc);
  assert.deepEqual(locs, [SITE_URL + '/sitemaps/articles-1.xml', SITE_URL + '/sitemaps/sections.xml']);
  for (const s of index.sitemap) assert.match(s.lastmod, /\+09:00$/);

  const { text: articlesXml } = await get(local(locs[0]));
  const urls = xml.parse(articlesXml).urlset.url;
  // As many as the section feeds list together (each holds up to 50, more than any section has).
  const { text: sectionsXml } = await get(local(locs[1]));
  const sectionUrls = xml.parse(sectionsXml).urlset.url.map((u) => u.loc);
  let published = 0;
  for (const loc of sectionUrls.filter((u) => u.includes('/section/'))) {
    const slug = loc.split('/section/')[1];
    published += (await parseFeed((await get(site.base + '/rss/' + slug)).text)).items.length;
  }
  assert.equal(urls.length, published);
  const seen = new Set();
  for (const u of urls) {
    assert.match(u.loc, /^[\x21-\x7e]+$/, 'URLs are ASCII (Hangul percent-encoded)');
    assert.ok(!seen.has(u.loc));
    seen.add(u.loc);
    assert.match(u.lastmod, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00$/);
  }
  for (const c of created) assert.ok(seen.has(SITE_URL + c.url), `${c.url} listed`);
  // Decoded, the slug is the Korean headline's; the URL serves that article.
  const sample = urls.find((u) => u.loc.endsWith(created[0].url));
  assert.ok(decodeURIComponent(sample.loc).includes('/세종시는-ai-특구-규제-샌드박스'));
  const page = await fetch(local(sample.loc), { redirect: 'manual' });
  assert.equal(page.status, 200);

  assert.ok(sectionUrls.includes(SITE_URL + '/'));
  assert.ok(sectionUrls.includes(SITE_URL + '/section/politics'));
});

test('Google News sitemap: last 48 hours, publication ko, +09:00, titles byte-exact', async () => {
  const { text } = await get(site.base + '/news-sitemap.xml');
  const urls = xml.parse(text).urlset.url;
  assert.ok(urls.length >= created.length && urls.length <= 1000);
  const cutoff = Date.now() - 48 * 3600 * 1000;
  for (const u of urls) {
    const n = u['news:news'];
    assert.equal(n['news:publication']['news:name'], '신문');
    assert.equal(n['news:publication']['news:language'], 'ko');
    assert.match(n['news:publication_date'], /\+09:00$/);
    assert.ok(new Date(n['news:publication_date']).getTime() >= cutoff - 60000);
  }
  for (const c of created) {
    const u = urls.find((x) => x.loc === SITE_URL + c.url);
    assert.ok(u, `${c.url} in the news sitemap`);
    // fast-xml-parser leaves entities as written unless told otherwise: decode the five XML ones.
    const title = u['news:news']['news:title']
      .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&');
    assert.equal(title, c.title);
  }
});

test('robots.txt names both sitemaps and keeps /admin out', async () => {
  const { text } = await get(site.base + '/robots.txt');
  assert.match(text, /^Disallow: \/admin$/m);
  assert.match(text, new RegExp(`^Sitemap: ${SITE_URL}/sitemap\\.xml$`, 'm'));
  assert.match(text, new RegExp(`^Sitemap: ${SITE_URL}/news-sitemap\\.xml$`, 'm'));
});

test('article structured data: NewsArticle, BreadcrumbList, Open Graph, Twitter, canonical', async () => {
  const c = created[0];
  const { text: html } = await get(site.base + c.url);
  const { article, crumbs } = newsArticle(html);
  assert.equal(article.headline, c.title);
  assert.equal(article.inLanguage, 'ko');
  assert.equal(article.articleSection, '정치');
  assert.match(article.datePublished, /\+09:00$/);
  assert.match(article.dateModified, /\+09:00$/);
  assert.deepEqual(article.author, [{ '@type': 'Person', name: '피드데스크', email: 'feeds@sinmun.example' }]);
  assert.equal(article.publisher['@type'], 'NewsMediaOrganization');
  assert.equal(article.publisher.logo['@type'], 'ImageObject');
  assert.match(article.publisher.logo.url, /^http:\/\/127\.0\.0\.1:8080\/assets\/logo\./);
  assert.equal(article.mainEntityOfPage['@id'], SITE_URL + c.url);
  assert.deepEqual(crumbs.itemListElement.map((e) => [e.position, e.name, e.item]), [
    [1, '홈', SITE_URL + '/'], [2, '정치', SITE_URL + '/section/politics'], [3, c.title, SITE_URL + c.url]]);
  assert.ok(html.includes(`<link rel="canonical" href="${SITE_URL}${c.url}">`));
  assert.ok(html.includes('<nav class="breadcrumb" aria-label="현재 위치">'));
  // A demo article with a photo: og:image with its size, the large Twitter card.
  const { text: home } = await get(site.base + '/');
  const demoUrl = home.match(/href="(\/article\/\d+\/[^"]+)"/)[1];
  const { text: demo } = await get(site.base + demoUrl);
  const { article: demoArticle } = newsArticle(demo);
  assert.ok(Array.isArray(demoArticle.image) && demoArticle.image.every((u) => u.startsWith(SITE_URL + '/')));
  assert.match(demo, /<meta property="og:image" content="http:\/\/127\.0\.0\.1:8080\/media\/[^"]+">/);
  assert.match(demo, /<meta property="og:image:width" content="\d+">/);
  assert.match(demo, /<meta property="og:image:height" content="\d+">/);
  assert.ok(demo.includes('<meta name="twitter:card" content="summary_large_image">'));
  for (const prop of ['og:type" content="article', 'og:locale" content="ko_KR', 'og:site_name" content="신문',
    'article:section" content=', 'article:published_time" content=', 'article:modified_time" content=']) {
    assert.ok(demo.includes(`<meta property="${prop}`), prop);
  }
  // Canonical URLs of home and section pages, page 2 included.
  assert.ok(home.includes(`<link rel="canonical" href="${SITE_URL}/">`));
  const { text: page2 } = await get(site.base + '/section/politics?page=2');
  assert.ok(page2.includes(`<link rel="canonical" href="${SITE_URL}/section/politics?page=2">`));
  assert.ok(page2.includes(`<link rel="alternate" type="application/rss+xml" title="신문 정치 RSS" href="${SITE_URL}/rss/politics">`));
});

test('the Nu Html Checker finds no errors in any reader page', async () => {
  const pages = {
    'home.html': '/',
    'section.html': '/section/politics',
    'section-page-2.html': '/section/politics?page=2',
    'article.html': created[0].url,
    'article-demo.html': (await get(site.base + '/')).text.match(/href="(\/article\/\d+\/[^"]+)"/)[1],
    'not-found.html': '/section/nope',
    'search.html': '/search?q=' + encodeURIComponent('세종'),
    'search-none.html': '/search?q=' + encodeURIComponent('없는낱말조합'),
  };
  const dir = mkdtempSync(path.join(tmpdir(), 'sinmun-vnu-'));
  try {
    const files = [];
    for (const [name, urlPath] of Object.entries(pages)) {
      const res = await fetch(site.base + urlPath);
      assert.equal(res.status, name === 'not-found.html' ? 404 : 200, urlPath);
      const file = path.join(dir, name);
      writeFileSync(file, await res.text());
      files.push(file);
    }
    const report = await new Promise((resolve) => {
      execFile('java', ['-jar', vnuJar, '--errors-only', '--format', 'json', ...files],
        { maxBuffer: 16 << 20 }, (err, stdout, stderr) => resolve(stdout + stderr));
    });
    const messages = JSON.parse(report.slice(report.indexOf('{'))).messages;
    const errors = messages.filter((m) => m.type === 'error' || m.subType === 'fatal');
    assert.deepEqual(errors.map((m) => `${path.basename(m.url ?? '')}:${m.lastLine}: ${m.message}`), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
