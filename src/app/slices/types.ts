// The studio store's shape, split by concern; each slice file implements one part.
import type {
  AttentionReport,
  BackendInfo,
  EngineStats,
  GenerationPhase,
  GenerationTimings,
  ImagePixels,
  MaskReport,
  ModelInfo,
  StepView,
} from '../../shared/protocol';
import type { GenerationHandle } from '../../core/engine';
import type { StudioServices } from '../studioServices';
import type { CheckerSlice } from './checkerSlice';
import type { SeriesSlice } from './seriesSlice';
import type { BackendPreference, EmphasisSettings, GenerationSettings, MaskDiffusionSettings, MaskState } from '../../shared/settings';
import type { GalleryEntry } from '../../storage/gallery';
import type { InstallPhase, InstalledModelView } from '../../shared/libraryProtocol';
import type { HubHosts } from '../../shared/hubHosts';
import type { SuggestedFields } from '../modelDefaults';
import type { ImportedFile } from '../../storage/importModelFiles';
import type { LibraryManifest } from '../../storage/libraryManifest';
import type { StorageUsage } from '../../storage/storageQuota';
import type { DownloadProgress } from '../../storage/download/downloadProgress';

export interface CurrentImage {
  url: string;
  png: Blob;
  settings: GenerationSettings;
  width: number;
  height: number;
  stats: EngineStats;
  timings: GenerationTimings;
  /**
   * Click to the image's pixels on the UI thread (pipeline and messaging included): when the person sees it. Its PNG
   * is encoded after (timings.pngMs).
   */
  wallMs: number;
  truncatedWords: string[];
  masks: MaskReport | null;
  /** The MaskDiffusion regions in force after each denoising step (index = step - 1). */
  maskTimeline: (MaskState | null)[];
  promptWarnings: string[];
  /** Per-step cross-attention for heatmaps (when they were on). */
  attention: AttentionReport | null;
}

/** Two images of the same seed side by side: MaskDiffusion off/on, or before/after an emphasis change. */
export interface Comparison {
  a: CurrentImage;
  b: CurrentImage;
  labelA: string;
  labelB: string;
}

export interface SettingsSlice {
  settings: GenerationSettings;
  backendPreference: BackendPreference;
  /**
   * Persisted: the values the studio last put in the suggested fields by itself (its defaults, then a model's). While
   * the settings still hold them the person has not changed them, and the next model loaded may offer its own.
   */
  autoFilled: SuggestedFields;
  /** Called when a model is ready: fills in its sampler, steps, guidance and first example prompt, if untouched. */
  offerModelDefaults: (model: ModelInfo) => void;
  /** The loaded model's sampler, steps and guidance, over the person's (the prompt stays theirs). */
  applyModelDefaults: () => void;
  updateSettings: (patch: Partial<GenerationSettings>) => void;
  updateMaskDiffusion: (patch: Partial<MaskDiffusionSettings>) => void;
  updateEmphasis: (patch: Partial<EmphasisSettings>) => void;
  /** Collect per-step attention maps for heatmaps (one GPU read per step). */
  heatmapsEnabled: boolean;
  setHeatmapsEnabled: (on: boolean) => void;
  randomiseSeed: () => void;
}

export interface EngineSlice {
  engineStatus: 'starting' | 'loading' | 'ready' | 'error';
  loadProgress: { loaded: number; total: number; label: string } | null;
  backend: BackendInfo | null;
  model: ModelInfo | null;
  setBackendPreference: (p: BackendPreference) => void;
  startEngine: () => Promise<void>;
}

export interface ArrivedPixels {
  pixels: ImagePixels;
  /** The object URL of the image they are, once its PNG has come (null until then). */
  url: string | null;
}

