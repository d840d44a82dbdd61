// The floors of src/sim, lowest first: a file may import from its own floor or
// below, never above. Checked by resolving each relative import, so a stray
// import up the house fails lint wherever it is written.
import { dirname, relative, resolve, sep } from 'node:path';

export const SIM_FLOORS = [
  ['vocabulary.ts', 'clock', 'trace', 'memory.ts', 'actions.ts', 'typed-block.ts'],
  ['sim-context.ts'],
  ['virtio'],
  ['gpio'],
  ['guest'],
  ['check'],
  ['machine.ts'],
  ['explain'],
  ['observe.ts'],
  ['export'],
  ['scenario'],
  ['explore'],
  ['testing', 'index.ts'],
];

const simRoot = resolve('src/sim');

/** The floor of a path inside src/sim, or -1 outside it (or for a room no floor lists). */
function floorOf(path) {
  const rel = relative(simRoot, path);
  if (rel.startsWith('..')) return -1;
  // A folder, or a file imported with or without its extension.
  const top = rel.split(sep)[0];
  for (let i = 0; i < SIM_FLOORS.length; i++) {
    if (SIM_FLOORS[i].includes(top) || SIM_FLOORS[i].includes(`${top}.ts`)) return i;
  }
  return -1;
}

const roomName = (i) => SIM_FLOORS[i].map((r) => r.replace(/\.ts$/, '')).join(', ');

export const floorsPlugin = {
  rules: {
    floors: {
      meta: { type: 'problem', docs: { description: 'imports inside src/sim only go down the floors' }, schema: [] },
      create(context) {
        const file = context.filename;
        const own = floorOf(file);
        if (own < 0) {
          // Every room of the core stands on a floor, so no new folder escapes the rule.
          if (relative(simRoot, file).startsWith('..')) return {};
          return { Program: (node) => context.report({ node, message: 'this room of src/sim is on no floor: add it to SIM_FLOORS in eslint-floors.js' }) };
        }
        return {
          ImportDeclaration(node) {
            const spec = node.source.value;
            if (typeof spec !== 'string' || !spec.startsWith('.')) return;
            const target = floorOf(resolve(dirname(file), spec));
            if (target > own) {
              context.report({ node, message: `${roomName(own)} (floor ${own}) may not import from ${roomName(target)} (floor ${target}): imports go down the floors` });
            }
          },
        };
      },
    },
  },
};
