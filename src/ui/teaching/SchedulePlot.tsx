// The sampler's noise levels over the steps (log sigma), with the current step marked; redraws on sampler/steps change.
import { useMemo } from 'react';
import { makeSamplerPlan } from '../../core/schedulers';
import type { SamplerName } from '../../shared/settings';

const W = 320;
const H = 140;
const PAD = 28;

export function SchedulePlot({ sampler, steps, current }: { sampler: SamplerName; steps: number; current: number | null }) {
  const plan = useMemo(() => {
    try {
      return makeSamplerPlan(sampler, steps);
    } catch {
      return null;
    }
  }, [sampler, steps]);
  if (!plan) return <p className="warning">No schedule for {steps} steps with this sampler.</p>;
  const sigmas = plan.steps.map((s) => s.sigma);
  const logs = sigmas.map((s) => Math.log10(s));
  const lo = Math.min(...logs);
  const hi = Math.max(...logs);
  const x = (i: number) => PAD + (plan.steps.length === 1 ? 0 : (i / (plan.steps.length - 1)) * (W - 2 * PAD));
  const y = (l: number) => H - PAD - (hi === lo ? 0.5 : (l - lo) / (hi - lo)) * (H - 2 * PAD);
  const path = logs.map((l, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(l).toFixed(1)}`).join(' ');
  return (
    <svg
      className="schedule-plot"
      width={W}
      height={H}
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label={`Noise level per step for ${sampler}, ${steps} steps`}
      data-testid="schedule-plot"
      data-points={plan.steps.length}
      data-current={current ?? ''}
    >
      <text x={4} y={12} className="axis-label">
        σ (log)
      </text>
      <text x={W - PAD} y={H - 6} className="axis-label" textAnchor="end">
        step
      </text>
      <text x={4} y={y(hi) + 4} className="axis-label">
        {sigmas[0].toFixed(2)}
      </text>
      <text x={4} y={y(lo) + 4} className="axis-label">
        {sigmas[sigmas.length - 1].toFixed(3)}
      </text>
      <path d={path} className="schedule-line" />
      {logs.map((l, i) => (
        <circle
          key={i}
          cx={x(i)}
          cy={y(l)}
          r={i === current ? 6 : 3}
          className={i === current ? 'schedule-current' : 'schedule-point'}
          data-testid={i === current ? 'schedule-current' : undefined}
        />
      ))}
    </svg>
  );
}
