// The live province status page: GET /v1/status?lang=, re-fetched on every "status" event of
// GET /v1/status/events (debounced by the hub; the event carries no data). Thai first.
import { tr } from './strings.js';
import { currentLang, setLang, getJson, token, loginForm, logout, followEvents, h, s, number }
  from './common.js';

const STAGES = ['warn', 'follow', 'demand', 'escalated'];
let lang = currentLang();
let data = null;
let renders = 0;
let fetching = false, again = false;

// Figure status: no data, on track, within the tolerance below the curve, behind it.
function figureClass(f, tolerance) {
  if (!f.any) return 'no_data';
  if (f.pct >= f.expected_pct) return 'ok';
  if (f.pct >= f.expected_pct - tolerance) return 'near';
  return 'behind';
}

function reportsClass(r) {
  if (r.missing > 0) return 'behind';
  if (r.late > 0 || r.returned > 0) return 'near';
  if (r.due > 0) return 'ok';
  return 'no_data';
}

function figureCell(kind, f, tolerance, unit) {
  const cls = figureClass(f, tolerance);
  if (!f.any) {
    return h('td', { class: `fig ${kind} ${cls}` }, h('span', { class: 'pct' }, tr('fig.nodata', lang)));
  }
  const detail = unit === 'baht'
    ? `${number(f.value)} / ${number(f.target)} ฿`
    : `${number(f.value)} / ${number(f.target)}`;
  return h('td', { class: `fig ${kind} ${cls}` },
    h('div', { class: 'figline' },
      h('span', { class: 'pct' }, number(f.pct, 1) + '%'),
      h('span', { class: 'detail' }, detail)),
    h('div', { class: 'asof' }, `${tr('fig.asof', lang)} ${f.as_of_text}`,
      h('span', { class: f.verified ? 'badge verified' : 'badge unverified' },
        tr(f.verified ? 'fig.verified' : 'fig.unverified', lang))));
}

function reportsCell(r) {
  const parts = ['on_time', 'late', 'returned', 'missing', 'pending'].map((k) =>
    h('span', { class: `rep ${k}${r[k] ? '' : ' zero'}` }, `${tr('reports.' + k, lang)} ${r[k]}`));
  return h('td', { class: `reports ${reportsClass(r)}` }, h('div', { class: 'reps' }, parts));
}

// The most urgent stage with its count, then how many warnings are open in all (a subject keeps
// its earlier stages open too, so the stages are not added up in the pill).
function warningsCell(w) {
  if (!w.open) return h('td', { class: 'warnings none' }, tr('warnings.none', lang));
  const worst = [...STAGES].reverse().find((st) => w[st] > 0);
  const title = STAGES.filter((st) => w[st] > 0).map((st) => `${tr('legend.' + st, lang)} ${w[st]}`).join(' · ');
  return h('td', { class: 'warnings', title },
    h('span', { class: `pill ${worst}` }, `${tr('legend.' + worst, lang)} ${w[worst]}`),
    h('span', { class: 'total' }, `${tr('warnings.total', lang)} ${w.open}`));
}

function legend() {
  return h('div', { class: 'legend' },
    ['ok', 'warn', 'follow', 'demand', 'escalated', 'no_data'].map((k) =>
      h('span', { class: 'legend-item' }, h('span', { class: `swatch ${k}` }), tr('legend.' + k, lang))));
}

function matrix(d) {
  const tol = d.expected || {};
  const rows = d.districts.map((x) =>
    h('tr', { class: `status-${x.status}`, 'data-district': x.code, 'data-status': x.status },
      h('th', { scope: 'row', class: 'district' },
        h('span', { class: `marker ${x.status}` }), h('span', { class: 'name' }, x.name)),
      figureCell('budget', x.budget, tol.budget_tolerance_pct ?? 5, 'baht'),
      figureCell('bmn', x.bmn, tol.bmn_tolerance_pct ?? 5, 'households'),
      reportsCell(x.reports),
      warningsCell(x.warnings)));
  return h('section', { class: 'card' },
    h('div', { class: 'card-head' },
      h('h2', {}, tr('section.matrix', lang)),
      h('span', { class: 'note' }, `${tr('head.asof', lang)} ${d.at_text}`)),
    h('div', { class: 'scroll' },
      h('table', { class: 'matrix', id: 'matrix' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, tr('col.district', lang)),
          h('th', { scope: 'col' }, tr('col.budget', lang),
            h('small', {}, `${tr('col.target', lang)} ${number(tol.budget_pct ?? 0, 1)}%`)),
          h('th', { scope: 'col' }, tr('col.bmn', lang),
            h('small', {}, `${tr('col.target', lang)} ${number(tol.bmn_pct ?? 0, 1)}%`)),
          h('th', { scope: 'col' }, tr('col.reports', lang)),
          h('th', { scope: 'col' }, tr('col.warnings', lang)))),
        h('tbody', {}, rows))),
    legend());
}

