import { useEffect } from 'react';
import { client } from '../sim-client';
import { appActions, selectLoadError, selectToast, selectWorkerDead, useApp } from '../store';

/** The load-error and worker-death banners, and the toast. Text only: nothing here renders HTML. */
export function Banners(): React.JSX.Element {
  const loadError = useApp(selectLoadError);
  const dead = useApp(selectWorkerDead);
  return (
    <div>
      {dead && (
        <div className="banner error" role="alert">
          <span>The simulation worker stopped. Your scenario and the steps you made are kept.</span>
          <button className="btn primary" onClick={() => client.restartWorker()}>
            Restart the simulation
          </button>
        </div>
      )}
      {loadError && (
        <div className="banner error" role="alert" data-testid="load-error">
          <span>{loadError}</span>
          <button className="btn" onClick={() => appActions().showLoadError(null)} aria-label="Dismiss">
            ✕
          </button>
        </div>
      )}
    </div>
  );
}

export function Toast(): React.JSX.Element | null {
  const toast = useApp(selectToast);
  useEffect(() => {
    if (!toast) return;
    const id = window.setTimeout(() => appActions().showToast(null), 6000);
    return () => window.clearTimeout(id);
  }, [toast]);
  return toast ? (
    <div className="toast" role="status" data-testid="toast">
      {toast}
    </div>
  ) : null;
}
