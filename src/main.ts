// Placeholder entry until the browser app lands: says what the project is and
// how to use the command line, which already works.
const root = document.getElementById('root');
if (root) {
  const h1 = document.createElement('h1');
  h1.textContent = 'vgpio-lab';
  const p = document.createElement('p');
  p.textContent = 'The browser app is not built yet. The simulator runs headless today: `npx vgpio list`, `npx vgpio run <scenario>`.';
  root.append(h1, p);
}
