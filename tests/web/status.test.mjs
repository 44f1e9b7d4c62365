// Browser test of the hub's web status page (issue 7): the real lwc-hub (init --demo) over TLS on
// 127.0.0.1, headless Debian Chromium driven by playwright-core. The page must show 13 districts,
// follow a push by the real lwc-client within 2 s without a reload, show Thai and English, keep
// personal data out of the public JSON, and print a demand letter for a province login.
//   node status.test.mjs HUB_BIN CLIENT_BIN ARTIFACT_DIR [DOCS_SCREENSHOT_DIR]
// Artifacts: status-th.png, status-en.png, letters-th.png, letter-demand-th.png/.pdf.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [hubBin, clientBin, artifacts, docsDir] = process.argv.slice(2);
if (!hubBin || !clientBin || !artifacts) {
  console.error('usage: node status.test.mjs HUB_BIN CLIENT_BIN ARTIFACT_DIR [DOCS_DIR]');
  process.exit(2);
}
mkdirSync(artifacts, { recursive: true });
const work = mkdtempSync(join(tmpdir(), 'lwc-web-'));
const hubData = join(work, 'hub');
let hub = null, browser = null;
const started = Date.now();
const log = (...a) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)}s]`, ...a);

function check(cond, what) {
  if (!cond) throw new Error('FAILED: ' + what);
  log('ok:', what);
}

function run(argv, input = '') {
  const r = spawnSync(argv[0], argv.slice(1), { input, encoding: 'utf8', timeout: 30000 });
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stdout}${r.stderr}`);
  return r.stdout;
}

function startHub() {
  return new Promise((resolve, reject) => {
    const p = spawn(hubBin, ['--data', hubData, 'serve', '--listen', '127.0.0.1:0'],
                    { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error('lwc-hub did not start: ' + out)), 20000);
    p.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/lwc-hub listening on (https:\/\/[0-9.]+:\d+)/);
      if (m) { clearTimeout(timer); resolve({ proc: p, url: m[1] }); }
    });
    p.on('exit', (code) => reject(new Error(`lwc-hub exited ${code}: ${out}`)));
  });
}

