// App entry: starts the engine and mounts the React studio.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { registerServiceWorker } from './app/appUpdates';
import { useStudio } from './app/store';
import { App } from './ui/App';
import './ui/styles.css';

// The engine starts before React's first render, so its worker script, ORT's WebAssembly and the model load while
// the page renders (the settings it needs are read from localStorage when the store is made).
void useStudio.getState().startEngine();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

// The build's service worker (vite.config.ts) serves the studio offline; the dev server has none.
if (import.meta.env.PROD) registerServiceWorker(`${import.meta.env.BASE_URL}sw.js`, import.meta.env.BASE_URL);
