// Presets (named prompt + negative + settings) and recent prompts: save, apply, delete, export and import as JSON.
import { useEffect, useState } from 'react';
import { parsePresetFile, PresetFileError, presetFileText } from '../../app/presets/presetFile';
import { usePresets } from '../../app/presets/presetsStore';
import { useStudio } from '../../app/store';
import { downloadBlob } from '../downloadBlob';
import { FilePickerButton } from '../FilePickerButton';
import './presets.css';

/** Records the prompts of every finished image, newest first (A1111 keeps such a history too). */
function usePromptHistoryRecorder(): void {
  const record = usePresets((s) => s.recordPrompt);
  useEffect(
    () =>
      useStudio.subscribe((s, prev) => {
        if (s.current && s.current !== prev.current) record(s.current.settings.prompt, s.current.settings.negativePrompt);
      }),
    [record],
  );
}

export function PresetsPanel() {
  usePromptHistoryRecorder();
  const { presets, history, savePreset, deletePreset, importPresets, clearHistory } = usePresets();
  const update = useStudio((s) => s.updateSettings);
  const [name, setName] = useState('');
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);

  const importFile = async (file: File) => {
    try {
      const count = importPresets(parsePresetFile(await file.text()));
      setMessage({ text: `Imported ${count} preset${count === 1 ? '' : 's'} from ${file.name}.`, error: false });
    } catch (error) {
      const why = error instanceof PresetFileError ? error.message : String(error);
      setMessage({ text: `${file.name} was not imported: ${why}`, error: true });
    }
  };

  return (
    <details className="presets" data-testid="presets">
      <summary>Presets and recent prompts</summary>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          if (!name.trim()) return;
          // Read when saved: subscribing to the settings would redraw the panel on every keystroke in the prompt.
          savePreset(name, useStudio.getState().settings);
          setMessage({ text: `Saved "${name.trim()}".`, error: false });
          setName('');
        }}
      >
        <label>
          Preset name
          <input
            data-testid="preset-name"
            value={name}
            maxLength={80}
            onChange={(e) => setName(e.target.value)}
            placeholder="e.g. Product shot"
          />
        </label>
        <button type="submit" data-testid="preset-save" disabled={!name.trim()}>
          Save preset
        </button>
      </form>
      {message && (
        <p className={message.error ? 'install-error' : 'hint'} role={message.error ? 'alert' : 'status'} data-testid="preset-message">
          {message.text}
        </p>
      )}
      <ul className="preset-list" data-testid="preset-list">
        {presets.map((p) => (
          <li key={p.id} data-testid="preset">
            <span className="preset-name" title={`${p.settings.prompt}\nseed ${p.settings.seed}, ${p.settings.steps} steps`}>
              {p.name}
            </span>
            <button type="button" onClick={() => update(p.settings)} aria-label={`Apply the preset ${p.name}`}>
              Apply
            </button>
            <button type="button" onClick={() => deletePreset(p.id)} aria-label={`Delete the preset ${p.name}`}>
              Delete
            </button>
          </li>
        ))}
      </ul>
      <div className="row">
        <button
          type="button"
          data-testid="preset-export"
          disabled={presets.length === 0}
          onClick={() => downloadBlob(new Blob([presetFileText(presets)], { type: 'application/json' }), 'studio-presets.json')}
        >
          Export presets
        </button>
        <FilePickerButton
          accept="application/json,.json"
          onFile={(file) => void importFile(file)}
          inputLabel="Choose a presets file to import"
          testId="preset-import"
        >
          Import presets…
        </FilePickerButton>
      </div>
      {history.length > 0 && (
        <>
          <h3>Recent prompts</h3>
          <ul className="preset-list" data-testid="recent-prompts">
            {history.map((h) => (
              <li key={`${h.usedAt}-${h.prompt}`}>
                <span className="preset-name" title={h.negativePrompt ? `Negative: ${h.negativePrompt}` : undefined}>
                  {h.prompt}
                </span>
                <button
                  type="button"
                  onClick={() => update({ prompt: h.prompt, negativePrompt: h.negativePrompt })}
                  aria-label={`Use the prompt ${h.prompt}`}
                >
                  Use
                </button>
              </li>
            ))}
          </ul>
          <button type="button" onClick={clearHistory}>
            Clear recent prompts
          </button>
        </>
      )}
    </details>
  );
}
