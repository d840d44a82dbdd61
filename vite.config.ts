import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

// Cross-origin isolation headers keep SharedArrayBuffer available should the
// worker protocol ever need it; they cost nothing while it does not.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

const SW_SOURCE = 'src/ui/service-worker.js';

/**
 * Offline use: writes sw.js (the hand-written service worker in SW_SOURCE) with the list of every
 * built file (the bundle and public/, source maps left out) and a version that changes with that
 * list, so a new build replaces the old cache. Paths are relative: the site works from any sub-path.
 */
function precache(): Plugin {
  return {
    name: 'vgpio-precache',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const built = Object.keys(bundle);
      const pub = readdirSync('public');
      const files = [...new Set(['index.html', ...built, ...pub])].filter((f) => !f.endsWith('.map') && f !== 'sw.js').sort();
      const list = ['./', ...files.map((f) => `./${f}`)];
      const hash = createHash('sha256').update(list.join('\n'));
      const html = bundle['index.html'];
      if (html && html.type === 'asset') hash.update(html.source);
      const version = hash.digest('hex').slice(0, 16);
      const source = readFileSync(SW_SOURCE, 'utf8')
        .replace('self.__PRECACHE_VERSION__', JSON.stringify(version))
        .replace('self.__PRECACHE_FILES__', JSON.stringify(list));
      this.emitFile({ type: 'asset', fileName: 'sw.js', source });
    },
  };
}

export default defineConfig({
  // Relative URLs: the build runs from a domain root or any sub-path (e.g. /vgpio-lab/) unchanged.
  base: './',
  plugins: [react(), precache()],
  server: { headers: isolation },
  preview: { headers: isolation },
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
});