export interface GenerationSlice {
  running: boolean;
  progress: { phase: GenerationPhase; step: number; totalSteps: number } | null;
  current: CurrentImage | null;
  /** The newest image's pixels, shown over the view from the moment the worker has them until its PNG is drawn. */
  arrivedPixels: ArrivedPixels | null;
  /** The result view's img has drawn the image at `url`: pixels shown for it are let go. */
  pngDrawn: (url: string) => void;
  comparison: Comparison | null;
  error: string | null;
  generate: () => Promise<void>;
  compareMaskDiffusion: () => Promise<void>;
  /** Re-runs the current settings on the current image's seed and shows both (e.g. after changing a weight). */
  rerunAndCompare: () => Promise<void>;
  closeComparison: () => void;
  cancel: () => void;
  dismissError: () => void;
}

export interface TeachingSlice {
  /** Step-by-step mode: runs start paused and keep a snapshot of every step. */
  teachingMode: boolean;
  /** The step the paused run waits before (0-based), or null while it runs. */
  pausedBeforeStep: number | null;
  timeline: StepView[];
  selectedStep: number | null;
  /** The selected step's x0 decoded with the full VAE. */
  decoded: { index: number; url: string } | null;
  /** Generation id of the run the timeline belongs to (for VAE decodes). */
  timelineRunId: number | null;
  setTeachingMode: (on: boolean) => void;
  pauseRun: () => void;
  resumeRun: () => void;
  stepRun: () => void;
  selectStep: (index: number) => void;
  decodeSelectedStep: () => Promise<void>;
}

export interface GallerySlice {
  gallery: GalleryEntry[];
  loadGallery: () => Promise<void>;
  deleteGalleryEntry: (id: string) => Promise<void>;
  deleteGalleryEntries: (ids: readonly string[]) => Promise<void>;
}

/** An install in progress, paused or failed (cleared when it completes). */
export interface InstallState {
  status: 'running' | 'paused' | 'failed';
  phase: InstallPhase;
  progress: DownloadProgress | null;
  /** Stage, cause and remedy, naming the file. */
  error: string | null;
}

export interface LibrarySlice {
  libraryOpen: boolean;
  /** Persisted: the hub and an optional mirror with the same layout; downloads come from nowhere else. */
  hubHosts: HubHosts;
  /** Persisted: the installed model the engine loads, or null for the built-in one. */
  activeModelId: string | null;
  /** Persisted: manifests added from a URL on the hub or mirror. */
  customManifests: LibraryManifest[];
  installed: InstalledModelView[];
  installs: Record<string, InstallState>;
  storage: StorageUsage | null;
  libraryError: string | null;
  setLibraryOpen: (open: boolean) => void;
  setHubHosts: (patch: Partial<HubHosts>) => void;
  refreshLibrary: () => Promise<void>;
  downloadModel: (manifest: LibraryManifest, variantIds: string[]) => Promise<void>;
  resumeModel: (modelId: string) => Promise<void>;
  pauseModel: (modelId: string) => Promise<void>;
  importModel: (manifest: LibraryManifest, files: ImportedFile[]) => Promise<void>;
  deleteModel: (modelId: string) => Promise<void>;
  addManifestFromUrl: (url: string) => Promise<void>;
  /** Forgets a manifest added from a URL (the installed model, if any, stays until deleted). */
  removeCustomManifest: (id: string) => void;
  useModel: (modelId: string | null) => Promise<void>;
  dismissLibraryError: () => void;
}

export type StudioState = SettingsSlice &
  EngineSlice &
  GenerationSlice &
  TeachingSlice &
  GallerySlice &
  LibrarySlice &
  CheckerSlice &
  SeriesSlice;
export type SetState = (partial: Partial<StudioState> | ((s: StudioState) => Partial<StudioState>)) => void;
export type GetState = () => StudioState;

/** What each slice gets besides set and get: the services, and the jobs running in this store (one store, one set). */
export interface SliceContext {
  services: StudioServices;
  jobs: {
    /** The running generation's controls (pause/step/resume for step-by-step mode). */
    generation: GenerationHandle | null;
    /** Stops the checker's feedback loop. */
    checkerLoop: AbortController | null;
    /** The checker panel's running worker job, so Cancel reaches it. */
    checker: { cancel(): void } | null;
  };
}
