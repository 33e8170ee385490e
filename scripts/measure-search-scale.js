// Measures the citizens list, the citizens search, the roster search and the lieux search at N×
// the demo's citizens: SQL statements per page (x-sql-statements), DOM nodes, requests, weight,
// server time (median of 6), and the query plans. The figures are in docs/decisions.md's
// « Identité » section and in the identity report.
//
//   PORT=4301 MARATHON_DATA_DIR=.marathon-scale MARATHON_TODAY=2026-11-29 MARATHON_QUERY_STATS=true \
//     node scripts/start.js &                        # the built app on the demo cohort
//   node scripts/measure-search-scale.js http://localhost:4301 .marathon-scale 1    # as is
//   node scripts/measure-search-scale.js http://localhost:4301 .marathon-scale 10   # copies the
//     citizens 9 more times (names suffixed « b »…« j », e-mails prefixed), then measures
//
// Writes directly to the embedded database of that data dir (as its owner, audit off like the
// seed): never point it at a real database.
import { existsSync, readFileSync } from 'node:fs';
import postgres from 'postgres';
import { chromium } from '@playwright/test';
const [origin, dataDir, factorArg] = process.argv.slice(2);
const factor = Number(factorArg);
const pid = readFileSync(`${dataDir}/pgdata/postmaster.pid`, 'utf8').split('\n');
const port = pid[3].trim();
const password = readFileSync(`${dataDir}/pg-password`, 'utf8').trim();
const sql = postgres(`postgres://postgres:${password}@127.0.0.1:${port}/postgres`, { onnotice: () => {}, max: 1 });
const [{ n: before }] = await sql`select count(*)::int as n from public.citizens`;
if (factor > 1) {
  const t0 = Date.now();
  await sql.begin(async (tx) => {
    await tx`set local marathon.seeding = 'on'`;
    for (let k = 2; k <= factor; k++) {
      await tx`insert into public.citizens (territory_id, display_name, email, phone, commune, postal_code, age_band, enrolled_at, source, is_societaire, status, withdrawn_at, erased_at)
        select territory_id, case when display_name is null then null else display_name || ' ' || ${'abcdefghij'[k - 1]} end,
               case when email is null then null else ${'c' + k + '.'} || email end, phone, commune, postal_code, age_band, enrolled_at, source, is_societaire, status, withdrawn_at, erased_at
        from public.citizens where display_name is null or display_name !~ ' [b-j]$'`;
    }
  });
  await sql`analyze public.citizens`;
  console.log(`scaled in ${Date.now() - t0} ms`);
}
const [{ n: after }] = await sql`select count(*)::int as n from public.citizens`;
const [big] = await sql`select t.slug, count(*)::int as n from public.citizens c join public.territories t on t.id = c.territory_id group by t.slug order by 2 desc limit 1`;
const [w] = await sql`select w.id from public.workshops w join public.territories t on t.id = w.territory_id where t.slug = ${big.slug} and w.status = 'held' order by w.starts_at desc limit 1`;
const [someone] = await sql`select c.display_name from public.citizens c join public.territories t on t.id = c.territory_id where t.slug = ${big.slug} and c.display_name is not null order by c.enrolled_at limit 1`;
console.log({ citizensBefore: before, citizensNow: after, territory: big.slug, inTerritory: big.n, someone: someone.display_name });
const typed = someone.display_name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().split(' ')[0];

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined) });
const context = await browser.newContext();
const p = await context.newPage();
await p.goto(`${origin}/connexion`);
await p.getByLabel('Adresse e-mail').fill(`coordination.${big.slug}@demo.marathon.test`);
await p.getByLabel('Mot de passe').fill('marathon-demo');
await p.getByRole('button', { name: 'Se connecter' }).click();
await p.waitForURL((url) => url.pathname !== '/connexion');
const paths = [
  ['liste des citoyens', `/territoires/${big.slug}/citoyens`],
  [`liste, ?q=${typed}`, `/territoires/${big.slug}/citoyens?q=${encodeURIComponent(typed)}`],
  ['liste, ?q=zephyr (aucun)', `/territoires/${big.slug}/citoyens?q=zephyr`],
  ['liste, page 20', `/territoires/${big.slug}/citoyens?page=20`],
  [`pointage, ?q=${typed}`, `/territoires/${big.slug}/ateliers/${w.id}?q=${encodeURIComponent(typed)}`],
  ['lieux, ?q=e', `/territoires/${big.slug}/lieux?q=e`]
];
for (const [name, path] of paths) {
  const times = [];
  let r0;
  for (let i = 0; i < 6; i++) {
    const fresh = await context.newPage();
    const cdp = await context.newCDPSession(fresh);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    let bytes = 0, requests = 0;
    cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; requests++; });
    const t0 = Date.now();
    const res = await fresh.request.get(`${origin}${path}`);
    times.push(Date.now() - t0);
    if (i === 0) {
      const resp = await fresh.goto(`${origin}${path}`, { waitUntil: 'networkidle' });
      const dom = await fresh.evaluate(() => document.getElementsByTagName('*').length);
      r0 = { status: resp.status(), statements: resp.headers()['x-sql-statements'], dom, requests, kb: Math.round(bytes / 102.4) / 10 };
    }
    await fresh.close();
  }
  times.sort((a, b) => a - b);
  console.log(JSON.stringify({ page: name, ...r0, serverMsMedian: times[3], serverMsMax: times[5] }));
}
await browser.close();
// Query plans at this size (as the coordinator would run them: the role's RLS applies).
const [t] = await sql`select id from public.territories where slug = ${big.slug}`;
for (const [label, q] of [
  ['list count', `select count(*) filter (where (c.name_key like (select '%' || private.identity_key('${typed}') || '%') or c.commune_key like (select '%' || private.identity_key('${typed}') || '%') or lower(c.email) like '%${typed}%'))::int from public.citizens c where c.territory_id = '${t.id}'`],
  ['list page', `select c.id from public.citizens c where c.territory_id = '${t.id}' and (c.name_key like (select '%' || private.identity_key('${typed}') || '%') or c.commune_key like (select '%' || private.identity_key('${typed}') || '%') or lower(c.email) like '%${typed}%') order by c.enrolled_at desc, c.created_at desc, c.id limit 25`],
  ['roster search', `select c.id from public.citizens c where c.territory_id = '${t.id}' and c.status = 'active' and c.erased_at is null and c.name_key like (select '%' || private.identity_key('${typed}') || '%') order by lower(c.display_name), c.id limit 10`]
]) {
  await sql.unsafe(`explain (analyze, buffers off, costs off) ${q}`); // warm the backend (unaccent rules load once per connection)
  const plan = await sql.unsafe(`explain (analyze, buffers off, costs off) ${q}`);
  const lines = plan.map((r) => r['QUERY PLAN']);
  console.log(`--- ${label}: ${lines.filter((l) => /Scan|Execution Time/.test(l)).map((l) => l.trim()).join(' | ')}`);
}
await sql.end();
