// Browser journeys a person takes, against the real `lifelong` binary on 127.0.0.1, in
// Debian's chromium driven by playwright-core. Screenshots of every page visited are kept in
// tests/browser/screenshots/. The server runs on a fresh temporary data folder with demo data.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const binary = process.env.LIFELONG_BIN || resolve(here, '../../target/debug/lifelong');
const shots = join(here, 'screenshots');
mkdirSync(shots, { recursive: true });

let server, browser, base, dataDir;

function freePort() {
  return new Promise((ok, fail) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => ok(port)); });
    s.on('error', fail);
  });
}

async function waitHealthy(url, ms) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try { const r = await fetch(url); if (r.ok) return; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server not healthy after ${ms} ms`);
}

// A made-up resident ID number that passes the GB 11643 check (rule R1).
function idNumber(birth, seq) {
  const body = `310104${birth}${String(seq).padStart(3, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const s = [...body].reduce((acc, d, i) => acc + Number(d) * w[i], 0);
  return body + '10X98765432'[s % 11];
}

// Signs in through the form with a demo login.
async function signIn(page, login, password = 'Demo@2026') {
  await page.goto(`${base}/login`);
  await page.fill('#login', login);
  await page.fill('#password', password);
  await page.click('form[action="/login"] button[type=submit]');
  await page.waitForLoadState();
}

async function shot(page, name) {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'lifelong-browser-'));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(binary, ['demo', '--listen', `127.0.0.1:${port}`, '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LIFELONG_LOG_FORMAT: 'text', LIFELONG_PUBLIC_URL: base },
  });
  server.stderr.on('data', () => {});
  server.stdout.on('data', () => {});
  await waitHealthy(`${base}/healthz`, 120_000);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  if (server) { server.kill('SIGTERM'); await new Promise((r) => server.once('exit', r)); }
  rmSync(dataDir, { recursive: true, force: true });
});

test('a citizen registers, signs in, sees a masked ID, switches language and large text', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(`${base}/`);
  await shot(page, '01-home');
  await page.getByRole('link', { name: '注册学习账户' }).first().click();
  await shot(page, '02-register');

  // Bad input first: wrong ID checksum and no consents; the form comes back with messages.
  await page.fill('#name', '王小明');
  await page.fill('#id_number', '340524198001010013');
  await page.fill('#mobile', '13912345678');
  await page.fill('#password', 'Study@2026');
  await page.fill('#password_confirm', 'Study@2026');
  await page.click('button[type=submit]:has-text("注册")');
  await assert.doesNotReject(page.locator('#error-summary').waitFor());
  assert.match(await page.locator('#error-summary').innerText(), /身份证号码/);
  assert.equal(await page.inputValue('#name'), '王小明', 'the form keeps what was typed');
  await shot(page, '03-register-errors');

  const id = idNumber('19850315', 123);
  await page.fill('#id_number', id);
  await page.fill('#password', 'Study@2026');
  await page.fill('#password_confirm', 'Study@2026');
  await page.check('input[name=consent_personal_info]');
  await page.check('input[name=consent_sensitive_id_number]');
  await page.click('button[type=submit]:has-text("注册")');
  await page.waitForURL(/\/login\?registered=1/);
  await shot(page, '04-registered');

  await page.fill('#login', '139 1234 5678');
  await page.fill('#password', 'Study@2026');
  await page.click('form[action="/login"] button[type=submit]');
  await page.waitForURL(/\/me$/);
  const body = await page.locator('main').innerText();
  assert.ok(body.includes('310***********'), 'the ID number is masked');
  assert.ok(!body.includes(id), 'the full ID number is not on the page');
  assert.ok(body.includes('已注册'), 'the account is registered, not yet verified');
  await shot(page, '05-learner-home');

  await page.getByRole('link', { name: 'English' }).click();
  await page.waitForURL(/\/me$/);
  assert.ok((await page.locator('h1').innerText()).includes('My learning account'));
  await page.getByRole('link', { name: 'Large text' }).click();
  await page.waitForURL(/\/me$/);
  assert.equal(await page.locator('body').getAttribute('class'), 'large-text');
  await shot(page, '06-learner-home-en-large');

  await page.click('form[action="/logout"] button');
  await page.waitForURL(`${base}/`);
  await context.close();
});

