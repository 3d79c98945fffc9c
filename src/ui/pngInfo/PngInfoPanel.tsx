// PNG Info: a dropped, pasted or chosen PNG's generation settings, every field shown, one click to use them.
import { useEffect, useRef } from 'react';
import { useStudio } from '../../app/store';
import type { PngInfo } from '../../core/image';
import { closeOnEscape } from '../dialogKeys';
import type { PngInfoView } from './usePngInfoSource';
import './pngInfo.css';

/** Long ComfyUI graphs are shown cut: the whole text is in the file, and a 500 KB <pre> helps no one. */
const CHUNK_PREVIEW_CHARS = 2000;

const SOURCE_SUMMARY: Record<PngInfo['source'], string> = {
  parameters: 'Generation parameters (A1111 format)',
  comfyui: 'ComfyUI metadata',
  none: 'This PNG carries no generation settings.',
};

function FieldTable({ info }: { info: PngInfo }) {
  const entries = Object.entries(info.fields);
  if (entries.length === 0) return null;
  return (
    <table className="png-info-fields" data-testid="png-info-fields">
      <tbody>
        {entries.map(([key, value]) => (
          <tr key={key} className={key in info.unknownFields ? 'unused' : undefined}>
            <th scope="row">{key}</th>
            <td>{value}</td>
            <td>{key in info.unknownFields ? 'not used here' : ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function OtherChunks({ chunks }: { chunks: Record<string, string> }) {
  const others = Object.entries(chunks).filter(([key]) => key !== 'parameters');
  return (
    <>
      {others.map(([key, text]) => (
        <details key={key} data-testid="png-info-chunk">
          <summary>
            {key} ({text.length.toLocaleString('en')} characters)
          </summary>
          <pre>{text.length > CHUNK_PREVIEW_CHARS ? `${text.slice(0, CHUNK_PREVIEW_CHARS)}…` : text}</pre>
        </details>
      ))}
    </>
  );
}

export function PngInfoPanel({ view, onClose }: { view: PngInfoView; onClose: () => void }) {
  const updateSettings = useStudio((s) => s.updateSettings);
  const updateMaskDiffusion = useStudio((s) => s.updateMaskDiffusion);
  const closeButton = useRef<HTMLButtonElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: each new file shown takes the focus back to the panel
  useEffect(() => closeButton.current?.focus(), [view]);

  const info = 'info' in view ? view.info : null;
  const applicable = info !== null && Object.keys(info.settings).length > 0;
  const apply = () => {
    if (!info) return;
    updateSettings(info.settings);
    // The studio writes MaskDiffusion only when it ran: its own PNG without the field was made with it off.
    if (info.madeByStudio && !info.settings.maskDiffusion) updateMaskDiffusion({ enabled: false });
    onClose();
  };

  return (
    <section
      className="png-info"
      role="dialog"
      aria-modal="false"
      aria-labelledby="png-info-title"
      data-testid="png-info"
      onKeyDown={closeOnEscape(onClose)}
    >
      <header>
        <h2 id="png-info-title">PNG Info: {view.name}</h2>
        <button type="button" ref={closeButton} aria-label="Close PNG Info" data-testid="png-info-close" onClick={onClose}>
          ×
        </button>
      </header>
      {'error' in view && (
        <p className="install-error" role="alert" data-testid="png-info-error">
          {view.error}
        </p>
      )}
      {info && (
        <>
          <p data-testid="png-info-source">
            {SOURCE_SUMMARY[info.source]}
            {info.source === 'none' &&
              'fromClipboard' in view &&
              view.fromClipboard &&
              ' Images copied to the clipboard lose their metadata; drop the file instead.'}
          </p>
          {info.chunks.parameters !== undefined && (
            <pre className="png-info-parameters" data-testid="png-info-parameters">
              {info.chunks.parameters}
            </pre>
          )}
          <FieldTable info={info} />
          {info.notes.length > 0 && (
            <ul className="png-info-notes" data-testid="png-info-notes">
              {info.notes.map((note) => (
                <li key={note}>{note}</li>
              ))}
            </ul>
          )}
          <OtherChunks chunks={info.chunks} />
        </>
      )}
      <footer>
        <button type="button" className="primary" data-testid="png-info-apply" disabled={!applicable} onClick={apply}>
          Use these settings
        </button>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </footer>
    </section>
  );
}
