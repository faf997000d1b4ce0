// app.js: the web interface of mandat serve.  Plain ES modules, no framework, no
// network beyond this server's /api/.  One page per path (/, /resolution, /mandates,
// /compare, /dashboard), chosen from location.pathname; state lives in the URL.
import fr from './i18n/fr.js';
import en from './i18n/en.js';
import { barChart, columnChart } from './charts.js';

const LANGS = { fr, en };
let lang = localStorage.getItem('mandat.lang') || ((navigator.language || 'fr').startsWith('en') ? 'en' : 'fr');
if (!LANGS[lang]) lang = 'fr';

function t(key, vars) {
  let s = LANGS[lang][key] ?? key;
  if (vars !== undefined) {
    if (typeof vars !== 'object') vars = { n: vars };
    for (const [k, v] of Object.entries(vars)) s = s.replaceAll('{' + k + '}', v);
  }
  return s;
}
const addrName = (id, fallback) => LANGS[lang].addr[id] || fallback || id || t('unknown');
const forceName = (f) => (f ? t('force_' + f) : t('none'));

// h('a', {href: '/'}, 'text', child…): a DOM element; strings become text nodes.
function h(tag, attrs, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  el.append(...nodes(kids));
  return el;
}

// Children as given to h() or replaceChildren: nested arrays flattened, null,
// undefined and false dropped.
const nodes = (kids) => kids.flat(Infinity).filter((k) => k !== null && k !== undefined && k !== false);
const put = (parent, ...kids) => parent.append(...nodes(kids));

async function api(path, params) {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) if (v !== '' && v !== null && v !== undefined) qs.set(k, v);
  const res = await fetch('/api/' + path + (qs.toString() ? '?' + qs : ''));
  const body = await res.json();
  if (!res.ok) throw Object.assign(new Error(body.error ? body.error.message : res.statusText), { status: res.status });
  return body;
}

const params = () => Object.fromEntries(new URLSearchParams(location.search));
const link = (path, p) => {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(p || {})) if (v !== '' && v !== null && v !== undefined) qs.set(k, v);
  return path + (qs.toString() ? '?' + qs : '');
};
const resLink = (sym, id, ref) => link('/resolution', sym ? { symbol: sym } : { id }) + (ref ? '#' + ref : '');

function forceBadge(f) {
  return h('span', { class: 'badge force-' + (f || 'none') }, forceName(f));
}

function pager(total, limit, offset, make) {
  if (total <= limit) return null;
  const a = offset + 1, b = Math.min(offset + limit, total);
  return h('nav', { class: 'pager', 'aria-label': t('page', { a, b, n: total }) },
    offset > 0 ? h('a', { href: make(Math.max(0, offset - limit)), rel: 'prev' }, '← ' + t('prev')) : null,
    h('span', {}, t('page', { a, b, n: total })),
    b < total ? h('a', { href: make(offset + limit), rel: 'next' }, t('next') + ' →') : null);
}

function showError(main, err) {
  main.replaceChildren(h('p', { class: 'error', role: 'alert' }, t('error', err.message)));
}

// ------------------------------------------------------------------ search
const FACETS = ['organ', 'year', 'language', 'addressee', 'force', 'kind'];
const FACET_PARAM = { language: 'lang', organ: 'organ', year: 'year', addressee: 'addressee', force: 'force', kind: 'kind' };

function facetLabel(f, v) {
  if (v === null) return t('unknown');
  if (f === 'addressee') return addrName(v);
  if (f === 'force') return forceName(v);
  if (f === 'kind') return t('kind_' + v);
  return String(v);
}