// Horizontal bars per district with this week's cumulative target as a line (and its tolerance).
function barChart(d, kind, titleKey) {
  const expected = d.expected ? d.expected[kind + '_pct'] : 0;
  const tolerance = d.expected ? (d.expected[kind + '_tolerance_pct'] ?? 5) : 5;
  const figures = d.districts.map((x) => ({ name: x.name, code: x.code, f: x[kind] }));
  const top = Math.max(expected, ...figures.map((x) => x.f.pct), 10);
  const max = Math.min(100, Math.ceil((top * 1.15) / 10) * 10) || 100;
  const W = 560, left = 112, right = 46, rowH = 22, topPad = 26, bottomPad = 24;
  const H = topPad + figures.length * rowH + bottomPad;
  const x = (pct) => left + (Math.min(pct, max) / max) * (W - left - right);
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img',
                         'aria-label': tr(titleKey, lang), 'data-chart': kind });
  for (let t = 0; t <= max; t += max <= 50 ? 5 : 10) {
    svg.append(s('line', { x1: x(t), x2: x(t), y1: topPad - 4, y2: H - bottomPad, class: 'grid' }),
               s('text', { x: x(t), y: H - 8, class: 'axis', 'text-anchor': 'middle' }, t + '%'));
  }
  if (expected > 0) {
    const lo = Math.max(0, expected - tolerance);
    svg.append(s('rect', { x: x(lo), y: topPad - 4, width: x(expected) - x(lo),
                           height: figures.length * rowH + 4, class: 'band' }));
  }
  figures.forEach((row, i) => {
    const y = topPad + i * rowH;
    const cls = figureClass(row.f, tolerance);
    const g = s('g', { 'data-district': row.code });
    g.append(s('title', {}, `${row.name}: ${row.f.any ? number(row.f.pct, 1) + '%' : tr('fig.nodata', lang)}` +
                            ` — ${tr('fig.asof', lang)} ${row.f.as_of_text}`));
    g.append(s('text', { x: left - 8, y: y + rowH / 2 + 4, class: 'label', 'text-anchor': 'end' }, row.name));
    if (row.f.any) {
      g.append(s('rect', { x: left, y: y + 4, width: Math.max(1, x(row.f.pct) - left), height: rowH - 8,
                           rx: 3, class: `bar ${cls}` }));
      g.append(s('text', { x: x(row.f.pct) + 5, y: y + rowH / 2 + 4, class: 'value' }, number(row.f.pct, 1) + '%'));
    } else {
      g.append(s('text', { x: left + 4, y: y + rowH / 2 + 4, class: 'value muted' }, tr('fig.nodata', lang)));
    }
    svg.append(g);
  });
  if (expected > 0) {
    svg.append(s('line', { x1: x(expected), x2: x(expected), y1: topPad - 8, y2: H - bottomPad + 2,
                           class: 'target' }),
               s('text', { x: x(expected), y: topPad - 12, class: 'target-label', 'text-anchor': 'middle' },
                 `${tr('chart.target', lang)} ${number(expected, 1)}%`));
  }
  const asOfs = figures.filter((r) => r.f.any && r.f.as_of).map((r) => r.f);
  asOfs.sort((a, b) => a.as_of - b.as_of);
  const range = asOfs.length === 0 ? tr('fig.nodata', lang)
    : asOfs[0].as_of_text === asOfs[asOfs.length - 1].as_of_text ? asOfs[0].as_of_text
    : `${asOfs[0].as_of_text} – ${asOfs[asOfs.length - 1].as_of_text}`;
  return h('figure', { class: 'chart-box' },
    h('figcaption', {}, tr(titleKey, lang)),
    svg,
    h('p', { class: 'note' },
      h('span', { class: 'key target-key' }), `${tr('chart.target', lang)} ${number(expected, 1)}% `,
      h('span', { class: 'key band-key' }), `${tr('chart.tolerance', lang)} ${number(tolerance, 0)} · `,
      `${tr('fig.asof', lang)} ${range}`));
}

