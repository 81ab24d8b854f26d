/**
 * The console page: one HTML document whose one style and one script run by this response's CSP
 * nonce (nothing else may run). The script polls the JSON API every 2 seconds and updates rows in
 * place, so focus, filters and replay results stay. Every value is written with textContent,
 * never as HTML.
 */
export const consolePage = (nonce: string): string => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Face webhooks</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<header class="top">
  <h1>Face webhooks</h1>
  <nav aria-label="Views" class="tabs">
    <a href="#deliveries" id="tab-deliveries">Deliveries</a>
    <a href="#failed" id="tab-failed">Failed events <span id="failed-count" class="badge"></span></a>
  </nav>
  <p id="status" role="status" aria-live="polite"></p>
</header>
<div id="banner" role="alert" hidden></div>
<section id="alerts" aria-label="Alerts" aria-live="polite"></section>
<main>
<section id="view-deliveries" aria-labelledby="h-deliveries">
  <h2 id="h-last-hour">Last hour</h2>
  <div id="counts"></div>
  <h2 id="h-deliveries">Deliveries</h2>
  <form id="filters" class="filters" aria-label="Filter deliveries">
    <label>Provider <input name="provider" list="providers" autocomplete="off"></label>
    <label>Outcome <select name="outcome"><option value="">any</option><option>accepted</option><option>duplicate</option><option>queued</option><option>rejected</option><option>failed</option><option>retry-later</option></select></label>
    <label>Reason <select name="reason"><option value="">any</option>${REASONS.map((r) => `<option>${r}</option>`).join('')}</select></label>
    <label>Tenant <input name="tenant" autocomplete="off"></label>
    <label>From <input name="since" type="datetime-local"></label>
    <label>To <input name="until" type="datetime-local"></label>
    <label class="wide">Search <input name="q" type="search" id="search" placeholder="Event id or delivery number"></label>
    <div class="actions"><button type="submit">Apply</button> <button type="reset">Clear</button></div>
  </form>
  <datalist id="providers"></datalist>
  <p id="total" class="muted"></p>
  <div class="table"><table id="deliveries">
    <caption class="sr-only">Deliveries, newest first</caption>
    <thead><tr><th scope="col">When</th><th scope="col">Delivery</th><th scope="col">Provider</th><th scope="col">Tenant</th><th scope="col">Type</th><th scope="col">Event id</th><th scope="col">Outcome</th><th scope="col">Reason</th><th scope="col">Attempts</th><th scope="col">ms</th></tr></thead>
    <tbody></tbody>
  </table></div>
  <nav class="pager" aria-label="Pages"><button type="button" id="newest" disabled>Newest</button> <button type="button" id="older" disabled>Older</button></nav>
</section>
<section id="view-failed" aria-labelledby="h-failed" hidden>
  <h2 id="h-failed">Failed events</h2>
  <form id="failed-filters" class="filters" aria-label="Filter failed events">
    <label>Provider <input name="provider" list="providers" autocomplete="off"></label>
    <label>Tenant <input name="tenant" autocomplete="off"></label>
    <label>From <input name="since" type="datetime-local"></label>
    <label>To <input name="until" type="datetime-local"></label>
    <label class="wide">Search <input name="q" type="search" placeholder="Event id or delivery number"></label>
    <div class="actions"><button type="submit">Apply</button> <button type="reset">Clear</button></div>
  </form>
  <div class="bulk">
    <button type="button" id="replay-matching" disabled>Replay matching events</button>
    <div id="confirm" role="alertdialog" aria-labelledby="confirm-text" hidden>
      <p id="confirm-text"></p>
      <button type="button" id="confirm-yes">Replay them</button> <button type="button" id="confirm-no">Cancel</button>
    </div>
    <div id="bulk-result" role="status" aria-live="polite"></div>
  </div>
  <div class="table"><table id="failed">
    <caption class="sr-only">Failed events waiting for a replay</caption>
    <thead><tr><th scope="col">When</th><th scope="col">Provider</th><th scope="col">Tenant</th><th scope="col">Type</th><th scope="col">Event id</th><th scope="col">Why</th><th scope="col">Replay</th></tr></thead>
    <tbody></tbody>
  </table></div>