async function pageSearch(main) {
  const p = params();
  const q = p.q || '';
  const input = h('input', { id: 'q', name: 'q', type: 'search', value: q, autocomplete: 'off', 'aria-describedby': 'q-hint' });
  const form = h('form', { class: 'search', role: 'search', action: '/', method: 'get' },
    h('label', { for: 'q' }, t('search_label')),
    h('div', { class: 'row' }, input, h('button', { type: 'submit' }, t('search_button'))),
    h('p', { id: 'q-hint', class: 'hint' }, t('search_hint')));
  for (const f of Object.values(FACET_PARAM)) if (p[f]) form.append(h('input', { type: 'hidden', name: f, value: p[f] }));
  main.replaceChildren(h('h1', {}, t('search_title')), form);
  if (!q) return;
  const limit = 20, offset = +p.offset || 0;
  let r;
  try {
    r = await api('search', { q, organ: p.organ, year: p.year, lang: p.lang, addressee: p.addressee, force: p.force, kind: p.kind, limit, offset, facets: 1 });
  } catch (e) { put(main, h('p', { class: 'error', role: 'alert' }, t('error', e.message))); return; }
  const active = Object.values(FACET_PARAM).filter((k) => p[k]);
  const chips = active.length ? h('ul', { class: 'chips' }, active.map((k) => {
    const rest = { ...p, [k]: '', offset: '' };
    const f = Object.keys(FACET_PARAM).find((x) => FACET_PARAM[x] === k);
    return h('li', {}, h('a', { href: link('/', rest), 'aria-label': t('remove_filter', facetLabel(f, p[k])) }, facetLabel(f, p[k]) + ' ×'));
  })) : null;
  const side = h('aside', { class: 'facets', 'aria-labelledby': 'facets-h' }, h('h2', { id: 'facets-h' }, t('filters')));
  for (const f of FACETS) {
    const vals = (r.facets && r.facets[f]) || [];
    if (!vals.length) continue;
    const key = FACET_PARAM[f];
    side.append(h('h3', {}, t('facet_' + f)), h('ul', {}, vals.slice(0, 12).map((v) => {
      const on = p[key] && String(v.value) === p[key];
      return h('li', {}, v.value === null ? h('span', { class: 'muted' }, facetLabel(f, null)) :
        h('a', { href: link('/', { ...p, [key]: on ? '' : v.value, offset: '' }), 'aria-current': on ? 'true' : null, class: on ? 'on' : null },
          facetLabel(f, v.value)), ' ', h('span', { class: 'count' }, String(v.count)));
    })));
  }
  const list = h('ol', { class: 'hits', start: offset + 1 }, r.hits.map((hit) => {
    const snip = h('p', { class: 'snippet' });
    snip.innerHTML = hit.snippet_html; // the server escaped the text and added only <mark>
    return h('li', {},
      h('div', { class: 'hit-head' },
        h('a', { href: resLink(hit.symbol, hit.entity_id, hit.ref), class: 'hit-link' }, (hit.symbol || hit.title || '#' + hit.entity_id) + ' · ' + hit.ref),
        ' ', h('span', { class: 'muted' }, [hit.organ, hit.year].filter(Boolean).join(' · '))),
      h('div', { class: 'hit-title' }, hit.title || ''),
      snip,
      h('div', { class: 'src' }, hit.file + ':' + hit.lines[0]));
  }));
  const results = h('section', { class: 'results', 'aria-live': 'polite' },
    h('p', { class: 'total' }, r.total ? t('results', r.total) : t('no_results')), chips, list,
    pager(r.total, limit, offset, (o) => link('/', { ...p, offset: o || '' })));
  put(main, h('div', { class: 'with-side' }, side, results));
}

// --------------------------------------------------------------- resolution
function escapeHtml(s) {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
}

// The paragraph text with its citations as links (into the registry when the cited
// text is there) and its footnote numbers as links to the notes.
function richText(text, cites, notes) {
  let html = escapeHtml(text);
  const done = new Set();
  for (const c of cites) {
    const w = escapeHtml(c.as_written);
    if (!w || done.has(w) || !html.includes(w)) continue;
    done.add(w);
    const a = c.entity_id
      ? `<a class="cite" href="${escapeHtml(resLink(c.symbol, c.entity_id))}">${w}</a>`
      : `<span class="cite out" title="${escapeHtml((c.symbol || '') + ' — ' + t('not_in_registry'))}">${w}</span>`;
    html = html.replace(w, a);
  }
  const el = h('span', { class: 'text' });
  el.innerHTML = html;
  for (const n of notes || []) el.append(' ', h('a', { href: '#FN' + n, class: 'fnref', 'aria-label': t('footnotes') + ' ' + n }, h('sup', {}, String(n))));
  return el;
}

