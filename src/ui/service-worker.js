// vgpio-lab's service worker: keeps the built app on the device once it has been loaded, so a
// classroom can go on without a network. Hand-written; the build (vite.config.ts, the precache
// plugin) puts the list of built files and a version in place of the two placeholders below and
// writes it out as sw.js next to index.html. Paths are relative to the worker's own URL, so the
// app works from any sub-path.
//
// Strategy: at install, fetch and keep every built file; the page itself (navigations) comes from
// the network when there is one (a newer build is picked up) and from the cache when not; the other
// files have content-hashed names, so the cached copy is always right. Responses are kept as the
// server sent them, headers included: COOP/COEP (cross-origin isolation) survive offline.

/* global self, caches, URL, Response */
const VERSION = self.__PRECACHE_VERSION__;
const FILES = self.__PRECACHE_FILES__;
const CACHE = `vgpio-lab-${VERSION}`;
const PREFIX = 'vgpio-lab-';

const scope = () => self.registration.scope;
const urlOf = (file) => new URL(file, scope()).href;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(FILES.map(urlOf)))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith(PREFIX) && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET' || !req.url.startsWith(scope())) return;
  if (req.mode === 'navigate') {
    // The page: fresh when online; offline, the kept copy (whatever the hash holds, e.g. a share link).
    event.respondWith(
      fetch(req).catch(() =>
        caches
          .open(CACHE)
          .then((cache) => cache.match(urlOf('./index.html')))
          .then((hit) => hit ?? new Response('vgpio-lab is offline and this page was never loaded.', { status: 503, headers: { 'Content-Type': 'text/plain' } })),
      ),
    );
    return;
  }
  event.respondWith(caches.open(CACHE).then((cache) => cache.match(req, { ignoreSearch: true }).then((hit) => hit ?? fetch(req))));
});
