// Two tabs' studio stores over one model store, as two tabs share the origin's storage: what one tab's library
// shows after the other deletes a model it is installing.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { HubServer } from '../../scripts/hub-server/server.mjs';
import { servePublic, type PublicServer } from '../core/pipeline/publicServer.test-support';
import { UNET, startHubServer, tinyManifest } from '../storage/download/hubFixture.test-support';
import { MemoryModelStore } from '../storage/memoryModelStore';
import { inProcessServices } from './inProcessServices';
import { createStudioStore } from './studioStore';
import { until } from './storeWaits.test-support';

let hub: HubServer;
let server: PublicServer;
beforeAll(async () => {
  [hub, server] = await Promise.all([startHubServer(), servePublic()]);
});
afterAll(() => Promise.all([hub.close(), server.close()]));

it("a delete in another tab stops this tab's install, and the paused install leaves this tab's list", async () => {
  const shared = new MemoryModelStore();
  const [a, b] = [0, 1].map(() => {
    const tab = createStudioStore(inProcessServices({ urls: server.engineUrls, store: shared }));
    tab.getState().setHubHosts({ hubBase: hub.url });
    return tab;
  });
  const id = tinyManifest().id;
  hub.setFaults([{ type: 'slow', path: UNET, bytesPerSecond: 1_000_000, times: 1 }]);
  const installing = a.getState().downloadModel(tinyManifest(), ['fp32']);
  await until(a, (s) => s.installed.some((m) => m.id === id) || (s.installs[id]?.progress?.loaded ?? 0) > 0);

  await b.getState().deleteModel(id);
  await installing;
  expect(await shared.listModels()).toEqual([]);
  // Tab A heard of the delete (or listed the store after it): no "Paused" install of a model that is gone.
  await until(a, (s) => !s.installs[id] && !s.installed.some((m) => m.id === id));
  expect(a.getState().installs).toEqual({});
});
