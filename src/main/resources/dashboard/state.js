// The page's one state object: which session and operation are selected, what the user opened or closed.
// Modules share it by import; nothing else is global.

export const state = {
  signedIn: false,     // by the sign-in cookie (the page never sees the token again)
  selected: null,      // session id
  selectedOp: null,    // operation (tree node) id
  cursor: null,        // last SSE event id, to resume the stream
  collapsed: new Set(), // operations the user closed
  expanded: new Set(),  // operations the user opened in a big tree (closed by default there)
  projects: new Set(),  // every project seen in a listing, for the filter
  agents: new Set(),    // every coding agent seen in a listing, for the filter
  nodes: new Map(),     // tree node id -> node of the last render
  tree: null,           // last tree response
  bigTree: false,
  rowBudget: 0,
  alerts: [],
};
