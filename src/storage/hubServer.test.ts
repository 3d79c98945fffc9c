// The hub test server speaks HTTP the way the hub does: 302 to a CDN path, Range, ETag/If-Range, CORS + CORP, controls.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HubServer } from '../../scripts/hub-server/server.mjs';
import { manifestFile, startHubServer } from './download/hubFixture.test-support';

let hub: HubServer;
beforeEach(async () => {
  hub = await startHubServer();
});
afterEach(() => hub.close());

const UNET = manifestFile('unet/model.onnx');
const resolveUrl = () => `${hub.url}/test-org/tiny-sd/resolve/main/unet/model.onnx`;

describe('hub test server', () => {
  it('redirects resolve URLs to a CDN path that serves bytes with ETag, length, ranges and cross-origin headers', async () => {
    const redirect = await fetch(resolveUrl(), { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe('/cdn/test-org/tiny-sd/main/unet/model.onnx');
    expect(redirect.headers.get('x-linked-size')).toBe(String(UNET.size));

    const head = await fetch(resolveUrl(), { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(UNET.size));
    expect(head.headers.get('etag')).toBe(`"${UNET.sha256}"`);
    expect(head.headers.get('accept-ranges')).toBe('bytes');
    expect(head.headers.get('access-control-allow-origin')).toBe('*');
    expect(head.headers.get('access-control-expose-headers')).toContain('Content-Range');
    expect(head.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
  });

  it('answers Range with 206 and Content-Range, honours If-Range only for the current ETag, and 416 past the end', async () => {
    const part = await fetch(resolveUrl(), { headers: { Range: 'bytes=100-' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-${UNET.size - 1}/${UNET.size}`);
    expect((await part.arrayBuffer()).byteLength).toBe(UNET.size - 100);

    const stale = await fetch(resolveUrl(), { headers: { Range: 'bytes=100-', 'If-Range': '"an-old-version"' } });
    expect(stale.status).toBe(200);
    expect((await stale.arrayBuffer()).byteLength).toBe(UNET.size);

    const fresh = await fetch(resolveUrl(), { headers: { Range: 'bytes=100-199', 'If-Range': `"${UNET.sha256}"` } });
    expect(fresh.status).toBe(206);
    expect((await fresh.arrayBuffer()).byteLength).toBe(100);

    const past = await fetch(resolveUrl(), { headers: { Range: `bytes=${UNET.size}-` } });
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe(`bytes */${UNET.size}`);
  });

  it('answers CORS preflights and 404s unknown repos and paths', async () => {
    const preflight = await fetch(resolveUrl(), { method: 'OPTIONS' });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('If-Range');
    expect((await fetch(`${hub.url}/test-org/nope/resolve/main/unet/model.onnx`)).status).toBe(404);
    // Encoded so fetch does not normalise it away: ../../../package.json is the repo's own package.json.
    expect((await fetch(`${hub.url}/test-org/tiny-sd/resolve/main/..%2F..%2F..%2Fpackage.json`, { redirect: 'manual' })).status).toBe(404);
  });

  it('takes faults and reports byte counts over HTTP, for tests that drive it from a browser', async () => {
    const set = await fetch(`${hub.url}/__faults`, {
      method: 'POST',
      body: JSON.stringify([{ type: 'html', path: 'unet/model.onnx', times: 1 }]),
    });
    expect(await set.json()).toEqual([{ type: 'html', path: 'unet/model.onnx', times: 1 }]);
    const html = await fetch(resolveUrl());
    expect(html.headers.get('content-type')).toContain('text/html');
    expect(await html.text()).toMatch(/^<!DOCTYPE html>/);
    expect((await fetch(resolveUrl())).headers.get('content-type')).toBe('application/octet-stream'); // used up

    const stats = await (await fetch(`${hub.url}/__stats`)).json();
    expect(stats.files['test-org/tiny-sd/unet/model.onnx']).toMatchObject({ requests: 2, rangeStarts: [0] });
    await fetch(`${hub.url}/__stats/reset`, { method: 'POST' });
    expect((await (await fetch(`${hub.url}/__stats`)).json()).files).toEqual({});
    expect(await (await fetch(`${hub.url}/__faults`, { method: 'DELETE' })).json()).toEqual([]);
  });
});
