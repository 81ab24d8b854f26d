/**
 * The console page: one HTML document with its script inline (the CSP allows nothing else), which
 * polls the JSON API every 2 seconds. Every value is written with textContent, never as HTML.
 */
export const consolePage = (nonce: string): string => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Face webhooks</title>
<style nonce="${nonce}">
  body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1d2330; background: #f7f8fa; }
  h1 { font-size: 1.3rem; margin: 0 0 1rem; } h2 { font-size: 1.05rem; margin: 1.5rem 0 .5rem; }
  table { border-collapse: collapse; width: 100%; background: #fff; }
  th, td { text-align: left; padding: .3rem .6rem; border-bottom: 1px solid #e3e6eb; white-space: nowrap; }
  td.id { font-family: ui-monospace, monospace; font-size: 12px; max-width: 22rem; overflow: hidden; text-overflow: ellipsis; }
  .outcome-accepted, .outcome-queued { color: #137333; } .outcome-duplicate { color: #5f6368; }
  .outcome-rejected { color: #b3261e; } .outcome-failed, .outcome-retry-later { color: #b06000; font-weight: 600; }
  #alerts p { background: #fce8e6; border-left: 4px solid #b3261e; padding: .6rem .8rem; margin: .4rem 0; }
  #counts { display: flex; gap: 1rem; flex-wrap: wrap; }
  .card { background: #fff; border: 1px solid #e3e6eb; border-radius: 6px; padding: .6rem .9rem; min-width: 12rem; }
  .card b { display: block; margin-bottom: .3rem; }
  button { cursor: pointer; } input { padding: .3rem; width: 20rem; }
  #status { color: #5f6368; font-size: 12px; }
</style>
</head>
<body>
<h1>Face webhooks <span id="status"></span></h1>
<div id="alerts"></div>
<h2>Last hour</h2>
<div id="counts"></div>
<h2>Failed events <button id="replay-all" type="button">Replay all</button></h2>
<table id="failed"><thead><tr><th>When</th><th>Provider</th><th>Type</th><th>Event id</th><th>Why</th><th></th></tr></thead><tbody></tbody></table>
<h2>Deliveries <input id="search" type="search" placeholder="Search by event id"></h2>
<table id="deliveries"><thead><tr><th>When</th><th>Provider</th><th>Type</th><th>Event id</th><th>Outcome</th><th>Reason</th><th>ms</th></tr></thead><tbody></tbody></table>
<script nonce="${nonce}">
const base = location.pathname.replace(/\\/+$/, '');
const api = (path, init) => fetch(base + '/api/' + path, init).then((r) => { if (!r.ok) throw new Error(r.status); return r.json(); });
const post = (path) => api(path, { method: 'POST', headers: { 'X-Face-Webhooks-Console': '1' } });
function row(cells, className) {
  const tr = document.createElement('tr');
  if (className) tr.className = className;
  for (const cell of cells) {
    const td = document.createElement('td');
    if (cell instanceof Node) td.append(cell); else td.textContent = cell ?? '';
    tr.append(td);
  }
  return tr;
}
const when = (iso) => iso ? new Date(iso).toLocaleTimeString() : '';
async function refresh() {
  const q = document.getElementById('search').value.trim();
  const [{ deliveries }, summary, failed] = await Promise.all([
    api('deliveries' + (q ? '?q=' + encodeURIComponent(q) : '')), api('summary'), api('failed'),
  ]);
  const body = document.querySelector('#deliveries tbody');
  body.replaceChildren(...deliveries.map((d) => {
    const tr = row([when(d.at), d.provider, d.type, d.id, d.outcome, d.reason, String(d.durationMs)], 'outcome-' + d.outcome);
    tr.cells[3].className = 'id'; tr.dataset.outcome = d.outcome; tr.dataset.id = d.id ?? '';
    return tr;
  }));
  document.getElementById('alerts').replaceChildren(...summary.alerts.map((text) => {
    const p = document.createElement('p'); p.textContent = text; return p;
  }));
  document.getElementById('counts').replaceChildren(...Object.entries(summary.lastHour).map(([provider, outcomes]) => {
    const card = document.createElement('div'); card.className = 'card';
    const title = document.createElement('b'); title.textContent = provider; card.append(title);
    for (const [outcome, count] of Object.entries(outcomes)) {
      const line = document.createElement('div'); line.className = 'outcome-' + outcome;
      line.textContent = outcome + ': ' + count; card.append(line);
    }
    return card;
  }));
  const replayButton = (label, action) => {
    const button = document.createElement('button'); button.type = 'button'; button.className = 'replay';
    button.textContent = label;
    button.onclick = async () => {
      button.disabled = true;
      try { await action(); button.textContent = 'Replayed'; } catch (e) { button.textContent = 'Failed again'; }
      refresh();
    };
    return button;
  };
  document.querySelector('#failed tbody').replaceChildren(
    ...failed.inline.map((f) => row([when(f.at), f.provider, f.type, f.id, 'a handler failed (inline)', replayButton('Replay', () => post('replay/' + f.seq))])),
    ...failed.queued.map((f) => row([when(f.failedAt), f.provider, f.type, f.id, f.failedReason, replayButton('Replay', () => post('replay-queued/' + encodeURIComponent(f.jobId)))])),
  );
  document.getElementById('status').textContent = 'updated ' + new Date().toLocaleTimeString();
}
document.getElementById('search').addEventListener('input', () => refresh());
document.getElementById('replay-all').onclick = async () => { await post('replay-all'); refresh(); };
refresh(); setInterval(() => refresh().catch(() => {}), 2000);
</script>
</body>
</html>
`;
