// The activity tree: nested operations with their state, duration, slow and error marks. Big trees start with
// finished subtrees closed and draw a bounded number of rows; a closed subtree is built only when opened.
// Keyboard: Up/Down move the selection through the visible rows, Left/Right close/open (or go to the parent /
// first child), Home/End, Enter opens the details, Escape closes them.
import {icon, kindIcon, statusIcon} from './icons.js';
import {state} from './state.js';
import {$, esc, fmtMs} from './util.js';

// Above this many operations, subtrees start closed (except those with running work) and the tree draws at most
// ROW_BUDGET rows until asked for more: a 10,000-event session stays a few hundred DOM rows.
const BIG_TREE = 1000;
export const ROW_BUDGET = 1500;
state.rowBudget = ROW_BUDGET;

/** The node's one-line human name: the server's title when it sends one, else its name. */
export const nodeTitle = (n) => n.title || n.name;

/** Indexes nodes by id with their parent and marks each node that is or holds running work (n.live). */
function index(nodes, parent, byId) {
  let any = false;
  for (const n of nodes) {
    byId.set(n.id, n);
    n.parent = parent;
    const kids = n.children ? index(n.children, n, byId) : false;
    n.live = n.status === 'running' || kids;
    any = any || n.live;
  }
  return any;
}

function isCollapsed(n) {
  if (state.collapsed.has(n.id)) return true;
  return state.bigTree && !n.live && !state.expanded.has(n.id);
}

const size = (n) => 1 + (n.children ? n.children.reduce((sum, c) => sum + size(c), 0) : 0);

function nodeHtml(n, out, budget) {
  if (budget.left <= 0) { budget.skipped += size(n); return; }
  budget.left--;
  const hasKids = n.children && n.children.length;
  const collapsed = hasKids && isCollapsed(n);
  const cls = ['op', 'kind-' + n.kind, n.status];
  if (n.slow) cls.push('slow');
  if (collapsed) cls.push('collapsed');
  if (n.id === state.selectedOp) cls.push('selected');
  const title = nodeTitle(n);
  out.push(`<li class="${cls.join(' ')}" data-id="${esc(n.id)}" data-name="${esc(n.name)}" role="treeitem"`,
    hasKids ? ` aria-expanded="${!collapsed}"` : '', n.id === state.selectedOp ? ' aria-selected="true"' : '', '><div class="row">',
    `<span class="toggle">${hasKids ? icon(collapsed ? 'right' : 'down') : ''}</span>`,
    `<span class="icon k-${esc(n.kind)}">${kindIcon(n.kind)}</span><span class="name" title="${esc(title)}">${esc(title)}</span>`,
    `<span class="state">${statusIcon(n.status)}</span><span class="dur">${fmtMs(n.duration_ms)}${n.status === 'running' ? ' running' : ''}</span>`);
  if (collapsed) out.push(`<span class="hint kids">${n.children.length} inside</span>`);
  if (n.slow) out.push(`<span class="slowtag">${icon('slow')} SLOW</span>`);
  if (n.error) out.push(`<span class="errmsg">ERROR: ${esc(n.error)}</span>`);
  out.push('</div>');
  // A closed subtree is not drawn at all: its rows are built when it is opened.
  if (hasKids && !collapsed) childrenHtml(n, out, budget);
  out.push('</li>');
}

function childrenHtml(n, out, budget) {
  out.push('<ul role="group">');
  for (const c of n.children) nodeHtml(c, out, budget);
  out.push('</ul>');
}

export function renderTree(tree) {
  state.nodes = new Map();
  index(tree.tree, null, state.nodes);
  state.bigTree = tree.operation_count > BIG_TREE;
  // The selected operation stays reachable: its ancestors are open.
  const sel = state.selectedOp && state.nodes.get(state.selectedOp);
  for (let p = sel && sel.parent; p; p = p.parent) { state.collapsed.delete(p.id); state.expanded.add(p.id); }
  const budget = {left: state.rowBudget, skipped: 0};
  const out = ['<ul role="tree" aria-label="activity tree">'];
  for (const n of tree.tree) nodeHtml(n, out, budget);
  out.push('</ul>');
  if (budget.skipped) {
    out.push(`<p class="hint more-rows">${budget.skipped} more operations not drawn
      <button type="button" id="more-rows">show ${ROW_BUDGET} more</button></p>`);
  }
  $('tree').innerHTML = tree.tree.length ? out.join('') : '<p class="hint">No operations yet.</p>';
}

