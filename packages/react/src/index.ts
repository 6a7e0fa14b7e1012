'use client';
// @gust/react — the public API. Filled in by the React issue.
export {};
