// The session list (left column): title, coding agent, status, project and git branch, cost, counts; filter by
// text, project and agent.
import {api} from './api.js';
import {icon} from './icons.js';
import {state} from './state.js';
import {$, baseName, count, esc, fmtCost, fmtMs, fmtTokens} from './util.js';

const LIST_LIMIT = 1000;

/** The session's human name: its title from the server when it has one, else its id. */
export const sessionTitle = (s) => s.title || s.session_id;

function sessionHtml(s) {
  const m = s.metrics;
  const u = s.usage;
  const title = sessionTitle(s);
  const tokens = u ? fmtTokens(u.input_tokens + u.output_tokens + u.cache_read_tokens + u.cache_creation_tokens) + ' tokens'
    : 'no tokens or cost reported';
  const lc = s.lifecycle || {};
  return `<li class="session${s.session_id === state.selected ? ' selected' : ''}" data-id="${esc(s.session_id)}" tabindex="0">
    <div class="top"><span class="stitle" title="${esc(title)}">${esc(title)}</span>${s.agent
      ? ` <span class="agent" title="coding agent">${esc(s.agent)}</span>` : ''} <span class="badge ${esc(s.status)}">${esc(s.status)}</span></div>
    ${title !== s.session_id ? `<div class="sid" title="session id">${esc(s.session_id)}</div>` : ''}
    <div class="cols"><span class="project" title="${esc(s.project || 'no project reported')}">${s.project
      ? icon('folder') + ' ' + esc(baseName(s.project)) : '<span class="hint">no project</span>'}${lc.git_branch
      ? ` <span class="branch" title="git branch">${icon('branch')} ${esc(lc.git_branch)}</span>` : ''}</span>
    <span class="cost" title="${esc(tokens)}">${u ? esc(fmtCost(u.cost_usd)) : '—'}</span></div>
    <div class="meta"><span class="duration">${fmtMs(m.total_duration_ms)}</span> · <span class="tools">${count(m.tool_calls, 'tool call')}</span>
    · <span class="errors">${count(m.errors, 'error')}</span>${m.running ? ` · <span class="running">${m.running} running</span>` : ''}
    · ${s.event_count} events${lc.model ? ` · <span class="model">${esc(lc.model)}</span>` : ''}${s.sender
      ? ` · <span class="sender" title="sent with the token ${esc(s.sender)}">${esc(s.sender)}</span>` : ''}</div></li>`;
}

/** Loads and draws the list; returns the sessions drawn. */
export async function loadSessions() {
  const q = $('filter').value.trim();
  const project = $('project-filter').value;
  const agent = $('agent-filter').value;
  const t0 = performance.now();
  const body = await api(`/api/v1/sessions?limit=${LIST_LIMIT}` + (q ? '&q=' + encodeURIComponent(q) : '')
    + (project ? '&project=' + encodeURIComponent(project) : '') + (agent ? '&agent=' + encodeURIComponent(agent) : ''));
  const t1 = performance.now();
  const html = body.sessions.map(sessionHtml).join('');
  $('sessions').innerHTML = html || '<li class="hint">No sessions' + (q || project || agent ? ' match the filter.' : ' yet: log an event.') + '</li>';
  const more = body.total > body.sessions.length;
  $('sessions-count').textContent = more ? `${body.sessions.length} of ${body.total}` : String(body.sessions.length);
  updateProjects(body.sessions);
  updateAgents(body.sessions);
  const t2 = performance.now();
  // Read by DashboardRenderBench: when the list was requested, received and drawn.
  window.mosListTimings = {requested: t0, received: t1, built: t2, count: body.sessions.length};
  document.body.dataset.listedSessions = String(body.sessions.length);
  return body.sessions;
}

function updateProjects(sessions) {
  const before = state.projects.size;
  for (const s of sessions) if (s.project) state.projects.add(s.project);
  if (state.projects.size === before && $('project-filter').options.length > 1) return;
  const current = $('project-filter').value;
  $('project-filter').innerHTML = '<option value="">all projects</option>' + [...state.projects].sort()
    .map((p) => `<option value="${esc(p)}"${p === current ? ' selected' : ''}>${esc(baseName(p))} — ${esc(p)}</option>`).join('');
}

function updateAgents(sessions) {
  const before = state.agents.size;
  for (const s of sessions) if (s.agent) state.agents.add(s.agent);
  if (state.agents.size === before && $('agent-filter').options.length > 1) return;
  const current = $('agent-filter').value;
  $('agent-filter').innerHTML = '<option value="">all agents</option>' + [...state.agents].sort()
    .map((a) => `<option value="${esc(a)}"${a === current ? ' selected' : ''}>${esc(a)}</option>`).join('');
}

export function markSelectedSession(id) {
  document.querySelectorAll('#sessions .session').forEach((li) => li.classList.toggle('selected', li.dataset.id === id));
}

/** Wires the list: onSelect(id) when a session is clicked or chosen with Enter; onFilter() when a filter changes. */
export function initSessions(onSelect, onFilter) {
  $('sessions').addEventListener('click', (e) => {
    const li = e.target.closest('.session');
    if (li) onSelect(li.dataset.id);
  });
  $('sessions').addEventListener('keydown', (e) => {
    const li = e.target.closest('.session');
    if (!li) return;
    if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); onSelect(li.dataset.id); }
    else if (e.key === 'ArrowDown' && li.nextElementSibling) { e.preventDefault(); li.nextElementSibling.focus(); }
    else if (e.key === 'ArrowUp' && li.previousElementSibling) { e.preventDefault(); li.previousElementSibling.focus(); }
  });
  $('filter').addEventListener('input', onFilter);
  $('project-filter').addEventListener('change', onFilter);
  $('agent-filter').addEventListener('change', onFilter);
}
