// The CPU-heavy task of page 3: plain JavaScript because a worker thread loads it as it is (no TypeScript
// loader runs in workers). Types: hash-password.d.ts.
import { pbkdf2Sync } from 'node:crypto';

/**
 * A deliberately slow password hash in the spirit of bcrypt: PBKDF2-SHA256 with `rounds` iterations,
 * which keeps one CPU core busy the whole time. Returns the hex digest.
 */
export function hashPassword(password, rounds) {
  return pbkdf2Sync(password, 'gust-demo-salt', rounds, 32, 'sha256').toString('hex');
}