function clauseBox(c) {
  const parts = [h('span', { class: 'verb' }, c.verb), ' ', forceBadge(c.force)];
  if (c.addressees.length) parts.push(' ', h('span', { class: 'addr' }, '→ ', c.addressees.map((a) => addrName(a.id, a.name)).join(', ')));
  if (c.conditions.length) parts.push(h('div', { class: 'cond' }, t('conditions') + ' : ', c.conditions.join(' ; ')));
  if (c.reporting) {
    const r = c.reporting, bits = [];
    if (r.to) bits.push(t('report_to', addrName(r.to)));
    if (r.session) bits.push(t('session', r.session));
    if (r.date) bits.push(t('due', r.date));
    parts.push(h('div', { class: 'report' }, '📅 ' + t('reporting') + ' ', bits.join(', ')));
  }
  return h('li', { class: c.mandate ? 'clause mandate' : 'clause' }, parts);
}

function paragraphEl(p, cites, lineage) {
  const mine = cites.filter((c) => c.in === p.ref);
  const first = lineage && lineage[p.ref];
  const head = h('a', { class: 'anchor', href: '#' + p.ref, 'aria-label': p.ref }, p.kind === 'operative' ? (p.number || p.n) + '.' : p.ref);
  const body = h('div', { class: 'pbody' }, richText(p.text, mine, p.notes));
  if (p.subparagraphs.length)
    body.append(h('ol', { class: 'subs' }, p.subparagraphs.map((s) => h('li', {}, h('b', {}, s.label + ') '), s.text))));
  const mandates = p.clauses.filter((c) => c.mandate);
  if (mandates.length) body.append(h('ul', { class: 'clauses', 'aria-label': t('mandate') }, mandates.map(clauseBox)));
  const meta = h('div', { class: 'pmeta' }, p.ref, ' · ', t('lines', p.lines.join('–')),
    first && first.first_seen.id !== undefined ? h('span', {}, ' · ', h('a', { href: resLink(first.first_seen.symbol, first.first_seen.id, first.first_seen.ref) }, t('lineage_first', first.first_seen.symbol || first.first_seen.year))) : null);
  body.append(meta);
  return h('section', { class: 'para ' + p.kind, id: p.ref, tabindex: '-1' }, head, body);
}

