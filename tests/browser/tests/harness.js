// Shared harness: starts the real sinmun binary on 127.0.0.1 (ephemeral port, temp SQLite file,
// demo content) and a headless Debian Chromium driven by playwright-core.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..', '..');
export const outputDir = path.resolve(here, '..', 'output');

export function sinmunBinary() {
  return process.env.SINMUN_BIN || path.join(repoRoot, 'build', 'release', 'src', 'app', 'sinmun');
}

export const chromiumArgs = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export async function startSite(extraArgs = [], { demo = true } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'sinmun-browser-'));
  const child = spawn(sinmunBinary(), ['serve', ...(demo ? ['--demo'] : []), '--listen', '127.0.0.1:0',
    '--db', path.join(dir, 'demo.db'), ...extraArgs], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('sinmun did not start:\n' + output)), 60000);
    const onData = (chunk) => {
      output += chunk.toString();
      const m = output.match(/listening on http:\/\/127\.0\.0\.1:(\d+)/);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`sinmun exited ${code}:\n${output}`)); });
  });
  child.removeAllListeners('exit');
  child.stdout.resume();
  child.stderr.resume();
  return {
    base: `http://127.0.0.1:${port}`,
    dir,
    db: path.join(dir, 'demo.db'),
    mediaDir: path.join(dir, 'var', 'media'),
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => { if (child.exitCode !== null) r(); else child.on('exit', r); });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  mkdirSync(outputDir, { recursive: true });
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs });
}

// The first article URL linked from the home page.
export async function firstArticleUrl(page, base) {
  await page.goto(base + '/');
  const href = await page.locator('a[href^="/article/"]').first().getAttribute('href');
  return base + href;
}

// Creates a newsroom account through the CLI (`sinmun user add`), password on stdin, on the same
// database file the running server uses.
export async function addUser(db, email, name, role, password) {
  const child = spawn(sinmunBinary(), ['user', 'add', '--email', email, '--name', name, '--role', role,
    '--db', db], { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c) => { output += c; });
  child.stderr.on('data', (c) => { output += c; });
  child.stdin.end(password + '\n');
  const code = await new Promise((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`sinmun user add ${email} exited ${code}:\n${output}`);
  return output;
}