const rowOf = (id) => $('tree').querySelector(`.op[data-id="${CSS.escape(id)}"]`);

/** Opens a drawn node's children (building them if a closed subtree was never drawn). */
function open(li) {
  const id = li.dataset.id;
  state.collapsed.delete(id);
  state.expanded.add(id);
  li.classList.remove('collapsed');
  li.setAttribute('aria-expanded', 'true');
  const toggle = li.querySelector(':scope > .row > .toggle');
  if (toggle) toggle.innerHTML = icon('down');
  const node = state.nodes.get(id);
  if (node && node.children && !li.querySelector(':scope > ul')) {
    const out = [];
    childrenHtml(node, out, {left: ROW_BUDGET, skipped: 0});
    li.insertAdjacentHTML('beforeend', out.join(''));
    const kids = li.querySelector(':scope > .row > .kids');
    if (kids) kids.remove();
  }
}

function close(li) {
  const id = li.dataset.id;
  state.collapsed.add(id);
  state.expanded.delete(id);
  li.classList.add('collapsed');
  li.setAttribute('aria-expanded', 'false');
  const toggle = li.querySelector(':scope > .row > .toggle');
  if (toggle) toggle.innerHTML = icon('right');
}

const hasKids = (li) => li.hasAttribute('aria-expanded');

/** Marks the selected row, drawing it first when it sits in a closed subtree; scrolls it into view. */
export function markSelectedInTree(id, scroll) {
  $('tree').querySelectorAll('.op.selected').forEach((li) => { li.classList.remove('selected'); li.removeAttribute('aria-selected'); });
  if (!id) return;
  let li = rowOf(id);
  if (!li || li.offsetParent === null) {
    // open the ancestors from the top, building the closed subtrees on the way
    const chain = [];
    for (let p = state.nodes.get(id)?.parent; p; p = p.parent) chain.unshift(p);
    for (const p of chain) { const pl = rowOf(p.id); if (pl && hasKids(pl)) open(pl); }
    li = rowOf(id);
  }
  if (!li) return;
  li.classList.add('selected');
  li.setAttribute('aria-selected', 'true');
  if (scroll) li.querySelector(':scope > .row').scrollIntoView({block: 'nearest'});
}

/** The rows a person can see, in order: those not inside a closed subtree. */
function visibleRows() {
  return [...$('tree').querySelectorAll('.op')].filter((li) => !li.parentElement.closest('.op.collapsed'));
}

/**
 * handlers: select(id, {open}) for a click (open: true) or a keyboard move; open(id) for Enter; close() for
 * Escape; more() when more rows are asked for.
 */
export function initTree(handlers) {
  const box = $('tree');
  box.tabIndex = 0;
  box.addEventListener('click', (e) => {
    if (e.target.id === 'more-rows') { state.rowBudget += ROW_BUDGET; handlers.more(); return; }
    const li = e.target.closest('.op');
    if (!li) return;
    if (e.target.closest('.toggle')) {
      if (li.classList.contains('collapsed')) open(li); else if (hasKids(li)) close(li);
      return;
    }
    handlers.select(li.dataset.id, {open: true});
  });
  box.addEventListener('keydown', (e) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const rows = visibleRows();
    if (!rows.length) return;
    const cur = state.selectedOp ? rows.findIndex((li) => li.dataset.id === state.selectedOp) : -1;
    const li = cur >= 0 ? rows[cur] : null;
    const go = (i) => { const r = rows[Math.max(0, Math.min(rows.length - 1, i))]; handlers.select(r.dataset.id, {open: false}); };
    switch (e.key) {
      case 'ArrowDown': go(cur + 1); break;
      case 'ArrowUp': go(cur < 0 ? 0 : cur - 1); break;
      case 'Home': go(0); break;
      case 'End': go(rows.length - 1); break;
      case 'PageDown': go(cur + 10); break;
      case 'PageUp': go(cur - 10); break;
      case 'ArrowRight':
        if (!li) go(0);
        else if (hasKids(li) && li.classList.contains('collapsed')) open(li);
        else if (hasKids(li)) go(cur + 1);
        break;
      case 'ArrowLeft':
        if (li && hasKids(li) && !li.classList.contains('collapsed')) close(li);
        else if (li) { const p = li.parentElement.closest('.op'); if (p) handlers.select(p.dataset.id, {open: false}); }
        break;
      case 'Enter': if (li) handlers.open(li.dataset.id); break;
      case 'Escape': handlers.close(); break;
      default: return;
    }
    e.preventDefault();
  });
}
