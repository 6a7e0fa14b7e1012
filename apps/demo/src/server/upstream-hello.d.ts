/** Longest artificial delay a request may ask for, in milliseconds. */
export declare const MAX_DELAY: number;
/** The delay asked for by `?delay=` (milliseconds, clamped to 0…MAX_DELAY; 250 when absent or invalid). */
export declare function helloDelay(param: unknown): number;
/** The body of the upstream answer. */
export declare function helloText(delay: number, where: string): string;
