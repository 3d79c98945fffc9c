// The production header file (public/_headers) is the one the preview server's headers come from, and says what the issue asks.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_HUB_ORIGINS,
  connectOriginsFromEnv,
  contentSecurityPolicy,
  securityHeaders,
  staticHostHeadersFile,
} from '../../scripts/securityHeaders';
import { HUGGING_FACE_HUB_ORIGIN, isAllowedRedirectTarget } from '../shared/hubHosts';

describe('security headers', () => {
  it('public/_headers is generated from scripts/securityHeaders.ts (run npx tsx scripts/write-headers-file.ts after a change)', () => {
    expect(readFileSync('public/_headers', 'utf8')).toBe(staticHostHeadersFile());
  });

  it('the page policy allows only its own scripts and WebAssembly, no plugins, no framing, and connects only to itself and the hub', () => {
    const csp = contentSecurityPolicy(connectOriginsFromEnv({ STUDIO_CONNECT_ORIGINS: 'https://mirror.example' }));
    const directives = new Map(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
    expect(directives.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('connect-src')).toEqual([
      "'self'",
      'blob:',
      'data:',
      'https://huggingface.co',
      'https://*.huggingface.co',
      'https://*.hf.co',
      'https://mirror.example',
    ]);
    expect(securityHeaders()).toMatchObject({
      'X-Content-Type-Options': 'nosniff',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
    });
  });

  it("only the app's worker scripts get 'unsafe-eval' (protobufjs), never the page or other scripts", () => {
    expect(securityHeaders(undefined, '/assets/engine.worker-Deec2_O1.js')['Content-Security-Policy']).toContain("'unsafe-eval'");
    for (const path of ['/', '/index.html', '/assets/main-85vIWE-m.js', '/assets/x.worker-a.js/../main.js']) {
      expect(securityHeaders(undefined, path)['Content-Security-Policy']).not.toContain("'unsafe-eval'");
    }
  });

  it('connect-src allows exactly the hosts a hub download may be redirected to (one list for both)', () => {
    /** CSP host-source matching for the forms the list uses: an origin, or https://*.domain for any subdomain. */
    const cspAllows = (url: URL) =>
      DEFAULT_HUB_ORIGINS.some((source) =>
        source.includes('*.')
          ? url.protocol === 'https:' && url.hostname.endsWith(source.slice('https://*'.length))
          : url.origin === source,
      );
    for (const host of [
      'https://cdn-lfs.huggingface.co',
      'https://cdn-lfs-us-1.hf.co',
      'https://cas-bridge.xethub.hf.co',
      'https://evil.example',
      'https://hf.co.evil.example',
    ]) {
      const url = new URL(`${host}/file`);
      expect(cspAllows(url), host).toBe(isAllowedRedirectTarget(HUGGING_FACE_HUB_ORIGIN, url));
    }
  });
});
