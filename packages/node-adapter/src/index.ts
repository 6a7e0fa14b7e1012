// @gust/node-adapter — the public API. Filled in by the Node adapter issues.
export {};
