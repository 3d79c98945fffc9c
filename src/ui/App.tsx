// The studio page: header with backend and model, prompt form, result with progress, gallery.
import { useEffect } from 'react';
import { useStudio } from '../app/store';
import { useUi } from '../app/uiState';
import { BackendBadge } from './BackendBadge';
import { CheckerPanel } from './checker/CheckerPanel';
import { ErrorBanner } from './ErrorBanner';
import { ErrorBoundary } from './ErrorBoundary';
import { Gallery } from './gallery/Gallery';
import { ModelNotice } from './ModelNotice';
import { ModelLibrary } from './library/ModelLibrary';
import { PngInfoButton } from './pngInfo/PngInfoButton';
import { PngInfoPanel } from './pngInfo/PngInfoPanel';
import { usePngInfoSource } from './pngInfo/usePngInfoSource';
import { PresetsPanel } from './presets/PresetsPanel';
import { SeriesPanel } from './series/SeriesPanel';
import { SeriesResults } from './series/SeriesResults';
import { PromptForm } from './PromptForm';
import { ShortcutHelp } from './ShortcutHelp';
import { ResultView } from './ResultView';
import { UpdateBanner } from './UpdateBanner';
import { useKeyboardShortcuts } from './useKeyboardShortcuts';

export function App() {
  const loadGallery = useStudio((s) => s.loadGallery);
  useKeyboardShortcuts();
  const pngInfo = usePngInfoSource();
  useEffect(() => {
    void loadGallery(); // the engine was started by main.tsx, before the first render
  }, [loadGallery]);

  return (
    <div className="studio">
      <header className="studio-header">
        <h1>Diffusion Studio</h1>
        <BackendBadge />
        <button
          type="button"
          data-testid="open-library"
          onClick={() => useStudio.getState().setLibraryOpen(!useStudio.getState().libraryOpen)}
        >
          Models
        </button>
        <PngInfoButton onFile={(file) => void pngInfo.show(file)} />
        <button
          type="button"
          data-testid="open-shortcuts"
          aria-label="Keyboard shortcuts"
          title="Keyboard shortcuts (?)"
          onClick={() => useUi.getState().setShortcutHelpOpen(true)}
        >
          ?
        </button>
      </header>
      <ShortcutHelp />
      {pngInfo.view && (
        <ErrorBoundary area="PNG Info">
          <PngInfoPanel view={pngInfo.view} onClose={pngInfo.close} />
        </ErrorBoundary>
      )}
      {/* Each part in its own boundary: a part that throws (say, on a bad manifest) never blanks the others. */}
      <ErrorBoundary area="The Models panel">
        <ModelLibrary />
      </ErrorBoundary>
      <UpdateBanner />
      <ModelNotice />
      <ErrorBanner />
      <main className="studio-main">
        <div className="studio-controls">
          <ErrorBoundary area="The prompt form">
            <PromptForm />
          </ErrorBoundary>
          <ErrorBoundary area="Batches and grids">
            <SeriesPanel />
          </ErrorBoundary>
          <ErrorBoundary area="Presets">
            <PresetsPanel />
          </ErrorBoundary>
        </div>
        <ErrorBoundary area="The result">
          <ResultView />
        </ErrorBoundary>
      </main>
      <ErrorBoundary area="The batch results">
        <SeriesResults />
      </ErrorBoundary>
      <ErrorBoundary area="The checker">
        <CheckerPanel />
      </ErrorBoundary>
      <ErrorBoundary area="The gallery">
        <Gallery />
      </ErrorBoundary>
    </div>
  );
}