test('institution staff bulk-open accounts: dry run with errors, then a clean file, confirmed once', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  await signIn(page, 'inst.operator');
  await page.waitForURL(/\/console$/);
  await shot(page, '10-console');

  const dir = mkdtempSync(join(tmpdir(), 'lifelong-upload-'));
  const good = [idNumber('19700101', 501), idNumber('19620707', 502), idNumber('19991231', 503)];
  const bad = join(dir, 'bad.csv');
  writeFileSync(bad, `\uFEFF姓名,身份证号码,手机号码\n李雷,${good[0]},13800000001\n韩梅梅,110105194912310021,\n李雷,${good[0]},\n`);
  await page.setInputFiles('#file', bad);
  await page.click('form[action="/console/bulk"] button[type=submit]');
  await page.waitForSelector('#report-errors');
  assert.equal(await page.locator('#report-errors').innerText(), '2');
  const table = await page.locator('table').innerText();
  assert.match(table, /3\s+身份证号码/, 'row 3 has a bad ID number');
  assert.match(table, /4\s+身份证号码/, 'row 4 repeats row 2');
  assert.equal(await page.locator('form[action$="/commit"]').count(), 0, 'no confirm button while errors remain');
  await shot(page, '11-dry-run-errors');

  const clean = join(dir, 'clean.csv');
  writeFileSync(clean, `姓名,身份证号码,手机号码\n李雷,${good[0]},13800000001\n韩梅梅,${good[1]},\n张伟,${good[2]},13800000003\n`);
  await page.goto(`${base}/console`);
  await page.setInputFiles('#file', clean);
  await page.click('form[action="/console/bulk"] button[type=submit]');
  await page.waitForSelector('#report-create');
  assert.equal(await page.locator('#report-create').innerText(), '3');
  await shot(page, '12-dry-run-clean');
  page.once('dialog', (d) => d.accept());
  await page.click('form[action$="/commit"] button');
  await page.waitForSelector('#outcome-created');
  assert.equal(await page.locator('#outcome-created').innerText(), '3');
  await shot(page, '13-committed');

  // The same file again: nothing is created twice.
  await page.goto(`${base}/console`);
  await page.setInputFiles('#file', clean);
  await page.click('form[action="/console/bulk"] button[type=submit]');
  await page.waitForSelector('#report-create');
  assert.equal(await page.locator('#report-create').innerText(), '0');
  assert.equal(await page.locator('#report-link').innerText(), '3');
  await shot(page, '14-reupload');

  await page.goto(`${base}/console/accounts`);
  assert.ok((await page.locator('main').innerText()).includes('韩梅梅'));
  await shot(page, '15-accounts');
  rmSync(dir, { recursive: true, force: true });
  await context.close();
});

test('the credit bank: a learner reads the archive and a certificate, an employer checks it, a reviewer decides', async () => {
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
  const page = await phone.newPage();
  await signIn(page, '13800138000');
  await page.waitForURL(/\/me$/);
  await page.goto(`${base}/me/archive`);
  assert.ok((await page.locator('h1').innerText()).includes('终身学习档案'));
  assert.ok(await page.locator('li.entry.recognition').count() >= 1, 'recognitions are in the archive');
  assert.ok(await page.locator('li.entry.outcome').count() >= 3, 'outcomes are in the archive');
  const vocational = await page.locator('#credits-vocational').innerText();
  assert.ok(!vocational.startsWith('0 '), `vocational credits accumulated: ${vocational}`);
  await shot(page, '20-archive');
  await page.locator('li.entry.recognition a[href^="/recognitions/"]').first().click();
  await page.waitForSelector('#cert-no');
  const number = (await page.locator('#cert-no').innerText()).trim();
  assert.match(number, /^SHCB-\d{4}-[0-9A-F]{20}$/);
  await shot(page, '21-certificate');
  // Conversion: which of her outcomes could replace courses of a programme, and why not.
  await page.goto(`${base}/me/conversion`);
  await page.locator('main a[href^="/me/conversion/"]').first().click();
  await page.waitForLoadState();
  assert.ok((await page.locator('main').innerText()).length > 200, 'the conversion preview says something');
  await shot(page, '21b-conversion-preview');
  await phone.close();

  const employer = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  const check = await employer.newPage();
  await check.goto(`${base}/verify/recognition`);
  await check.fill('#no', number);
  await check.click('form[action="/verify/recognition"] button');
  await check.waitForSelector('#check-ok');
  assert.ok(!(await check.locator('main').innerText()).includes('林晓梅'), 'the holder is masked');
  await shot(check, '22-certificate-check');
  await check.goto(`${base}/bank`);
  await shot(check, '23-bank-framework');
  await check.goto(`${base}/bank/programmes`);
  await check.locator('main a[href^="/bank/programmes/"]').first().click();
  await check.waitForSelector('table');
  await shot(check, '24-bank-programme');
  await employer.close();

  const desk = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  const reviewer = await desk.newPage();
  await signIn(reviewer, 'reviewer');
  await reviewer.goto(`${base}/review/outcomes`);
  assert.ok(await reviewer.locator('tbody tr').count() >= 1, 'untrusted deposits wait in the queue');
  await shot(reviewer, '25-review-queue');
  await reviewer.locator('tbody tr a.button').first().click();
  await reviewer.waitForSelector('#recognition-preview');
  await shot(reviewer, '26-review-case');
  await reviewer.click('button[value="accept"]');
  await reviewer.waitForURL(/\/review\/outcomes\?done=decided/);
  await shot(reviewer, '27-review-decided');
  await desk.close();
});
