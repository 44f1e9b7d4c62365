// Warning and demand letters (หนังสือเตือน / หนังสือทวงถาม): /letters lists the open warnings,
// /letters/ID shows one as a Thai official memo (บันทึกข้อความ) on A4, printed with the browser.
// The hub fills every part (GET /v1/letters/ID?lang=); only province accounts may read them.
import { tr } from './strings.js';
import { currentLang, setLang, getJson, token, loginForm, logout, h } from './common.js';

let lang = currentLang();
const id = location.pathname.replace(/^\/letters\/?/, '');

function field(label, value, cls = '') {
  return h('div', { class: `field ${cls}` }, h('span', { class: 'label' }, label), h('span', { class: 'value' }, value));
}

function letterView(l) {
  const parts = [
    h('h1', { class: 'heading' }, l.heading),
    field(tr('letter.office', lang), l.office),
    h('div', { class: 'row2' },
      field(tr('letter.no', lang), h('span', {}, l.ref, h('span', { class: 'blank' })), 'ref'),
      field(tr('letter.date', lang), l.date_text, 'date')),
    field(tr('letter.subject', lang), l.subject, 'subject'),
    h('div', { class: 'salutation' }, h('span', { class: 'label' }, tr('letter.to', lang)), ' ', l.to),
  ];
  if (l.reference) {
    parts.push(h('div', { class: 'reference' }, h('span', { class: 'label' }, tr('letter.ref', lang)), ' ', l.reference));
  }
  for (const p of l.body) parts.push(h('p', { class: 'para' }, p));
  parts.push(h('p', { class: 'para closing' }, l.closing));
  parts.push(h('div', { class: 'signature' },
    h('div', { class: 'sign-line' }, tr('letter.sign', lang), h('span', { class: 'dots' })),
    h('div', { class: 'sign-name' }, '(', h('span', { class: 'dots long' }), ')'),
    h('div', { class: 'sign-position' }, l.signer_position)));
  const page = h('article', { class: `a4 ${l.kind}`, 'data-kind': l.kind, 'data-district': l.district }, parts);
  const note = h('p', { class: 'screen-note' },
    h('span', { class: `pill ${l.stage}` }, l.stage_text), ' ', l.kind_text, ' · ', l.district_name,
    l.cleared ? h('span', { class: 'cleared' }, ' · ' + tr('letters.cleared', lang)) : null);
  return [note, page];
}

function listView(d) {
  if (!d.letters.length) return [h('p', { class: 'screen-note' }, tr('letters.empty', lang))];
  const rows = d.letters.map((l) =>
    h('tr', { 'data-id': l.id },
      h('td', {}, h('span', { class: `pill ${l.stage}` }, l.stage_text)),
      h('td', {}, l.district_name),
      h('td', {}, l.title),
      h('td', { class: 'nowrap' }, l.due_text),
      h('td', {}, h('a', { href: `/letters/${l.id}` }, l.kind_text))));
  return [h('h1', { class: 'list-title' }, tr('letters.list', lang)),
    h('p', { class: 'screen-note wide' }, `${d.at_text}`),
    h('table', { class: 'letters' },
      h('thead', {}, h('tr', {},
        h('th', {}, ''), h('th', {}, tr('col.district', lang)), h('th', {}, tr('letter.subject', lang)),
        h('th', {}, tr('reports.due', lang)), h('th', {}, ''))),
      h('tbody', {}, rows))];
}

function chrome() {
  document.documentElement.lang = lang;
  document.getElementById('back').textContent = '← ' + tr('letters.back', lang);
  document.getElementById('back').href = id ? '/letters' : '/';
  const print = document.getElementById('print');
  print.textContent = tr('letters.print', lang);
  print.hidden = !id;
  const out = document.getElementById('logout');
  out.textContent = tr('login.logout', lang);
  out.hidden = !token();
  for (const b of document.querySelectorAll('.lang button')) {
    b.setAttribute('aria-pressed', String(b.dataset.lang === lang));
  }
}

async function load() {
  chrome();
  const main = document.getElementById('main');
  for (;;) {
    const res = await getJson((id ? `/v1/letters/${id}` : '/v1/letters') + `?lang=${lang}`);
    if (res.status === 401) {
      await loginForm(main, lang);
      chrome();
      continue;
    }
    if (res.status === 403) {
      main.replaceChildren(h('p', { class: 'screen-note error' }, tr('letters.forbidden', lang)));
      return;
    }
    if (res.status !== 200) {
      main.replaceChildren(h('p', { class: 'screen-note error' },
        (res.body && res.body.message) || tr('status.error', lang)));
      return;
    }
    main.replaceChildren(...(id ? letterView(res.body) : listView(res.body)));
    if (id) document.title = `${res.body.kind_text} — ${res.body.district_name}`;
    document.body.dataset.loaded = 'true';
    return;
  }
}

for (const b of document.querySelectorAll('.lang button')) {
  b.addEventListener('click', () => { lang = b.dataset.lang; setLang(lang); load(); });
}
document.getElementById('print').addEventListener('click', () => window.print());
document.getElementById('logout').addEventListener('click', async () => { await logout(); location.reload(); });
load();
