/** Entry point: one store and one training worker for the page, the first run started, then the app rendered. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Session } from './store/session.ts';
import { startSaved } from './store/persist.ts';
import { syncLink } from './store/share.ts';
import { useStore } from './store/store.ts';
import { TrainerClient } from './train/TrainerClient.ts';
import { App } from './ui/App.tsx';
import './ui/theme.css';
import './ui/app.css';

// The session is made here, outside React, so StrictMode's double render cannot start two workers.
const session = new Session(useStore, new TrainerClient());
// The link in the address, when there is one, chooses the first run; else the saved session does.
const linked = location.hash.length > 1;
syncLink(useStore, session);
void startSaved(useStore, session, session, linked);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App session={session} />
  </StrictMode>,
);
