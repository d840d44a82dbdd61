import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Cross-origin isolation headers keep SharedArrayBuffer available should the
// worker protocol ever need it; they cost nothing while it does not.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react()],
  server: { headers: isolation },
  preview: { headers: isolation },
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
});
