// Search across sessions (GET /api/v1/search): every word must appear in what an operation captured (prompt, tool
// input, output, error). Filters are written in the box as key:value (tool:Bash status:error model:opus
// agent:codex subagent:Explore project:shop cost>0.05 since:2h). Each hit links to its operation in its session's tree.
import {api, AuthError} from './api.js';
import {kindIcon} from './icons.js';
import {routeHash} from './router.js';
import {$, esc} from './util.js';

let request = 0;

const FILTERS = {tool: 'tool', status: 'status', kind: 'kind', model: 'model', agent: 'agent', subagent: 'subagent',
  project: 'project', sender: 'sender', since: 'since', until: 'until', cost: 'min_cost_usd'};
const AGO = {m: 60e3, h: 3600e3, d: 86400e3};

/** The box's text as the search's query string: the words as q, key:value (and cost>x) as filters. */
export function searchParams(text, now = Date.now()) {
  const words = [];
  const params = new URLSearchParams();
  for (const token of text.split(/\s+/).filter(Boolean)) {
    const m = /^(\w+)(:|>=?)(.+)$/.exec(token);
    const key = m && FILTERS[m[1].toLowerCase()];
    if (!key || (m[2] !== ':' && key !== 'min_cost_usd')) { words.push(token); continue; }
    let value = m[3];
    const ago = (key === 'since' || key === 'until') && /^(\d+)([mhd])$/.exec(value);
    if (ago) value = new Date(now - Number(ago[1]) * AGO[ago[2]]).toISOString();
    if (key === 'min_cost_usd') value = value.replace(/^\$/, '');
    params.set(key, value);
  }
  params.set('q', words.join(' '));
  return params;
}

function hitHtml(h) {
  return `<li class="hit"><a href="${esc(routeHash(h.session_id, h.operation_id))}" data-session="${esc(h.session_id)}"
    data-op="${esc(h.operation_id)}"><span class="icon k-${esc(h.kind)}">${kindIcon(h.kind)}</span>
    <span class="htitle" title="${esc(h.title)}">${esc(h.title)}</span> <span class="badge ${esc(h.status)}">${esc(h.status)}</span>
    <span class="hsession hint" title="${esc(h.session_id)}">${esc(h.session_title || h.session_id)}</span>
    <span class="hmatch">${esc(h.match || '')}</span></a></li>`;
}

async function run(q) {
  const mine = ++request;
  const out = $('search-results');
  if (!q) { out.hidden = true; out.innerHTML = ''; return; }
  out.hidden = false;
  out.innerHTML = '<li class="hint">searching…</li>';
  let body;
  try {
    body = await api('/api/v1/search?limit=30&' + searchParams(q));
  } catch (e) {
    if (mine !== request || e instanceof AuthError) return;
    out.innerHTML = `<li class="error-text">Search failed: ${esc(e.message)}</li>`;
    return;
  }
  if (mine !== request) return;
  out.innerHTML = body.hits.length
    ? `<li class="hint">${body.hits.length} operation${body.hits.length === 1 ? '' : 's'} · ${esc(String(body.took_ms))} ms</li>` + body.hits.map(hitHtml).join('')
    : `<li class="hint">Nothing captured matches “${esc(q)}”.</li>`;
  document.body.dataset.searched = q;
}

export function initSearch() {
  $('search-form').addEventListener('submit', (e) => {
    e.preventDefault();
    run($('search-q').value.trim());
  });
  $('search-q').addEventListener('search', () => { if (!$('search-q').value) run(''); });
}
