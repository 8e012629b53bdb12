'use strict';
// MOS dashboard: plain browser JavaScript, no build step. Data comes from /api/v1 (REST) and live updates from
// the /api/v1/stream Server-Sent Events stream, read with fetch() so that the bearer token travels in a header
// (EventSource cannot send headers, and a token in a URL would end up in logs).

const state = {
  token: sessionStorage.getItem('mos-token'),
  selected: null,
  cursor: null,
  collapsed: new Set(),
  alerts: [],
  treeTimer: null,
  listTimer: null,
  lastHealth: null,
  streaming: false,
};

class AuthError extends Error {}

const $ = (id) => document.getElementById(id);
const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c]));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function fmtMs(ms) {
  if (ms == null) return '';
  if (ms < 1000) return ms + 'ms';
  if (ms < 60000) return (ms / 1000).toFixed(1) + 's';
  return Math.floor(ms / 60000) + 'm' + Math.round((ms % 60000) / 1000) + 's';
}

function headers(extra) {
  const h = Object.assign({Accept: 'application/json'}, extra || {});
  if (state.token) h.Authorization = 'Bearer ' + state.token;
  return h;
}

async function api(path) {
  const r = await fetch(path, {headers: headers()});
  if (r.status === 401) {
    askToken(state.token ? 'The token was refused.' : '');
    throw new AuthError();
  }
  const body = await r.json();
  if (!r.ok) throw new Error(body.error || ('HTTP ' + r.status));
  return body;
}

function askToken(message) {
  $('token-form').hidden = false;
  $('token-error').textContent = message || '';
  $('token-input').focus();
}

$('token-form').addEventListener('submit', (e) => {
  e.preventDefault();
  state.token = $('token-input').value.trim();
  sessionStorage.setItem('mos-token', state.token);
  $('token-form').hidden = true;
  start();
});

// ---- session list ----------------------------------------------------------------------------------------------

async function loadSessions() {
  const q = $('filter').value.trim();
  const body = await api('/api/v1/sessions?limit=200' + (q ? '&q=' + encodeURIComponent(q) : ''));
  const html = body.sessions.map((s) => {
    const m = s.metrics;
    return `<li class="session${s.session_id === state.selected ? ' selected' : ''}" data-id="${esc(s.session_id)}">
      <div><span class="sid">${esc(s.session_id)}</span> <span class="badge ${esc(s.status)}">${esc(s.status)}</span></div>
      <div class="meta"><span class="duration">${fmtMs(m.total_duration_ms)}</span> · <span class="tools">${m.tool_calls} tool calls</span>
      · <span class="errors">${m.errors} errors</span>${m.running ? ` · <span class="running">${m.running} running</span>` : ''}
      · ${s.event_count} events</div></li>`;
  }).join('');
  $('sessions').innerHTML = html || '<li class="hint">No sessions yet: log an event.</li>';
  if (!state.selected && body.sessions.length) select(body.sessions[0].session_id);
}

function scheduleList() {
  if (state.listTimer) return;
  state.listTimer = setTimeout(() => { state.listTimer = null; loadSessions().catch(showError); }, 500);
}

$('sessions').addEventListener('click', (e) => {
  const li = e.target.closest('.session');
  if (li) select(li.dataset.id);
});
$('filter').addEventListener('input', scheduleList);

function select(id) {
  state.selected = id;
  state.collapsed.clear();
  document.querySelectorAll('.session').forEach((li) => li.classList.toggle('selected', li.dataset.id === id));
  location.hash = 'session=' + encodeURIComponent(id);
  renderAlerts();
  loadTree().catch(showError);
}

// ---- one session: tree, waterfall, tools -----------------------------------------------------------------------

function scheduleTree() {
  if (state.treeTimer) return;
  state.treeTimer = setTimeout(() => { state.treeTimer = null; loadTree().catch(showError); }, 150);
}

async function loadTree() {
  const id = state.selected;
  if (!id) return;
  const enc = encodeURIComponent(id);
  const [tree, tools] = await Promise.all([api(`/api/v1/sessions/${enc}/tree?max_depth=100`),
    api(`/api/v1/sessions/${enc}/analytics`)]);
  if (id !== state.selected) return;
  const t0 = performance.now();
  renderHeader(tree);
  renderTree(tree);
  renderWaterfall(tree);
  renderTools(tools.tools);
  window.mosLastRenderMs = performance.now() - t0;
  document.body.dataset.renderedSequence = tree.last_sequence;
}

const ICONS = {task: '📋', tool: '🔧', mcp: '🔌', subagent: '🤖'};
const STATE = {success: '✅', error: '❌', timeout: '⏱', running: ''};

