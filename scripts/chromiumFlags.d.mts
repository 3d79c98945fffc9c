// Types for chromiumFlags.mjs, so playwright.config.ts can import it.
export declare const QUIET_CHROMIUM_FLAGS: readonly string[];
export declare function chromiumPath(): string;