function award(d) {
  const a = d.award;
  const head = h('div', { class: 'card-head' }, h('h2', {}, tr('award.title', lang)));
  if (!a) return h('section', { class: 'card award' }, head, h('p', { class: 'note' }, tr('award.none', lang)));
  head.append(h('span', { class: 'note' },
    `${a.month_text} · ${tr(a.final ? 'award.final' : 'award.provisional', lang)} · ${tr('head.asof', lang)} ${a.at_text}`));
  const anyDue = a.scores.some((x) => x.max_points > 0);
  if (!anyDue) return h('section', { class: 'card award' }, head, h('p', { class: 'note' }, tr('award.empty', lang)));
  const rows = a.scores.map((x) =>
    h('tr', { class: x.medal > 0 ? `podium r${x.medal}` : x.nothing_due ? 'unranked' : '', 'data-district': x.code },
      h('td', { class: 'rank' }, x.medal > 0 ? h('span', { class: `medal m${x.medal}` }, x.rank)
        : x.nothing_due ? tr('award.nothing_due', lang) : x.rank),
      h('td', {}, x.name),
      h('td', {}, h('div', { class: 'scorebar' },
        h('span', { class: 'track' }, (() => { const b = h('span', { class: 'fill' }); b.style.width = Math.max(0, Math.min(100, x.percent)) + '%'; return b; })()),
        h('span', { class: 'num' }, x.max_points > 0 ? number(x.percent, 1) + '%' : '—'))),
      h('td', { class: 'num' }, x.max_points > 0 ? `${x.points}/${x.max_points}` : '—'),
      h('td', { class: 'num' }, x.on_time), h('td', { class: 'num' }, x.late),
      h('td', { class: 'num' }, x.returned), h('td', { class: 'num' }, x.missing)));
  return h('section', { class: 'card award' }, head, h('div', { class: 'scroll' },
    h('table', { class: 'leaderboard' },
      h('thead', {}, h('tr', {},
        h('th', {}, tr('award.rank', lang)), h('th', {}, tr('col.district', lang)),
        h('th', {}, tr('award.score', lang)), h('th', { class: 'num' }, tr('award.points', lang)),
        h('th', { class: 'num' }, tr('reports.on_time', lang)), h('th', { class: 'num' }, tr('reports.late', lang)),
        h('th', { class: 'num' }, tr('reports.returned', lang)), h('th', { class: 'num' }, tr('reports.missing', lang)))),
      h('tbody', {}, rows))));
}

function summaryChips(d) {
  const counts = {};
  for (const x of d.districts) counts[x.status] = (counts[x.status] || 0) + 1;
  return h('div', { class: 'chips' },
    ['ok', 'warn', 'follow', 'demand', 'escalated', 'no_data'].filter((k) => counts[k]).map((k) =>
      h('span', { class: `chip ${k}` }, h('b', {}, counts[k]), ' ', tr('legend.' + k, lang))));
}

function staticTexts() {
  document.documentElement.lang = lang;
  document.title = `${tr('app.title', lang)} — ${tr('app.subtitle', lang)}`;
  document.getElementById('title').textContent = tr('app.title', lang);
  document.getElementById('letters-link').textContent = tr('letters.link', lang);
  const out = document.getElementById('logout');
  out.textContent = tr('login.logout', lang);
  out.hidden = !token();
  for (const b of document.querySelectorAll('.lang button')) {
    b.setAttribute('aria-pressed', String(b.dataset.lang === lang));
  }
  document.getElementById('footer').textContent =
    `${tr('app.office', lang)} · ${tr('footer.privacy', lang)}`;
}

function render() {
  staticTexts();
  const main = document.getElementById('main');
  if (!data) return;
  document.getElementById('subtitle').textContent =
    `${tr('app.subtitle', lang)} · ${tr('head.fy', lang)} ${data.fiscal_year} · ` +
    `${tr('head.week', lang)} ${data.week} · ${tr('head.asof', lang)} ${data.at_text}`;
  main.replaceChildren(
    summaryChips(data),
    matrix(data),
    h('section', { class: 'card' },
      h('div', { class: 'card-head' }, h('h2', {}, tr('section.charts', lang))),
      h('div', { class: 'charts' },
        barChart(data, 'budget', 'chart.budget'),
        barChart(data, 'bmn', 'chart.bmn'))),
    award(data));
  renders += 1;
  document.body.dataset.renders = String(renders);
  document.body.dataset.atMs = String(data.at_ms);
}

async function refresh() {
  if (fetching) { again = true; return; }
  fetching = true;
  try {
    do {
      again = false;
      const res = await getJson('/v1/status?lang=' + lang);
      if (res.status === 401) {
        await loginForm(document.getElementById('main'), lang);
        again = true;
        startEvents(true);
        continue;
      }
      if (res.status !== 200) {
        if (!data) document.getElementById('main').replaceChildren(h('p', { class: 'error' }, tr('status.error', lang)));
        break;
      }
      data = res.body;
      render();
    } while (again);
  } finally {
    fetching = false;
  }
}

let stopEvents = null;
function startEvents(restart = false) {
  if (stopEvents && !restart) return;
  if (stopEvents) stopEvents();
  const live = document.getElementById('live');
  const setLive = (on) => {
    live.className = on ? 'live on' : 'live off';
    live.dataset.state = on ? 'on' : 'off';
    document.getElementById('live-text').textContent = tr(on ? 'live.live' : 'live.offline', lang);
  };
  setLive(false);
  stopEvents = followEvents('/v1/status/events', (type) => {
    if (type === 'status' || type === 'hello') refresh();  // hello: (re)connected, catch up
  }, setLive);
}

for (const b of document.querySelectorAll('.lang button')) {
  b.addEventListener('click', () => {
    lang = b.dataset.lang;
    setLang(lang);
    render();
    const live = document.getElementById('live');
    document.getElementById('live-text').textContent =
      tr(live.dataset.state === 'on' ? 'live.live' : 'live.offline', lang);
    refresh();
  });
}
document.getElementById('logout').addEventListener('click', async () => {
  await logout();
  location.reload();
});

staticTexts();
document.getElementById('live-text').textContent = tr('live.offline', lang);
refresh();
startEvents();