function renderHeader(tree) {
  const s = tree.session;
  const m = s.metrics;
  $('session-header').innerHTML = `<h2>Session <span id="current-session">${esc(s.session_id)}</span>
    <span class="badge ${esc(s.status)}">${esc(s.status)}</span></h2>
    <p class="meta">${tree.operation_count} operations · ${tree.running_count} running · ${m.tool_calls} tool calls
    · ${m.errors} errors · ${fmtMs(m.total_duration_ms)} · slow above ${fmtMs(tree.slow_threshold_ms)}
    ${s.dropped_events ? ` · ${s.dropped_events} oldest events dropped` : ''}</p>`;
}

function nodeHtml(n, out) {
  const cls = ['op', 'kind-' + n.kind, n.status];
  if (n.slow) cls.push('slow');
  if (state.collapsed.has(n.id)) cls.push('collapsed');
  const icon = (n.display && n.display.icon) || ICONS[n.kind] || '•';
  const hasKids = n.children && n.children.length;
  out.push(`<li class="${cls.join(' ')}" data-id="${esc(n.id)}"><div class="row">`,
    `<span class="toggle">${hasKids ? (state.collapsed.has(n.id) ? '▸' : '▾') : ''}</span>`,
    `<span class="icon">${esc(icon)}</span><span class="name">${esc(n.name)}</span>`,
    `<span class="state">${STATE[n.status] || ''}</span><span class="dur">${fmtMs(n.duration_ms)}${n.status === 'running' ? ' running' : ''}</span>`);
  if (n.slow) out.push('<span class="slowtag">🐢 SLOW</span>');
  if (n.attributes && n.attributes.error) out.push(`<span class="errmsg">← ERROR: ${esc(n.attributes.error)}</span>`);
  out.push('</div>');
  if (hasKids) {
    out.push('<ul>');
    for (const c of n.children) nodeHtml(c, out);
    out.push('</ul>');
  }
  out.push('</li>');
}

function renderTree(tree) {
  const out = ['<ul>'];
  for (const n of tree.tree) nodeHtml(n, out);
  out.push('</ul>');
  $('tree').innerHTML = tree.tree.length ? out.join('') : '<p class="hint">No operations yet.</p>';
}

$('tree').addEventListener('click', (e) => {
  if (!e.target.classList.contains('toggle')) return;
  const li = e.target.closest('.op');
  const id = li.dataset.id;
  if (state.collapsed.has(id)) state.collapsed.delete(id); else state.collapsed.add(id);
  li.classList.toggle('collapsed');
  e.target.textContent = li.classList.contains('collapsed') ? '▸' : '▾';
});

const WATERFALL_ROWS = 2000;

function renderWaterfall(tree) {
  const rows = [];
  const walk = (n, depth) => { rows.push([n, depth]); (n.children || []).forEach((c) => walk(c, depth + 1)); };
  tree.tree.forEach((n) => walk(n, 0));
  if (!rows.length) { $('waterfall').innerHTML = ''; return; }
  let min = Infinity, max = -Infinity;
  for (const [n] of rows) {
    const s = Date.parse(n.start);
    min = Math.min(min, s);
    max = Math.max(max, s + (n.duration_ms || 0));
  }
  const span = Math.max(1, max - min);
  const out = [];
  for (const [n, depth] of rows.slice(0, WATERFALL_ROWS)) {
    const left = ((Date.parse(n.start) - min) / span) * 100;
    const width = ((n.duration_ms || 0) / span) * 100;
    out.push(`<div class="wf-row" data-id="${esc(n.id)}"><span class="wf-label" style="padding-left:${depth * 0.6}rem"
      title="${esc(n.name)}">${esc(n.name)}</span><div class="wf-track"><div class="wf-bar ${n.status}${n.slow ? ' slow' : ''}"
      style="left:${left.toFixed(3)}%;width:${width.toFixed(3)}%" title="${esc(n.name)} ${fmtMs(n.duration_ms)}"></div></div></div>`);
  }
  if (rows.length > WATERFALL_ROWS) out.push(`<p class="hint">${rows.length - WATERFALL_ROWS} more operations not drawn</p>`);
  $('waterfall').innerHTML = out.join('');
}

function renderTools(tools) {
  if (!tools.length) { $('tools').innerHTML = '<p class="hint">No tool calls yet.</p>'; return; }
  const maxP95 = Math.max(1, ...tools.map((t) => t.p95_ms));
  $('tools').innerHTML = '<div class="tool-chart">' + tools.map((t) => `
    <span class="wf-label">${esc(t.tool)}</span>
    <div><div class="tool-bar" style="width:${(t.p95_ms / maxP95 * 100).toFixed(1)}%" title="p95 ${t.p95_ms}ms"></div>
    <div class="tool-bar err" style="width:${(t.error_rate * 100).toFixed(1)}%" title="error rate"></div></div>
    <span class="tool-stats" data-tool="${esc(t.tool)}">${t.calls} calls · ${t.errors} err · p50 ${fmtMs(t.p50_ms)} · p95 ${fmtMs(t.p95_ms)}</span>`).join('') + '</div>';
}