async function main() {
  run([hubBin, '--data', hubData, 'init', '--demo', '--listen', '127.0.0.1:0']);
  hub = await startHub();
  const url = hub.url;
  log('hub at', url);

  browser = await chromium.launch({ executablePath: process.env.LWC_CHROMIUM || '/usr/bin/chromium',
                                    args: ['--no-sandbox'] });
  // The hub's development CA is not in Chromium's store: accept its certificate in this context.
  const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'th-TH',
                                             viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url + '/');
  await page.waitForFunction(() => document.querySelectorAll('#matrix tbody tr[data-district]').length === 13,
                             null, { timeout: 10000 });
  check(true, 'the page shows 13 districts');
  check(await page.locator('html').getAttribute('lang') === 'th', 'Thai by default');
  check((await page.textContent('#subtitle')).includes('2570'), 'fiscal year in the Buddhist Era');
  await page.waitForSelector('#live[data-state="on"]', { timeout: 10000 });
  check(true, 'the page holds the status event stream');

  const cell = 'tr[data-district="5202"] td.budget .pct';
  const before = await page.textContent(cell);
  const rendersBefore = Number(await page.evaluate(() => document.body.dataset.renders));
  await page.evaluate(() => { window.__sameDocument = true; });
  log('Mae Mo budget before:', before);

  // A district officer enters a new figure and syncs with the real client.
  const clientData = join(work, 'maemo');
  run([clientBin, '--data', clientData, 'enroll', '--hub', url, '--ca', join(hubData, 'tls/ca.pem'),
       '--user', 'maemo'], 'lwc-5202-2570\n');
  run([clientBin, '--data', clientData, 'budget', 'set', '--work-group', 'strategy', '--amount', '1237500']);
  const syncStart = Date.now();
  run([clientBin, '--data', clientData, 'sync']);
  const syncEnd = Date.now();
  await page.waitForFunction(([sel, old]) => {
    const el = document.querySelector(sel);
    return el && el.textContent !== old;
  }, [cell, before], { timeout: 2000 + (syncEnd - syncStart), polling: 20 });
  const seen = Date.now();
  const after = await page.textContent(cell);
  log(`Mae Mo budget after: ${after}; sync took ${syncEnd - syncStart} ms, page changed ` +
      `${seen - syncEnd} ms after the sync returned (${seen - syncStart} ms after it began)`);
  check(seen - syncEnd <= 2000, 'the page changed within 2 s of the push');
  check(after === '75.0%', 'the page shows the pushed figure (1,237,500 of 1,650,000 = 75.0%)');
  check(await page.evaluate(() => window.__sameDocument === true), 'without a reload');
  check(Number(await page.evaluate(() => document.body.dataset.renders)) > rendersBefore, 're-rendered from the event');

  // The public JSON never names a person or a device.
  const publicJson = await page.evaluate(async () => (await fetch('/v1/status')).text());
  for (const word of ['maemo', 'province', 'admin', 'executive', 'entered_by', 'verified_by', 'device']) {
    check(!publicJson.includes(word), `public /v1/status does not contain "${word}"`);
  }
  check(!/[0-9a-f]{32}/.test(publicJson), 'public /v1/status holds no row or device ids');
  check(/"as_of_text"/.test(publicJson) && /"at_text"/.test(publicJson), 'every figure has its as-of time');

  // The award: medals only for ranks 1-3 with a positive score; a negative score never wears one.
  const podium = await page.evaluate(() => [...document.querySelectorAll('section.award tbody tr')].map((tr) =>
    ({ medal: tr.querySelector('.medal') !== null, points: tr.querySelectorAll('td')[3]?.textContent || '' })));
  check(podium.length === 13, `the award lists 13 districts (${podium.length})`);
  check(podium.filter((r) => r.medal).length === 3 && podium.slice(0, 3).every((r) => r.medal),
        'three medals, on the first three rows');
  check(podium.every((r) => !r.medal || /^[1-9]/.test(r.points)), 'every medal on a positive score');
  await page.waitForTimeout(300);  // let the rules run after the push settle on the page
  await page.screenshot({ path: join(artifacts, 'status-th.png'), fullPage: true });
  await page.click('button[data-lang="en"]');
  await page.waitForFunction(() => document.querySelector('#title').textContent === 'Lampang Warning Center');
  await page.waitForFunction(() => document.querySelector('tr[data-district="5202"] th .name').textContent === 'Mae Mo');
  check((await page.textContent('#subtitle')).includes('2027'), 'English: fiscal year in CE');
  check(await page.evaluate(() => window.__sameDocument === true), 'language switch without a reload');
  await page.screenshot({ path: join(artifacts, 'status-en.png'), fullPage: true });
  await page.click('button[data-lang="th"]');

  // Letters: a province login, then the demand letter for the district.
  await page.goto(url + '/letters');
  await page.fill('input[name=user]', 'province');
  await page.fill('input[name=password]', 'lwc-province-2570');
  await page.click('form.login button');
  await page.waitForSelector('table.letters tbody tr');
  await page.screenshot({ path: join(artifacts, 'letters-th.png'), fullPage: true });
  await page.click('tr:has(.pill.escalated) a, tr:has(.pill.demand) a');
  await page.waitForSelector('article.a4[data-kind="demand"]');
  const letter = await page.textContent('article.a4');
  check(letter.includes('บันทึกข้อความ') && letter.includes('ทวงถาม'), 'a demand letter (memo layout)');
  check(/\d{1,2} [ก-๙]+ 25\d\d/.test(letter), 'dated in the Buddhist Era');
  check(letter.includes('พัฒนาการอำเภอ'), 'addressed to the district office');
  await page.screenshot({ path: join(artifacts, 'letter-demand-th.png'), fullPage: true });
  const pdf = await page.pdf({ path: join(artifacts, 'letter-demand-th.pdf'), format: 'A4' });
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
  check(pages === 1, `the letter prints on one A4 page (${pages})`);
  check(errors.length === 0, 'no script errors: ' + errors.join('; '));

  // Behind login (hub.json "web": {"public": false}): the page asks for a login, then goes live.
  hub.proc.kill('SIGTERM');
  await new Promise((r) => hub.proc.once('exit', r));
  run([hubBin, '--data', hubData, 'config', 'set', 'web', '{"public": false, "max_streams": 1}']);
  hub = await startHub();
  const closed = await (await browser.newContext({ ignoreHTTPSErrors: true })).newPage();
  await closed.goto(hub.url + '/');
  await closed.waitForSelector('form.login');
  const anonymous = await closed.evaluate(async () =>
    [(await fetch('/v1/status')).status, (await fetch('/v1/status/events')).status]);
  check(anonymous[0] === 401 && anonymous[1] === 401, 'not public: status and its stream need a login');
  await closed.fill('input[name=user]', 'maemo');
  await closed.fill('input[name=password]', 'lwc-5202-2570');
  await closed.click('form.login button');
  await closed.waitForFunction(() => document.querySelectorAll('#matrix tbody tr[data-district]').length === 13);
  await closed.waitForSelector('#live[data-state="on"]', { timeout: 10000 });
  check(true, 'after login the page shows 13 districts and follows the stream');
  const second = await closed.evaluate(async () => (await fetch('/v1/status/events', {
    headers: { Authorization: 'Bearer ' + sessionStorage.getItem('lwc.token') } })).status);
  check(second === 429, `web.max_streams = 1: a second live stream is refused (${second})`);

  if (docsDir) {
    mkdirSync(docsDir, { recursive: true });
    copyFileSync(join(artifacts, 'status-th.png'), join(docsDir, 'web-status-th.png'));
    copyFileSync(join(artifacts, 'letter-demand-th.png'), join(docsDir, 'web-letter-th.png'));
    log('README screenshots updated in', docsDir);
  }
  log('artifacts in', artifacts);
}

try {
  await main();
  log('PASS');
} catch (e) {
  console.error(e.stack || String(e));
  process.exitCode = 1;
} finally {
  if (browser) await browser.close().catch(() => {});
  if (hub) hub.proc.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
}
