// Types for chromiumFlags.mjs, so playwright.config.ts and the e2e specs can import it.
export declare const QUIET_CHROMIUM_FLAGS: readonly string[];
export declare const UNSEEN_BROWSER_UI: readonly string[];
export declare function enableFeaturesFlag(...features: string[]): string;
export declare function chromiumPath(): string;
