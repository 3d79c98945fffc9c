// Which checker answers: the model list, install into the model store, and where the loaded one runs.
import { useStudio } from '../../app/store';
import { CHECKER_MODELS, checkerModel, type CheckerModelId } from '../../checker/checkerModels';
import { formatBytes } from '../../storage/storageQuota';
import { ProgressBar } from '../ProgressBar';

export function CheckerModelPicker() {
  const modelId = useStudio((s) => s.checkerModelId);
  const choose = useStudio((s) => s.chooseCheckerModel);
  const install = useStudio((s) => s.installCheckerModel);
  const installed = useStudio((s) => s.checkerInstalled);
  const phase = useStudio((s) => s.checkerPhase);
  const info = useStudio((s) => s.checkerInfo);
  const progress = useStudio((s) => s.checkerProgress);
  const model = checkerModel(modelId);
  const busy = phase !== 'idle';

  return (
    <section className="checker-model">
      <label className="inline">
        Checker
        <select data-testid="checker-model" value={modelId} disabled={busy} onChange={(e) => void choose(e.target.value as CheckerModelId)}>
          {CHECKER_MODELS.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </select>
      </label>
      {model && <p className="hint">{model.description}</p>}
      {model?.kind === 'vlm' && !model.runnable && <p className="warning">Not runnable in this build: {model.notRunnableReason}</p>}
      {model?.kind === 'vlm' && model.runnable && (
        <div className="row" data-testid="checker-install-state" data-installed={installed === null ? '' : String(installed)}>
          {installed === false && (
            <button type="button" data-testid="checker-install" disabled={busy} onClick={() => void install()}>
              {model.source === 'bundled' ? 'Install from the app' : 'Install (download once)'}
            </button>
          )}
          {installed === true && <span>Installed in the model store; works offline.</span>}
          {installed === null && <span>Checking the model store…</span>}
        </div>
      )}
      {progress && (
        <div data-testid="checker-progress" data-done={progress.done} data-total={progress.total}>
          {progress.label} — {progress.done} / {progress.total}
          {progress.totalBytes ? ` · ${formatBytes(progress.loadedBytes ?? 0)} of ${formatBytes(progress.totalBytes)}` : ''}
          <ProgressBar value={progress.total ? progress.done / progress.total : 0} label="Checker progress" />
        </div>
      )}
      {info && info.modelId === modelId && (
        <p
          className="hint"
          data-testid="checker-info"
          data-device={info.device}
          data-load-ms={info.loadMs}
          data-yes-id={info.answerTokens?.yes ?? ''}
          data-no-id={info.answerTokens?.no ?? ''}
        >
          {info.kind === 'vlm'
            ? `${info.label} on ${info.device.toUpperCase()} (${info.variant}); P(Yes) from the logits of tokens ${info.answerTokens?.yes} (Yes) and ${info.answerTokens?.no} (No).${info.randomWeights ? ' Random weights: its answers mean nothing.' : ''}`
            : `${info.label}: exact measurements, no model.`}
        </p>
      )}
    </section>
  );
}
