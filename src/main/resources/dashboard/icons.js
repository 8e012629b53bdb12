// Inline SVG icons (stroke drawings on a 16x16 grid, coloured by currentColor): no emoji, so nothing depends on
// an emoji font being installed, and no icon font or image is fetched.

const PATHS = {
  // kinds of operation
  task: '<path d="M4 2.5h8v11H4z"/><path d="M6 5.5h4M6 8h4M6 10.5h2.5"/>',
  tool: '<path d="M10.5 2.5a3 3 0 0 0-3 4L3 11l2 2 4.5-4.5a3 3 0 0 0 4-3l-2 1-1.5-1.5 1-2z"/>',
  mcp: '<path d="M6 2v3M10 2v3"/><path d="M4.5 5h7v3a3.5 3.5 0 0 1-7 0z"/><path d="M8 11.5V14"/>',
  subagent: '<rect x="3" y="5" width="10" height="8" rx="2"/><path d="M8 2.5V5"/><circle cx="6" cy="9" r=".8"/><circle cx="10" cy="9" r=".8"/>',
  llm: '<path d="M8 2l1.4 3.6L13 7l-3.6 1.4L8 12l-1.4-3.6L3 7l3.6-1.4z"/><path d="M12.5 11.5l.5 1.5 1.5.5-1.5.5-.5 1.5-.5-1.5-1.5-.5 1.5-.5z"/>',
  prompt: '<path d="M2.5 3.5h11v7h-6l-3 2.5v-2.5h-2z"/>',
  point: '<circle cx="8" cy="8" r="2.5"/>',
  // states
  success: '<path d="M3.5 8.5l3 3 6-7"/>',
  error: '<path d="M4 4l8 8M12 4l-8 8"/>',
  timeout: '<circle cx="8" cy="8.5" r="5"/><path d="M8 5.5v3l2 1.5M6.5 2h3"/>',
  running: '<path d="M13 8a5 5 0 1 1-1.5-3.6"/><path d="M13 2.5v2.5h-2.5"/>',
  slow: '<path d="M2.5 11a5.5 5.5 0 0 1 11 0"/><path d="M8 11l2.5-3.5"/>',
  // interface
  folder: '<path d="M2 4.5h4l1.5 1.5H14v6.5H2z"/>',
  branch: '<circle cx="5" cy="3.5" r="1.5"/><circle cx="5" cy="12.5" r="1.5"/><circle cx="11" cy="6" r="1.5"/><path d="M5 5v6M11 7.5c0 2-3 2.5-6 3.5"/>',
  warning: '<path d="M8 2.5l6 11H2z"/><path d="M8 6.5v3.5M8 11.8v.2"/>',
  copy: '<rect x="5" y="5" width="8.5" height="8.5" rx="1"/><path d="M3 10.5V2.5h8"/>',
  close: '<path d="M4 4l8 8M12 4l-8 8"/>',
  right: '<path d="M6 3.5l4.5 4.5L6 12.5"/>',
  down: '<path d="M3.5 6l4.5 4.5L12.5 6"/>',
  dot: '<circle cx="8" cy="8" r="3" fill="currentColor"/>',
  zoomIn: '<circle cx="7" cy="7" r="4.5"/><path d="M10.5 10.5L14 14M5 7h4M7 5v4"/>',
  zoomOut: '<circle cx="7" cy="7" r="4.5"/><path d="M10.5 10.5L14 14M5 7h4"/>',
  reset: '<path d="M3 8a5 5 0 1 0 1.5-3.6"/><path d="M3 2.5V5h2.5"/>',
  search: '<circle cx="7" cy="7" r="4.5"/><path d="M10.5 10.5L14 14"/>',
};

const cache = new Map();

/** The icon's SVG markup; unknown names give a dot. label makes it announced to screen readers. */
export function icon(name, label) {
  const key = name + '|' + (label || '');
  let svg = cache.get(key);
  if (!svg) {
    const a11y = label ? `role="img" aria-label="${label.replace(/"/g, '&quot;')}"` : 'aria-hidden="true"';
    svg = `<svg class="ic ic-${name}" viewBox="0 0 16 16" width="14" height="14" fill="none" stroke="currentColor"`
      + ` stroke-width="1.5" stroke-linecap="round" stroke-linejoin="round" ${a11y}>${PATHS[name] || PATHS.dot}</svg>`;
    cache.set(key, svg);
  }
  return svg;
}

const KIND = {task: 'prompt', tool: 'tool', mcp: 'mcp', subagent: 'subagent', llm: 'llm', lifecycle: 'point'};

export const kindIcon = (kind) => icon(KIND[kind] || 'task', kind);

export const statusIcon = (status) => (status === 'success' || status === 'error' || status === 'timeout'
  || status === 'running') ? icon(status, status) : '';