async function pageResolution(main) {
  const p = params();
  let r;
  try { r = await api('resolution', { symbol: p.symbol, id: p.id }); } catch (e) { showError(main, e); return; }
  let lineage = null;
  if (r.kind === 'resolution' || r.kind === 'draft_resolution') {
    try {
      const l = await api('lineage', { id: r.id });
      if (l.series.length > 1) {
        lineage = {};
        for (const x of [...l.preamble, ...l.operative]) if (x.first_seen.id !== r.id) lineage[x.ref] = x;
        r.series = l.series;
      }
    } catch { /* lineage is extra */ }
  }
  document.title = (r.symbol || r.title || 'mandat') + ' — mandat';
  const cites = r.citations;
  const meta = h('dl', { class: 'meta' },
    r.adoption_date ? [h('dt', {}, t('adopted', '')), h('dd', {}, r.adoption_date)] : null,
    r.organ ? [h('dt', {}, t('facet_organ')), h('dd', {}, r.organ + (r.session ? ' · ' + t('session', r.session) : ''))] : null,
    r.meeting ? [h('dt', {}, t('meeting')), h('dd', {}, r.meeting)] : null,
    r.agenda_item.number ? [h('dt', {}, t('agenda')), h('dd', {}, r.agenda_item.number + (r.agenda_item.title ? ' — ' + r.agenda_item.title : ''))] : null,
    [h('dt', {}, t('source')), h('dd', {}, r.source.file + ' (' + t('lines', r.lines.join('–')) + ')')]);
  const actions = h('p', { class: 'actions' },
    r.symbol ? h('a', { href: link('/mandates', { symbol: r.symbol }) }, t('its_mandates')) : null,
    r.series ? h('a', { href: link('/compare', { new_id: r.id }) }, t('compare_versions')) : null);
  const toc = h('nav', { class: 'toc', 'aria-label': 'OP' }, r.operative.map((x) => h('a', { href: '#' + x.ref }, x.number || String(x.n))));
  main.replaceChildren(...nodes([
    h('p', { class: 'kicker' }, [r.symbol, r.kind].filter(Boolean).join(' · ')),
    h('h1', {}, r.title || r.symbol || '#' + r.id), meta, actions,
    r.annexes.length ? h('p', {}, t('annexes') + ' : ', r.annexes.map((a, i) => [i ? ', ' : '', h('a', { href: resLink(a.symbol, a.id) }, a.title || a.symbol || a.kind)])) : null,
    r.preamble.length ? h('h2', { id: 'preamble' }, t('preamble')) : null,
    r.preamble.map((x) => paragraphEl(x, cites, lineage)),
    r.operative.length ? [h('h2', { id: 'operative' }, t('operative')), toc] : null,
    r.operative.map((x) => paragraphEl(x, cites, lineage)),
    r.footnotes.length ? [h('h2', { id: 'footnotes' }, t('footnotes')), h('ol', { class: 'footnotes' }, r.footnotes.map((f) =>
      h('li', { id: 'FN' + f.n, value: f.n }, richText(f.text, cites.filter((c) => c.in === 'FN' + f.n)))))] : null,
    r.cited_by.length ? [h('h2', { id: 'cited-by' }, t('cited_by')), h('ul', { class: 'citedby' }, r.cited_by.map((c) =>
      h('li', {}, h('a', { href: resLink(c.symbol, c.entity_id, c.in) }, (c.symbol || c.title) + ' · ' + c.in), ' ', h('span', { class: 'muted' }, c.title || ''))))] : null]));
  if (location.hash) {
    const el = document.getElementById(location.hash.slice(1));
    if (el) { el.scrollIntoView(); el.focus({ preventScroll: true }); el.classList.add('target'); }
  }
}

// ----------------------------------------------------------------- mandates
const FORCES = ['decision', 'request', 'urge', 'invitation', 'recommendation'];

