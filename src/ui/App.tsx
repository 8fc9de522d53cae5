/** The playground's page: header with the backend badge, and what the playground will do. */
import type { BackendInfo } from '../gpu/backend.ts';
import { BackendBadge } from './BackendBadge.tsx';
import { PlanCards } from './PlanCards.tsx';

/** Props of {@link App}. */
export interface AppProps {
  /** Backend detection, started once by the entry point. */
  backend: Promise<BackendInfo>;
}

/** The whole page. */
export function App({ backend }: AppProps) {
  return (
    <div className="page">
      <header className="header">
        <div>
          <h1>RNN Playground</h1>
          <p className="tagline">Train recurrent networks in your browser on WebGPU, and watch them learn.</p>
        </div>
        <BackendBadge backend={backend} />
      </header>
      <main>
        <p className="intro">
          The playground will let you pick a vanilla RNN, an LSTM or a GRU, give it a sequence task, and train it
          right here: on your GPU through WebGPU when the browser offers it, on the CPU otherwise. Each GPU kernel
          is checked against a plain TypeScript reference, and the reference against PyTorch.
        </p>
        <PlanCards />
      </main>
      <footer className="footer">
        Early days: this page is the foundation (backend detection, the reference engine, tests). Training comes
        next.
      </footer>
    </div>
  );
}
