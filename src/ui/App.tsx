/**
 * The playground's page: the top bar, the settings column (data, model, training), the
 * network in the middle with the cell's equations, and the loss chart with the task's
 * output view on the right. At 1280x720 it fits one screen; narrower, it reflows.
 */
import type { Session } from '../store/session.ts';
import { ErrorBanner } from './ErrorBanner.tsx';
import { FaultBanner, NoWebGpuBanner } from './Banner.tsx';
import { ChartsPanel } from './panels/ChartsPanel.tsx';
import { DataPanel } from './panels/DataPanel.tsx';
import { CellEquations } from './panels/CellEquations.tsx';
import { ModelPanel } from './panels/ModelPanel.tsx';
import { NetworkPanel } from './panels/NetworkPanel.tsx';
import { NetworkViewsPanel } from './network/NetworkViewsPanel.tsx';
import { TrainingPanel } from './panels/TrainingPanel.tsx';
import { SessionContext } from './session.tsx';
import { TopBar } from './TopBar.tsx';
import { LinkNotices } from './share/LinkNotices.tsx';
import { PersistNotice } from './share/SessionControls.tsx';
import { useEmbedClass } from './share/useEmbedClass.ts';
import { useShortcuts } from './useShortcuts.ts';
import { OutputPanel } from './views/OutputPanel.tsx';

/** Props of {@link App}. */
export interface AppProps {
  /** The page's session (store and training worker), started by the entry point. */
  session: Session;
}

/** The whole page. */
export function App({ session }: AppProps) {
  useShortcuts(session);
  const embedClass = useEmbedClass();
  return (
    <SessionContext.Provider value={session}>
      <div className={`app ${embedClass}`}>
        <TopBar />
        <ErrorBanner />
        <FaultBanner />
        <NoWebGpuBanner />
        <LinkNotices />
        <PersistNotice />
        <main className="layout">
          <aside className="column settings" aria-label="Settings">
            <DataPanel />
            <ModelPanel />
            <TrainingPanel />
          </aside>
          <div className="column middle">
            <NetworkPanel />
            <NetworkViewsPanel />
            <CellEquations />
          </div>
          <div className="column results">
            <ChartsPanel />
            <OutputPanel />
          </div>
        </main>
      </div>
    </SessionContext.Provider>
  );
}