async function pageMandates(main) {
  const p = params();
  const limit = 50, offset = +p.offset || 0;
  let stats;
  try { stats = await api('stats'); } catch (e) { showError(main, e); return; }
  const field = (id, label, control) => h('div', { class: 'field' }, h('label', { for: id }, label), control);
  const select = (name, options, value) => h('select', { id: 'f-' + name, name },
    h('option', { value: '' }, t('any')), options.map(([v, l]) => h('option', { value: v, selected: v === value }, l)));
  const addrs = stats.by_addressee.filter((a) => !a.unlisted).map((a) => [a.addressee, addrName(a.addressee) + ' (' + a.mandates + ')']);
  const form = h('form', { class: 'filters', method: 'get', action: '/mandates' },
    field('f-addressee', t('facet_addressee'), select('addressee', addrs, p.addressee)),
    field('f-force', t('facet_force'), select('force', FORCES.map((f) => [f, forceName(f)]), p.force)),
    field('f-organ', t('facet_organ'), select('organ', stats.by_organ.filter((o) => o.organ).map((o) => [o.organ, o.organ]), p.organ)),
    field('f-year', t('year_range'), h('input', { id: 'f-year', name: 'year', value: p.year || '', inputmode: 'numeric', size: 10 })),
    field('f-symbol', t('symbol'), h('input', { id: 'f-symbol', name: 'symbol', value: p.symbol || '', size: 16 })),
    h('div', { class: 'field check' }, h('input', { type: 'checkbox', id: 'f-nr', name: 'no_reporting', value: '1', checked: p.no_reporting === '1' }), h('label', { for: 'f-nr' }, t('no_reporting'))),
    h('div', { class: 'field check' }, h('input', { type: 'checkbox', id: 'f-c', name: 'conditions', value: '1', checked: p.conditions === '1' }), h('label', { for: 'f-c' }, t('with_conditions'))),
    h('div', { class: 'field buttons' }, h('button', { type: 'submit' }, t('filter')), h('a', { href: '/mandates' }, t('reset'))));
  main.replaceChildren(h('h1', {}, t('mandates_title')), form);
  const q = { addressee: p.addressee, force: p.force, organ: p.organ, year: p.year, symbol: p.symbol, no_reporting: p.no_reporting, conditions: p.conditions };
  let r;
  try { r = await api('mandates', { ...q, limit, offset }); } catch (e) { put(main, h('p', { class: 'error', role: 'alert' }, t('error', e.message))); return; }
  const csv = '/api/mandates?' + new URLSearchParams(Object.entries({ ...q, format: 'csv' }).filter(([, v]) => v)).toString();
  const table = h('table', { class: 'mandates' },
    h('caption', {}, t('mandates_count', r.total)),
    h('thead', {}, h('tr', {}, [t('symbol'), t('verb'), t('facet_force'), t('addressees'), t('action'), t('conditions'), t('reporting')].map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, r.items.map((m) => h('tr', {},
      h('td', {}, h('a', { href: resLink(m.symbol, m.entity_id, m.ref) }, (m.symbol || '#' + m.entity_id) + ' ' + m.ref), h('div', { class: 'muted' }, m.year || '')),
      h('td', {}, m.verb), h('td', {}, forceBadge(m.force)),
      h('td', {}, m.addressees.map((a) => addrName(a.id, a.name)).join(', ')),
      h('td', { class: 'action' }, m.action || ''),
      h('td', {}, m.conditions.join(' ; ')),
      h('td', {}, m.reporting ? [m.reporting.to && addrName(m.reporting.to), m.reporting.session && t('session', m.reporting.session), m.reporting.date].filter(Boolean).join(', ') : t('none'))))));
  put(main, h('p', { class: 'actions' }, h('a', { href: csv, download: 'mandates.csv', class: 'button' }, '⤓ ' + t('export_csv'))),
    h('div', { class: 'scroll' }, table), pager(r.total, limit, offset, (o) => link('/mandates', { ...p, offset: o || '' })));
}

// ------------------------------------------------------------------ compare
// Word-level diff (longest common subsequence) of two paragraphs, as <del>/<ins>.
// Words compare with typographic apostrophes folded (’ and ' differ between sources).
function wordDiff(a, b) {
  const x = a.split(/(\s+)/), y = b.split(/(\s+)/);
  const fx = x.map((w) => w.replace(/[’‘]/g, "'")), fy = y.map((w) => w.replace(/[’‘]/g, "'"));
  const n = x.length, m = y.length;
  if (n * m > 4e6) return [h('del', {}, a), ' ', h('ins', {}, b)]; // 4e6 cells: a few ms, bounded memory
  const L = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--)
    L[i][j] = fx[i] === fy[j] ? L[i + 1][j + 1] + 1 : Math.max(L[i + 1][j], L[i][j + 1]);
  const out = [];
  let i = 0, j = 0;
  const push = (tag, s) => { const last = out[out.length - 1]; if (last && last.tag === tag) last.s += s; else out.push({ tag, s }); };
  while (i < n && j < m) {
    if (fx[i] === fy[j]) push('', y[j]), i++, j++;
    else if (L[i + 1][j] >= L[i][j + 1]) push('del', x[i++]);
    else push('ins', y[j++]);
  }
  while (i < n) push('del', x[i++]);
  while (j < m) push('ins', y[j++]);
  return out.map((o) => (o.tag ? h(o.tag, {}, o.s) : o.s));
}

