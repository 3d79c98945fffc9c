// StepGate: pausing holds the run before a step; step lets exactly one through; resume and abort release it.
import { describe, expect, it } from 'vitest';
import { StepGate } from './stepGate';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('StepGate', () => {
  it('holds a paused run, lets single steps through, and resumes', async () => {
    const pausedAt: number[] = [];
    const gate = new StepGate(true, (i) => pausedAt.push(i));
    const passed: number[] = [];
    const run = (async () => {
      for (let i = 0; i < 5; i++) {
        await gate.wait(i);
        passed.push(i);
      }
    })();
    await tick();
    expect(passed).toEqual([]);
    expect(pausedAt).toEqual([0]);
    gate.step();
    await tick();
    gate.step();
    await tick();
    expect(passed).toEqual([0, 1]);
    expect(pausedAt).toEqual([0, 1, 2]);
    gate.resume();
    await run;
    expect(passed).toEqual([0, 1, 2, 3, 4]);
  });

  it('an abort releases a paused run', async () => {
    const controller = new AbortController();
    const gate = new StepGate(true, () => undefined);
    const waiting = gate.wait(0, controller.signal);
    controller.abort();
    gate.release();
    await expect(waiting).resolves.toBeUndefined();
  });
});
