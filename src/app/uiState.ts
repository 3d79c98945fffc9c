// UI-only state shared between components (not persisted): the box being drawn, heatmap view, prompt notices.
import { create } from 'zustand';

interface UiState {
  drawingObject: number | null;
  setDrawingObject: (index: number | null) => void;
  /** Heatmap view: which word (index into the run's words), which step (null: whole run), overlay opacity. */
  heatmapWord: number | null;
  heatmapStep: number | null;
  heatmapOpacity: number;
  setHeatmap: (patch: Partial<Pick<UiState, 'heatmapWord' | 'heatmapStep' | 'heatmapOpacity'>>) => void;
  /** Why a prompt's text was cut to the length limit (a paste, or saved settings), shown under the prompt. */
  promptCutNotice: string | null;
  setPromptCutNotice: (notice: string | null) => void;
  /** The keyboard-shortcut list (opened with ?). */
  shortcutHelpOpen: boolean;
  setShortcutHelpOpen: (open: boolean) => void;
}

export const useUi = create<UiState>((set) => ({
  drawingObject: null,
  setDrawingObject: (drawingObject) => set({ drawingObject }),
  heatmapWord: null,
  heatmapStep: null,
  heatmapOpacity: 0.6,
  setHeatmap: (patch) => set(patch),
  promptCutNotice: null,
  setPromptCutNotice: (promptCutNotice) => set({ promptCutNotice }),
  shortcutHelpOpen: false,
  setShortcutHelpOpen: (shortcutHelpOpen) => set({ shortcutHelpOpen }),
}));

export const OBJECT_COLOURS = ['#ff5252', '#40c4ff', '#69f0ae', '#ffd740', '#e040fb', '#ff9100'];
export const objectColour = (index: number) => OBJECT_COLOURS[index % OBJECT_COLOURS.length];
