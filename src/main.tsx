/** Entry point: starts backend detection once, then renders the app. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { detectBackend } from './gpu/backend.ts';
import { App } from './ui/App.tsx';
import './ui/app.css';

// Detection starts here, outside React, so StrictMode's double render cannot request two devices.
const backend = detectBackend();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App backend={backend} />
  </StrictMode>,
);
