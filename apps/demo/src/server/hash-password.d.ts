/**
 * A deliberately slow password hash in the spirit of bcrypt: PBKDF2-SHA256 with `rounds` iterations,
 * which keeps one CPU core busy the whole time. Returns the hex digest.
 */
export declare function hashPassword(password: string, rounds: number): string;
