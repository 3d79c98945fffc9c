// The one engine worker client of the page, started on first use.
import { EngineClient } from './engineClient';

let engine: EngineClient | null = null;

export function getEngine(): EngineClient {
  engine ??= EngineClient.start();
  return engine;
}
