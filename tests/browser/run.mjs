// run.mjs MANDAT: the web interface in Debian's chromium, headless, driven by
// playwright-core.  Ingests the corpus into a temporary registry, starts `mandat
// serve` on a free loopback port, then: search for « ressources extrabudgétaires »,
// open a hit, follow a citation, filter the mandates by addressee UNODC, open the
// version comparison, the dashboard and the English interface.  Screenshots go to
// tests/out/*.png.  Prints "ok"/"not ok" per check and "N passed, N failed".
import { chromium } from 'playwright-core';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const OUT = join(ROOT, 'tests/out');
const tmp = mkdtempSync(join(tmpdir(), 'mandat-browser-'));
const mandat = join(tmp, 'mandat');
copyFileSync(resolve(process.argv[2] || join(ROOT, 'mandat')), mandat);
mkdirSync(OUT, { recursive: true });

let pass = 0, fail = 0;
const ok = (d) => { pass++; console.log('ok - ' + d); };
const notok = (d, why) => { fail++; console.log('not ok - ' + d + (why ? ' (' + why + ')' : '')); };
async function check(desc, fn) {
  try { const r = await fn(); if (r === false) notok(desc); else ok(desc); } catch (e) { notok(desc, String(e.message || e).split('\n')[0]); }
}

execFileSync(mandat, ['ingest', '--db', join(tmp, 'm.db'), 'corpus/'], { cwd: ROOT, stdio: 'ignore' });
const server = spawn(mandat, ['serve', '--db', join(tmp, 'm.db'), '--port', '0'], { cwd: ROOT });
process.on('exit', () => server.kill('SIGTERM')); // also when chromium fails to start
const url = await new Promise((res, rej) => {
  let buf = '';
  server.stdout.on('data', (d) => { buf += d; const m = buf.match(/http:\/\/[^ ]+/); if (m) res(m[0].replace(/\/$/, '')); });
  server.on('exit', () => rej(new Error('server exited')));
  setTimeout(() => rej(new Error('no URL after 10 s')), 10000);
});

// A new empty profile (--user-data-dir, which playwright takes as this argument).
const context = await chromium.launchPersistentContext(join(tmp, 'profile'), {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1366, height: 860 }, locale: 'fr-FR',
});
const page = context.pages()[0] || await context.newPage();
const problems = [];
page.on('console', (m) => { if (m.type() === 'error') problems.push('console: ' + m.text()); });
page.on('pageerror', (e) => problems.push('page error: ' + e.message));
page.on('request', (r) => { if (!r.url().startsWith(url) && !r.url().startsWith('data:')) problems.push('off-site request: ' + r.url()); });
const ready = () => page.waitForSelector('body[data-ready="1"]', { timeout: 10000 });
const shot = (name) => page.screenshot({ path: join(OUT, name + '.png'), fullPage: false });

try {
  await page.goto(url + '/');
  await ready();
  await check('keyboard: the first Tab reaches the skip link', async () => {
    await page.keyboard.press('Tab');
    return (await page.evaluate(() => document.activeElement.className)) === 'skip';
  });
  await check('search « ressources extrabudgétaires »: highlighted hits', async () => {
    await page.fill('#q', '« ressources extrabudgétaires »');
    await Promise.all([page.waitForNavigation(), page.press('#q', 'Enter')]);
    await ready();
    const n = await page.locator('.hits li').count();
    const marks = await page.locator('.hits mark').count();
    await shot('1-search');
    return n > 0 && marks >= 2 && (await page.locator('.facets h3').count()) >= 3;
  });
  let hitHref;
  await check('open a hit: the resolution at its paragraph anchor', async () => {
    const links = page.locator('a.hit-link');
    const texts = await links.allTextContents();
    const i = Math.max(0, texts.findIndex((x) => x.startsWith('A/RES/80/229')));
    hitHref = await links.nth(i).getAttribute('href');
    await Promise.all([page.waitForNavigation(), links.nth(i).click()]);
    await ready();
    const anchor = hitHref.split('#')[1];
    const target = await page.evaluate((a) => { const el = document.getElementById(a); return el && el.classList.contains('target'); }, anchor);
    await shot('2-resolution');
    return /^(OP|PP)\d+$/.test(anchor) && target && (await page.locator('.clause.mandate').count()) > 10;
  });
  await check('follow a citation into the registry', async () => {
    const before = page.url();
    const cite = page.locator('a.cite').first();
    const text = await cite.textContent();
    await Promise.all([page.waitForNavigation(), cite.click()]);
    await ready();
    await shot('3-citation');
    return page.url() !== before && (await page.locator('h1').textContent()).length > 10 && text.length > 0;
  });
  await check('mandates filtered by addressee UNODC', async () => {
    await page.click('#nav a[data-page="mandates"]');
    await ready();
    await page.selectOption('#f-addressee', 'unodc');
    await Promise.all([page.waitForNavigation(), page.click('form.filters button[type=submit]')]);
    await ready();
    const rows = await page.locator('table.mandates tbody tr td:nth-child(4)').allTextContents();
    const csv = await page.locator('a.button[download]').getAttribute('href');
    await shot('4-mandates-unodc');
    return rows.length > 10 && rows.every((r) => r.includes('ONUDC')) && csv.includes('addressee=unodc') && csv.includes('format=csv');
  });
  await check('version comparison of the series (2022 → 2025)', async () => {
    await page.click('#nav a[data-page="compare"]');
    await ready();
    const pairs = await page.locator('.pair:not(.same)').count();
    const ins = await page.locator('.diff ins').count();
    await shot('5-compare');
    return pairs > 10 && ins > 0 && (await page.locator('.series a').count()) >= 3;
  });
  await check('dashboard: four SVG charts', async () => {
    await page.click('#nav a[data-page="dashboard"]');
    await ready();
    await shot('6-dashboard');
    return (await page.locator('svg.svgchart').count()) === 4 && (await page.locator('svg.svgchart rect').count()) > 20;
  });
  await check('English interface', async () => {
    await page.click('#lang');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await page.waitForSelector('svg.svgchart');
    await shot('7-dashboard-en');
    return (await page.locator('h1').textContent()) === 'Dashboard';
  });
  await check('no console error, no request off this server', async () => {
    if (problems.length) throw new Error(problems.slice(0, 3).join('; '));
  });
} finally {
  await context.close();
  server.kill('SIGTERM');
  rmSync(tmp, { recursive: true, force: true });
}
console.log(`${pass} passed, ${fail} failed`);
process.exit(fail ? 1 : 0);