async function pageCompare(main) {
  const p = params();
  let list;
  try { list = await api('resolutions', { limit: 200 }); } catch (e) { showError(main, e); return; }
  const items = list.items.filter((x) => x.kind === 'resolution' || x.kind === 'draft_resolution');
  let newId = p.new_id ? +p.new_id : null, oldId = p.old_id ? +p.old_id : null, series = null;
  if (!newId) newId = (items.find((x) => x.symbol === 'A/RES/80/229') || items[0] || {}).id;
  try {
    series = (await api('lineage', { id: newId })).series;
    if (!oldId && series.length > 1) {
      const k = series.findIndex((s) => s.id === newId);
      oldId = series[k > 0 ? k - 1 : 0].id;
    }
  } catch { /* no series: choose by hand */ }
  const label = (x) => (x.symbol || '#' + x.id) + ' (' + (x.year || '?') + ') ' + (x.title || '').slice(0, 70);
  const sel = (id, name, value) => h('select', { id, name }, items.map((x) => h('option', { value: x.id, selected: x.id === value }, label(x))));
  const form = h('form', { class: 'filters', method: 'get', action: '/compare' },
    h('div', { class: 'field wide' }, h('label', { for: 'c-old' }, t('old_version')), sel('c-old', 'old_id', oldId)),
    h('div', { class: 'field wide' }, h('label', { for: 'c-new' }, t('new_version')), sel('c-new', 'new_id', newId)),
    h('div', { class: 'field buttons' }, h('button', { type: 'submit' }, t('compare_button'))));
  main.replaceChildren(h('h1', {}, t('compare_title')), form);
  if (series && series.length > 1)
    put(main, h('p', { class: 'series' }, t('series') + ' : ', series.map((s, i) => [i ? ' → ' : '',
      h('a', { href: resLink(s.symbol, s.id) }, (s.symbol || '#' + s.id) + ' (' + s.year + ')')])));
  if (!oldId || !newId) return;
  let d;
  try { d = await api('diff', { old_id: oldId, new_id: newId }); } catch (e) { put(main, h('p', { class: 'error', role: 'alert' }, t('diff_unavailable') + ' ' + e.message)); return; }
  const summary = h('ul', { class: 'summary' }, Object.entries(d.summary).filter(([, n]) => n).map(([rel, n]) =>
    h('li', { class: 'rel-' + rel }, h('strong', {}, String(n)), ' ' + t('rel_' + rel))));
  const toggle = h('input', { type: 'checkbox', id: 'show-same' });
  const body = h('div', { class: 'diff hide-same' });
  toggle.addEventListener('change', () => body.classList.toggle('hide-same', !toggle.checked));
  for (const part of ['preamble', 'operative']) {
    body.append(h('h2', {}, t(part)));
    for (const l of d[part]) {
      const text = l.old && l.new ? (l.edited ? wordDiff(l.old.text, l.new.text) : l.new.text) : (l.new || l.old).text;
      body.append(h('div', { class: 'pair rel-' + l.relation + (l.relation === 'unchanged' ? ' same' : '') },
        h('div', { class: 'refs' }, h('span', { class: 'badge rel' }, t('rel_' + l.relation)),
          h('span', {}, (l.old ? l.old.ref : '—') + ' → ' + (l.new ? l.new.ref : '—'))),
        h('div', { class: 'ptext' }, l.relation === 'dropped' ? h('del', {}, text) : l.relation === 'added' ? h('ins', {}, text) : text)));
    }
  }
  put(main, h('p', {}, h('a', { href: resLink(d.old.symbol, d.old.id) }, d.old.symbol || '#' + d.old.id), ' (' + d.old.year + ') → ',
    h('a', { href: resLink(d.new.symbol, d.new.id) }, d.new.symbol || '#' + d.new.id), ' (' + d.new.year + ')'),
  summary, h('div', { class: 'field check' }, toggle, h('label', { for: 'show-same' }, t('show_unchanged'))), body);
}

