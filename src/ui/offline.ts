/**
 * Registers the service worker that keeps the built app for offline use
 * (sw.js, written by the build: see vite.config.ts and service-worker.js).
 * Only in a production build (the dev server has no sw.js), and relative to
 * the page, so it works under a sub-path. A refusal (private mode, file://)
 * only means no offline copy.
 */
export function registerOffline(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('./sw.js').catch(() => {
      // No offline copy; the app works the same online.
    });
  });
}