function renderAlerts() {
  const mine = state.alerts.filter((a) => a.session_id === state.selected).slice(-10).reverse();
  $('alerts').innerHTML = mine.map((a) => `<div class="alert ${esc(a.alert)}">${a.alert === 'slow' ? '🐢' : '❌'}
    ${esc(a.name || a.event_type)}: ${a.alert === 'slow' ? `took ${fmtMs(a.duration_ms)} (slow above ${fmtMs(a.threshold_ms)})` : esc(a.message || 'failed')}</div>`).join('');
}

// ---- live stream -----------------------------------------------------------------------------------------------

function setConn(on) {
  $('conn').className = 'conn ' + (on ? 'on' : 'off');
  $('conn').textContent = on ? 'live' : 'offline';
}

function handleBlock(block) {
  let event = 'message', data = '', id = null;
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    const i = line.indexOf(':');
    const field = i < 0 ? line : line.slice(0, i);
    const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
    if (field === 'event') event = value; else if (field === 'data') data += value; else if (field === 'id') id = value;
  }
  if (id) state.cursor = id;
  if (!data) return;
  const body = JSON.parse(data);
  if (event === 'activity') {
    scheduleList();
    if (body.session_id === state.selected) scheduleTree();
  } else if (event === 'alert') {
    state.alerts.push(body);
    if (state.alerts.length > 500) state.alerts.shift();
    if (body.session_id === state.selected) renderAlerts();
  } else if (event === 'lag') {
    state.cursor = body.resync_cursor;
  }
}

async function stream() {
  if (state.streaming) return;
  state.streaming = true;
  while (true) {
    try {
      const h = headers({Accept: 'text/event-stream'});
      if (state.cursor) h['Last-Event-ID'] = state.cursor;
      const r = await fetch('/api/v1/stream', {headers: h});
      if (r.status === 401) { setConn(false); state.streaming = false; askToken('The token was refused.'); return; }
      if (!r.ok) throw new Error('stream HTTP ' + r.status);
      setConn(true);
      const reader = r.body.getReader();
      const decoder = new TextDecoder();
      let buf = '';
      for (;;) {
        const {value, done} = await reader.read();
        if (done) break;
        buf += decoder.decode(value, {stream: true});
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          handleBlock(buf.slice(0, i));
          buf = buf.slice(i + 2);
        }
      }
    } catch (e) {
      // network error: reconnect below, resuming from state.cursor
    }
    setConn(false);
    await sleep(1000);
    // Whatever happened while disconnected is replayed from the cursor; refresh the views as well.
    scheduleList();
    scheduleTree();
  }
}

// ---- health ----------------------------------------------------------------------------------------------------

async function loadHealth() {
  const r = await fetch('/health', {headers: {Accept: 'application/json'}});
  const h = await r.json();
  const now = Date.now();
  let rates = '';
  if (state.lastHealth) {
    const dt = (now - state.lastHealth.at) / 1000;
    rates = ` · <span>${((h.events.ingested - state.lastHealth.ingested) / dt).toFixed(1)} events/s</span>
      · <span>${((h.requests.total - state.lastHealth.requests) / dt).toFixed(1)} req/s</span>`;
  }
  state.lastHealth = {at: now, ingested: h.events.ingested, requests: h.requests.total};
  $('health').innerHTML = `<span id="health-status" class="status-${esc(h.status)}">● ${esc(h.status)}</span>
    <span>heap ${h.memory.heap_used_mb} / ${h.memory.limit_mb} MB</span><span>${h.sessions.active} sessions</span>
    <span>${h.events.ingested} events</span>${rates}
    ${(h.alerts || []).map((a) => `<span class="error-text">⚠ ${esc(a)}</span>`).join('')}`;
}

// A running operation's duration is computed by the server at read time: re-read now and then while any runs.
setInterval(() => {
  if (state.selected && document.querySelector('.op.running')) scheduleTree();
}, 2000);

function showError(e) {
  if (e instanceof AuthError) return;
  $('session-header').insertAdjacentHTML('beforeend', `<p class="error-text">${esc(e.message)}</p>`);
}

async function start() {
  const m = location.hash.match(/session=([^&]+)/);
  if (m && !state.selected) state.selected = decodeURIComponent(m[1]);
  try {
    await loadSessions();
    if (state.selected) await loadTree();
  } catch (e) {
    if (e instanceof AuthError) return;
    showError(e);
  }
  stream();
}

loadHealth().catch(() => {});
setInterval(() => loadHealth().catch(() => {}), 5000);
start();