// ---------------------------------------------------------------- dashboard
async function pageDashboard(main) {
  let s;
  try { s = await api('stats'); } catch (e) { showError(main, e); return; }
  const tot = s.totals;
  const cards = h('ul', { class: 'cards', 'aria-label': t('totals') }, ['documents', 'entities', 'paragraphs', 'clauses', 'mandates', 'citations'].map((k) =>
    h('li', {}, h('strong', {}, String(tot[k])), h('span', {}, t('t_' + k)))));
  const addr = s.by_addressee.filter((a) => !a.unlisted).slice(0, 12).map((a) => ({ label: addrName(a.addressee), value: a.mandates, href: link('/mandates', { addressee: a.addressee }) }));
  const force = s.by_force.map((f) => ({ label: forceName(f.force), value: f.clauses, cls: 'force-' + f.force }));
  const years = [...new Set(s.by_year_force.map((r) => r.year))];
  const forces = [...new Set(s.by_year_force.map((r) => r.force))];
  const stacks = years.map((y) => ({ label: String(y), parts: forces.map((f) => ({ key: f, label: forceName(f), cls: 'force-' + f, value: (s.by_year_force.find((r) => r.year === y && r.force === f) || {}).clauses || 0 })) }));
  const due = [...new Set(s.reporting_deadlines.map((r) => r.due_year))];
  const tos = [...new Set(s.reporting_deadlines.map((r) => r.to))];
  const dstacks = due.map((y) => ({ label: y === null ? t('unknown') : String(y), parts: tos.map((to, i) => ({ key: to, label: addrName(to), cls: 'series-' + i, value: s.reporting_deadlines.filter((r) => r.due_year === y && r.to === to).reduce((a, r) => a + r.requests, 0) })) }));
  const fig = (title, svg, rows) => h('figure', { class: 'chart' }, h('figcaption', {}, title), svg,
    h('details', {}, h('summary', {}, t('chart_data')), h('table', {}, h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c) => h('td', {}, String(c)))))))));
  main.replaceChildren(h('h1', {}, t('dashboard_title')), cards,
    h('div', { class: 'charts' },
      fig(t('chart_addressee'), barChart(addr, t('chart_addressee')), addr.map((a) => [a.label, a.value])),
      fig(t('chart_force'), barChart(force, t('chart_force')), force.map((a) => [a.label, a.value])),
      fig(t('chart_year'), columnChart(stacks, t('chart_year')), s.by_year_force.map((r) => [r.year, forceName(r.force), r.clauses])),
      fig(t('chart_deadlines'), columnChart(dstacks, t('chart_deadlines')), s.reporting_deadlines.map((r) => [r.due_year ?? t('unknown'), addrName(r.to), r.requests]))));
}

// -------------------------------------------------------------------- shell
const PAGES = { '/': ['search', pageSearch], '/resolution': ['resolution', pageResolution], '/mandates': ['mandates', pageMandates], '/compare': ['compare', pageCompare], '/dashboard': ['dashboard', pageDashboard] };

function render() {
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  const btn = document.getElementById('lang');
  btn.textContent = t('other_lang');
  btn.lang = t('other_lang_code');
  const [name, fn] = PAGES[location.pathname] || PAGES['/'];
  for (const a of document.querySelectorAll('#nav a')) {
    if (a.dataset.page === name) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  if (name !== 'resolution') document.title = t('nav_' + name) + ' — mandat';
  const main = document.getElementById('main');
  main.replaceChildren(h('p', { class: 'loading' }, t('loading')));
  return fn(main);
}

document.getElementById('lang').addEventListener('click', () => {
  lang = lang === 'fr' ? 'en' : 'fr';
  localStorage.setItem('mandat.lang', lang);
  render();
});
render().then(() => document.body.setAttribute('data-ready', '1'));