</section>
<section id="view-detail" aria-labelledby="h-detail" hidden>
  <p><a href="#deliveries" id="back">Back to deliveries</a></p>
  <h2 id="h-detail">Delivery <code id="d-seq"></code> <button type="button" class="copy" data-copy="d-seq">Copy</button></h2>
  <dl id="d-summary" class="facts"></dl>
  <p><button type="button" id="d-replay" hidden>Replay this delivery</button> <span id="d-replay-result" role="status"></span></p>
  <h3>Attempts</h3>
  <div class="table"><table id="d-attempts">
    <thead><tr><th scope="col">#</th><th scope="col">When</th><th scope="col">Kind</th><th scope="col">By</th><th scope="col">Outcome</th><th scope="col">Why</th><th scope="col">ms</th></tr></thead>
    <tbody></tbody>
  </table></div>
  <h3>Handlers</h3>
  <div class="table"><table id="d-handlers">
    <thead><tr><th scope="col">Attempt</th><th scope="col">Handler</th><th scope="col">ms</th><th scope="col">Error</th></tr></thead>
    <tbody></tbody>
  </table></div>
  <div id="d-payload-block" hidden>
    <h3>Body fields <span class="muted">(as the app's payload hook shows them)</span></h3>
    <pre id="d-payload" tabindex="0" aria-label="Body fields"></pre>
  </div>
  <h3>Request headers <span class="muted">(credentials masked)</span></h3>
  <div class="table"><table id="d-headers">
    <thead><tr><th scope="col">Name</th><th scope="col">Value</th></tr></thead>
    <tbody></tbody>
  </table></div>
</section>
</main>
<script nonce="${nonce}">${SCRIPT}</script>
</body>
</html>
`;

const REASONS = [
  'missing_credentials',
  'malformed_credentials',
  'token_mismatch',
  'signature_mismatch',
  'timestamp_outside_window',
  'digest_mismatch',
  'target_uri_unavailable',
  'legacy_signature_disabled',
  'event_too_old',
  'unknown_app_id',
  'unknown_tenant',
  'invalid_body',
  'body_too_large',
  'body_timeout',
  'unsupported_encoding',
];

const STYLE = String.raw`
  *, *::before, *::after { box-sizing: border-box; }
  body { font: 15px/1.45 system-ui, sans-serif; margin: 0; color: #1d2330; background: #f7f8fa; }
  header.top { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1.5rem; padding: .8rem 1.5rem; background: #fff; border-bottom: 1px solid #d5d9e0; }
  h1 { font-size: 1.25rem; margin: 0; } h2 { font-size: 1.1rem; margin: 1.4rem 0 .5rem; } h3 { font-size: 1rem; margin: 1.2rem 0 .4rem; }
  main { padding: 0 1.5rem 2rem; max-width: 100%; }
  #d-payload { background: #fff; border: 1px solid #d5d9e0; border-radius: 6px; padding: .6rem .8rem; white-space: pre-wrap; overflow-wrap: anywhere; max-width: 100%; font-size: .85rem; }
  .tabs { display: flex; gap: .3rem; }
  .tabs a { padding: .35rem .8rem; border-radius: 6px; color: #1d2330; text-decoration: none; border: 1px solid transparent; }
  .tabs a[aria-current="page"] { background: #e8eefc; border-color: #9db4ee; font-weight: 600; }
  .badge:not(:empty) { display: inline-block; min-width: 1.4em; padding: 0 .4em; border-radius: 1em; background: #a1241b; color: #fff; font-size: 12px; text-align: center; }
  #status { color: #4a5060; font-size: 13px; margin: 0 0 0 auto; }
  a { color: #1a4fc4; }
  :focus-visible { outline: 3px solid #1a56db; outline-offset: 2px; }
  button { font: inherit; padding: .35rem .8rem; border: 1px solid #8a93a3; border-radius: 6px; background: #fff; color: #1d2330; cursor: pointer; }
  button:hover:not(:disabled) { background: #eef1f6; }
  button:disabled { color: #5c6270; cursor: default; background: #f0f1f3; }
  button.primary { background: #1a4fc4; border-color: #1a4fc4; color: #fff; }
  .table { width: 100%; }
  table { border-collapse: collapse; width: 100%; background: #fff; }
  th, td { text-align: left; vertical-align: top; padding: .35rem .5rem; border-bottom: 1px solid #e3e6eb; }
  th { background: #f0f2f5; font-weight: 600; white-space: nowrap; }
  code, .id { font-family: ui-monospace, monospace; font-size: 13px; overflow-wrap: anywhere; word-break: break-all; user-select: all; }
  .outcome-accepted, .outcome-queued { color: #0d6b2c; } .outcome-duplicate { color: #4a5060; }
  .outcome-rejected { color: #a1241b; } .outcome-failed, .outcome-retry-later { color: #8a4500; font-weight: 600; }
  #alerts { padding: 0 1.5rem; } #alerts p { background: #fce8e6; border-left: 4px solid #a1241b; padding: .6rem .8rem; margin: .6rem 0 0; }
  #banner { margin: .6rem 1.5rem 0; background: #fff4d6; border-left: 4px solid #8a4500; padding: .6rem .8rem; }
  #counts { display: flex; gap: 1rem; flex-wrap: wrap; }
  .card { background: #fff; border: 1px solid #d5d9e0; border-radius: 6px; padding: .6rem .9rem; min-width: 11rem; }
  .card b { display: block; margin-bottom: .3rem; }
  .filters { display: flex; flex-wrap: wrap; gap: .6rem 1rem; align-items: flex-end; background: #fff; border: 1px solid #d5d9e0; border-radius: 6px; padding: .7rem .9rem; }
  .filters label { display: flex; flex-direction: column; font-size: 13px; font-weight: 600; gap: .2rem; }
  .filters input, .filters select { font: inherit; font-weight: 400; padding: .3rem .4rem; border: 1px solid #8a93a3; border-radius: 4px; min-width: 9rem; max-width: 100%; }
  .filters .wide { flex: 1 1 16rem; } .filters .wide input { width: 100%; }
  .muted { color: #4a5060; }
  .pager { display: flex; gap: .5rem; margin-top: .6rem; }
  .bulk { margin: .8rem 0; display: flex; flex-wrap: wrap; gap: .6rem 1rem; align-items: center; }
  #confirm { background: #fff; border: 2px solid #1a4fc4; border-radius: 6px; padding: .6rem .9rem; }
  #confirm p { margin: 0 0 .5rem; font-weight: 600; }
  .result-ok { color: #0d6b2c; font-weight: 600; } .result-error { color: #a1241b; font-weight: 600; }
  .facts { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; background: #fff; border: 1px solid #d5d9e0; border-radius: 6px; padding: .7rem .9rem; margin: 0; }
  .facts dt { font-weight: 600; } .facts dd { margin: 0; overflow-wrap: anywhere; }
  .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  @media (max-width: 760px) {
    header.top, main { padding-left: .8rem; padding-right: .8rem; } #alerts { padding: 0 .8rem; }
    table, thead, tbody, tr, th, td { display: block; }
    thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
    tr { border: 1px solid #d5d9e0; border-radius: 6px; margin-bottom: .6rem; background: #fff; }
    td { border: 0; padding: .2rem .6rem; }
    td[data-label]::before { content: attr(data-label) ": "; font-weight: 600; }
    .filters label, .filters .wide { flex: 1 1 100%; }
  }
`;

const SCRIPT = String.raw`
'use strict';
const base = location.pathname.replace(/\/+$/, '');
const $ = (id) => document.getElementById(id);
const plural = (n, one, many) => n + ' ' + (n === 1 ? one : many);
const state = { filter: {}, cursors: [], failedFilter: {}, done: new Map(), pending: new Set(), view: 'deliveries', detail: null, failedData: null };

async function api(path, init) {
  const response = await fetch(base + '/api/' + path, init);
  const body = await response.json().catch(() => ({}));
  if (!response.ok) { const error = new Error(body.message || ('HTTP ' + response.status)); error.status = response.status; throw error; }
  return body;
}
const post = (path, body) => api(path, {
  method: 'POST',
  headers: { 'X-Face-Webhooks-Console': '1', 'Content-Type': 'application/json' },
  body: JSON.stringify(body || {}),
});
const query = (filter, extra) => {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(Object.assign({}, filter, extra || {}))) if (value) params.set(key, value);
  const text = params.toString();
  return text ? '?' + text : '';
};
const when = (iso) => iso ? new Date(iso).toLocaleString() : '';
function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}
function cell(label, content, className) {
  const td = el('td', undefined, className);
  td.dataset.label = label;
  if (content instanceof Node) td.append(content); else td.textContent = content == null ? '' : String(content);
  return td;
}
function code(text) { return el('code', text || ''); }
/** Updates a container (a tbody) to the given items in place: unchanged ones (and focus in them) stay. */
function sync(container, items, keyOf, sigOf, build) {
  const existing = new Map();
  for (const node of Array.from(container.children)) existing.set(node.dataset.key, node);
  let at = 0;
  for (const item of items) {
    const key = keyOf(item), sig = sigOf(item);
    let node = existing.get(key);
    existing.delete(key);
    if (node && node.dataset.sig !== sig) { const fresh = build(item); node.replaceWith(fresh); node = fresh; }
    if (!node) node = build(item);
    node.dataset.key = key; node.dataset.sig = sig;
    if (container.children[at] !== node) container.insertBefore(node, container.children[at] || null);
    at++;
  }
  for (const node of existing.values()) node.remove();
}
function formFilter(form) {
  const filter = {};
  for (const [key, value] of new FormData(form).entries()) {
    const text = String(value).trim();
    if (!text) continue;
    filter[key] = (key === 'since' || key === 'until') ? String(new Date(text).getTime()) : text;
  }
  return filter;
}
function banner(text) { const b = $('banner'); b.hidden = !text; b.textContent = text || ''; }
function showLog(log) {
  if (!log) return;
  if (!log.available) {
    banner('The delivery log is unavailable (its store cannot be written since ' + when(log.unavailableSince) + '): ' +
      plural(log.buffered, 'delivery is', 'deliveries are') + ' kept in memory and will be written when it returns' +
      (log.dropped ? '; ' + plural(log.dropped, 'delivery was', 'deliveries were') + ' dropped' : '') + '.');
  } else if (log.lastOutage) {
    banner('The delivery log was unavailable from ' + when(log.lastOutage.from) + ' to ' + when(log.lastOutage.to) + '; ' +
      plural(log.lastOutage.kept, 'delivery was', 'deliveries were') + ' kept in memory and written when it returned' +
      (log.lastOutage.dropped ? ', ' + plural(log.lastOutage.dropped, 'delivery was', 'deliveries were') + ' lost' : '') + '.');
  } else banner('');
}

// Views
function route() {
  const hash = location.hash.slice(1) || 'deliveries';
  const [view, arg] = hash.split('/');
  state.view = view === 'delivery' && arg ? 'detail' : (view === 'failed' ? 'failed' : 'deliveries');
  $('view-deliveries').hidden = state.view !== 'deliveries';
  $('view-failed').hidden = state.view !== 'failed';
  $('view-detail').hidden = state.view !== 'detail';
  $('tab-deliveries').toggleAttribute('aria-current', false);
  $('tab-failed').toggleAttribute('aria-current', false);
  if (state.view !== 'detail') $('tab-' + state.view).setAttribute('aria-current', 'page');
  if (state.view === 'detail') { state.detail = decodeURIComponent(arg); $('d-replay-result').textContent = ''; }
  refresh(true).catch(() => {});
}

async function refreshSummary() {
  const summary = await api('summary');
  showLog(summary.log);
  sync($('alerts'), summary.alertList, (a) => a.key, (a) => a.message, (a) => { const p = el('p', a.message); p.dataset.kind = a.kind; return p; });
  const counts = $('counts');
  counts.replaceChildren(...Object.entries(summary.lastHour).map(([provider, outcomes]) => {
    const card = el('div', undefined, 'card');
    card.append(el('b', provider));
    for (const [outcome, n] of Object.entries(outcomes)) card.append(el('div', outcome + ': ' + n, 'outcome-' + outcome));
    return card;
  }));
  if (!counts.children.length) counts.append(el('p', 'No deliveries in the last hour.', 'muted'));
  const list = $('providers');
  for (const provider of Object.keys(summary.lastHour)) {
    if (!Array.from(list.options).some((o) => o.value === provider)) { const o = el('option'); o.value = provider; list.append(o); }
  }
}

async function refreshDeliveries() {
  const cursor = state.cursors[state.cursors.length - 1];
  const page = await api('deliveries' + query(state.filter, { before: cursor, limit: '50' }));
  showLog(page.log);
  state.next = page.next;
  $('total').textContent = plural(page.total, 'delivery matches', 'deliveries match') +
    (state.cursors.length ? ' (page ' + (state.cursors.length + 1) + ')' : '');
  $('older').disabled = !page.next;
  $('newest').disabled = state.cursors.length === 0;
  sync($('deliveries').tBodies[0], page.deliveries, (d) => d.seq, (d) => d.lastOutcome + d.attempts, (d) => {
    const tr = el('tr', undefined, 'outcome-' + d.lastOutcome);
    tr.dataset.outcome = d.outcome; tr.dataset.id = d.id || ''; tr.dataset.seq = d.seq;
    const link = el('a', d.seq, 'id'); link.href = '#delivery/' + encodeURIComponent(d.seq);
    link.setAttribute('aria-label', 'Delivery ' + d.seq + ' details');
    tr.append(cell('When', when(d.at)), cell('Delivery', link), cell('Provider', d.provider), cell('Tenant', d.tenant || ''),
      cell('Type', d.type), cell('Event id', code(d.id)), cell('Outcome', d.attempts > 1 ? d.outcome + ' → ' + d.lastOutcome : d.outcome),
      cell('Reason', d.reason || ''), cell('Attempts', d.attempts), cell('ms', d.durationMs));
    return tr;
  });
}

function replayButton(key, run) {
  const button = el('button', 'Replay', 'replay'); button.type = 'button';
  if (state.pending.has(key)) { button.disabled = true; button.textContent = 'Replaying…'; }
  button.onclick = async () => {
    state.pending.add(key); button.disabled = true; button.textContent = 'Replaying…';
    try { const r = await run(); state.done.set(key, { ok: r.ok, text: r.text, row: r.row }); }
    catch (e) { state.done.set(key, { ok: false, text: 'Replay failed: ' + e.message, row: r0(key) }); }
    state.pending.delete(key);
    await refreshFailed().catch(() => {});
    const result = document.querySelector('#failed tr[data-key="' + CSS.escape(key) + '"] .replay-result');
    if (result) result.focus();
  };
  return button;
}
function r0(key) { return (state.failedRows || []).find((row) => row.key === key); }
function ackText(ack) { return ack.duplicate ? 'Replayed: already handled (duplicate)' : ack.queued ? 'Replayed: queued' : 'Replayed: accepted'; }

async function refreshFailed() {
  const data = await api('failed' + query(state.failedFilter));
  const rows = data.inline.map((f) => ({ key: 'i' + f.seq, seq: f.seq, at: f.at, provider: f.provider, tenant: f.tenant, type: f.type, id: f.id,
      why: (f.handlers || []).filter((h) => h.error).map((h) => h.handler + ': ' + h.error).join('; ') || f.message || 'a handler failed (inline)' }))
    .concat(data.queued.map((f) => ({ key: 'q' + f.jobId, jobId: f.jobId, at: f.failedAt, provider: f.provider, tenant: '', type: f.type, id: f.id, why: f.failedReason + ' (queued, ' + plural(f.attemptsMade, 'attempt', 'attempts') + ')' })));
  state.failedRows = rows;
  state.failedData = data;
  $('failed-count').textContent = data.count ? String(data.count) : '';
  const filtered = Object.keys(state.failedFilter).length > 0;
  const button = $('replay-matching');
  button.disabled = data.count === 0;
  button.textContent = data.count === 0 ? 'Nothing to replay' : 'Replay ' + (filtered ? 'the ' : 'all ') + plural(data.count, 'matching event', 'matching events') + '…';
  const shown = rows.slice();
  for (const [key, done] of state.done) if (!rows.some((row) => row.key === key) && done.row) shown.push(Object.assign({}, done.row, { key }));
  sync($('failed').tBodies[0], shown, (r) => r.key, (r) => { const d = state.done.get(r.key); return (d ? d.text : '') + (state.pending.has(r.key) ? 'p' : ''); }, (r) => {
    const tr = el('tr');
    const done = state.done.get(r.key);
    const action = el('div');
    if (done) { const result = el('span', done.text, done.ok ? 'result-ok replay-result' : 'result-error replay-result'); result.tabIndex = -1; action.append(result); }
    if (!done || !done.ok) action.append(' ', replayButton(r.key, async () => {
      if (r.jobId) { await post('replay-queued/' + encodeURIComponent(r.jobId)); return { ok: true, text: 'Sent back to the workers', row: r }; }
      const ack = await post('replay/' + encodeURIComponent(r.seq)); return { ok: true, text: ackText(ack), row: r };
    }));
    const idCell = r.seq ? el('a', undefined) : code(r.id);
    if (r.seq) { idCell.href = '#delivery/' + encodeURIComponent(r.seq); idCell.append(code(r.id)); }
    tr.append(cell('When', when(r.at)), cell('Provider', r.provider), cell('Tenant', r.tenant || ''), cell('Type', r.type), cell('Event id', idCell), cell('Why', r.why), cell('Replay', action));
    return tr;
  });
}

async function refreshDetail() {
  const seq = state.detail;
  let data;
  try { data = await api('deliveries/' + encodeURIComponent(seq)); }
  catch (e) { $('d-seq').textContent = seq; $('d-summary').replaceChildren(el('dt', 'Not found'), el('dd', e.message)); return; }
  const d = data.delivery;
  $('d-seq').textContent = d.seq;
  const facts = [['Event id', code(d.id)], ['Provider', d.provider], ['Tenant', d.tenant || '—'], ['Type', d.type || '—'], ['Received', when(d.at)],
    ['First outcome', d.outcome], ['Last outcome', d.lastOutcome], ['Attempts', String(d.attempts)], ['Took', d.durationMs + ' ms']];
  if (d.reason) facts.push(['Refused because', d.reasonText || d.reason]);
  if (d.message) facts.push(['Answer', d.message]);
  const dl = $('d-summary');
  const sig = JSON.stringify(data);
  if (dl.dataset.sig !== sig) {
    dl.dataset.sig = sig;
    dl.replaceChildren(...facts.flatMap(([k, v]) => { const dd = el('dd'); if (v instanceof Node) { dd.append(v); if (k === 'Event id') { const b = el('button', 'Copy', 'copy'); b.type = 'button'; b.dataset.copyText = d.id || ''; dd.append(' ', b); } } else dd.textContent = v; return [el('dt', k), dd]; }));
    $('d-attempts').tBodies[0].replaceChildren(...data.attempts.map((a, i) => {
      const tr = el('tr', undefined, 'outcome-' + a.outcome);
      tr.append(cell('#', i + 1), cell('When', when(a.at)), cell('Kind', i === 0 ? 'delivery' : (a.replayMode === 'queued' ? 'replay (queued)' : 'replay')),
        cell('By', i === 0 ? 'the provider' : (a.replayedBy || '')), cell('Outcome', a.outcome), cell('Why', a.reasonText || a.message || ''), cell('ms', a.durationMs));
      return tr;
    }));
    const runs = data.attempts.flatMap((a, i) => (a.handlers || []).map((h) => [i + 1, h]));
    $('d-handlers').tBodies[0].replaceChildren(...(runs.length ? runs.map(([i, h]) => {
      const tr = el('tr', undefined, h.error ? 'outcome-failed' : 'outcome-accepted');
      tr.append(cell('Attempt', i), cell('Handler', code(h.handler)), cell('ms', h.durationMs), cell('Error', h.error || ''));
      return tr;
    }) : [(() => { const tr = el('tr'); const td = cell('', 'No handler ran inline for this delivery.'); td.colSpan = 4; tr.append(td); return tr; })()]));
    $('d-payload-block').hidden = !d.payload;
    $('d-payload').textContent = d.payload ? JSON.stringify(d.payload, null, 2) : '';
    const headers = Object.entries(d.headers || {});
    $('d-headers').tBodies[0].replaceChildren(...(headers.length ? headers.map(([name, value]) => {
      const tr = el('tr'); tr.append(cell('Name', code(name)), cell('Value', code(value))); return tr;
    }) : [(() => { const tr = el('tr'); const td = cell('', 'No headers recorded (a replay, or a route of the app).'); td.colSpan = 2; tr.append(td); return tr; })()]));
  }
  const failed = state.failedData && state.failedData.inline.some((f) => f.seq === d.seq);
  $('d-replay').hidden = !failed;
}

async function refresh(full) {
  try {
    const work = [refreshSummary(), refreshFailed()];
    if (state.view === 'deliveries' && (full || state.cursors.length === 0)) work.push(refreshDeliveries());
    if (state.view === 'detail') work.push(refreshDetail());
    await Promise.all(work);
    $('status').textContent = 'Updated ' + new Date().toLocaleTimeString();
  } catch (e) {
    if (e.status === 503) banner(e.message);
    $('status').textContent = 'Update failed: ' + e.message;
  }
}

$('filters').addEventListener('submit', (e) => { e.preventDefault(); state.filter = formFilter(e.target); state.cursors = []; refresh(true); });
$('filters').addEventListener('reset', () => { state.filter = {}; state.cursors = []; setTimeout(() => refresh(true)); });
$('search').addEventListener('input', () => { state.filter = formFilter($('filters')); state.cursors = []; refresh(true); });
$('failed-filters').addEventListener('submit', (e) => { e.preventDefault(); state.failedFilter = formFilter(e.target); $('confirm').hidden = true; refresh(true); });
$('failed-filters').addEventListener('reset', () => { state.failedFilter = {}; $('confirm').hidden = true; setTimeout(() => refresh(true)); });
$('older').onclick = () => { if (state.next) { state.cursors.push(state.next); refresh(true).then(() => $('older').disabled ? $('newest').focus() : null); } };
$('newest').onclick = () => { state.cursors = []; refresh(true).then(() => $('older').focus()); };
$('replay-matching').onclick = () => {
  const n = state.failedData ? state.failedData.count : 0;
  state.confirmCount = n;
  $('confirm-text').textContent = 'Replay ' + plural(n, 'failed event', 'failed events') + (Object.keys(state.failedFilter).length ? (n === 1 ? ' that matches' : ' that match') + ' the filter' : '') + '? Each runs its failed handlers again.';
  $('confirm-yes').textContent = 'Replay ' + plural(n, 'event', 'events');
  $('confirm').hidden = false; $('confirm-yes').focus();
};
$('confirm-no').onclick = () => { $('confirm').hidden = true; $('replay-matching').focus(); };
$('confirm-yes').onclick = async () => {
  $('confirm').hidden = true;
  const out = $('bulk-result');
  out.textContent = 'Replaying ' + plural(state.confirmCount, 'event', 'events') + '…';
  const rows = state.failedRows || [];
  try {
    const result = await post('replay-matching', { filter: state.failedFilter, expect: state.confirmCount });
    for (const r of result.results) {
      const key = r.jobId ? 'q' + r.jobId : 'i' + r.seq;
      const row = rows.find((x) => x.key === key);
      state.done.set(key, { ok: r.ok, text: r.ok ? (r.jobId ? 'Sent back to the workers' : ackText({ duplicate: r.outcome === 'duplicate', queued: r.outcome === 'queued' })) : 'Failed again: ' + (r.message || r.outcome), row });
    }
    out.replaceChildren(el('p', plural(result.replayed, 'event', 'events') + ' replayed, ' + plural(result.failed, 'failed again', 'failed again') + '.', result.failed ? 'result-error' : 'result-ok'));
    if (result.errors.length) { const ul = el('ul'); for (const text of result.errors) ul.append(el('li', text)); out.append(ul); }
  } catch (e) { out.replaceChildren(el('p', 'Nothing replayed: ' + e.message, 'result-error')); }
  await refresh(true);
  $('replay-matching').focus();
};
$('d-replay').onclick = async () => {
  const out = $('d-replay-result');
  out.textContent = 'Replaying…';
  try { const ack = await post('replay/' + encodeURIComponent(state.detail)); out.textContent = ackText(ack); out.className = 'result-ok'; }
  catch (e) { out.textContent = 'Replay failed: ' + e.message; out.className = 'result-error'; }
  refresh(true);
};
document.addEventListener('click', (e) => {
  const button = e.target.closest && e.target.closest('button.copy');
  if (!button) return;
  const text = button.dataset.copyText !== undefined ? button.dataset.copyText : $(button.dataset.copy).textContent;
  (navigator.clipboard ? navigator.clipboard.writeText(text) : Promise.reject(new Error('no clipboard'))).then(
    () => { button.textContent = 'Copied'; setTimeout(() => { button.textContent = 'Copy'; }, 1500); },
    () => { button.textContent = 'Select and copy'; });
});
window.addEventListener('hashchange', route);
route();
setInterval(() => { if (!document.hidden) refresh(false); }, 2000);
`;
