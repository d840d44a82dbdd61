/**
 * `vgpio guest --bench`: request round trips as the guest's kernel measures
 * them (ftrace's function_graph on the driver's own virtio_gpio_get and
 * virtio_gpio_set: from the call to its return, the wait for the device
 * included), and the back end's own share of each (kick seen -> the device
 * done and the call eventfd written), as percentiles.
 */
export interface Percentiles {
  n: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export function percentiles(values: number[]): Percentiles | null {
  if (values.length === 0) return null;
  const v = [...values].sort((a, b) => a - b);
  const at = (p: number): number => v[Math.min(v.length - 1, Math.max(0, Math.ceil((p / 100) * v.length) - 1))] as number;
  return { n: v.length, mean: v.reduce((s, x) => s + x, 0) / v.length, p50: at(50), p90: at(90), p99: at(99), max: v[v.length - 1] as number };
}

/** The guest side: `gets` gpioget runs on line 2, then gpioset toggling line 0 every 2 ms for `toggleS` seconds. */
export function benchScript(gets: number, toggleS: number): string {
  return [
    'T=/sys/kernel/tracing',
    'mount -t tracefs nodev $T',
    'echo 4096 > $T/buffer_size_kb',
    'echo virtio_gpio_get virtio_gpio_set > $T/set_graph_function',
    'echo 1 > $T/max_graph_depth',
    'echo function_graph > $T/current_tracer',
    `i=0; while [ $i -lt ${gets} ]; do gpioget -c gpiochip0 2 >/dev/null; i=$((i+1)); done`,
    `gpioset -c gpiochip0 -t 2ms 0=1 & p=$!; sleep ${toggleS}; kill $p; wait $p 2>/dev/null`,
    'echo 0 > $T/tracing_on',
    'grep -E "virtio_gpio_(get|set)" $T/trace',
    'true',
  ].join('\n');
}

/** Durations in microseconds per driver function, from function_graph lines such as ` 0) ! 381.331 us  |  virtio_gpio_get [gpio_virtio]();`. */
export function parseFtrace(text: string): { get: number[]; set: number[] } {
  const out = { get: [] as number[], set: [] as number[] };
  for (const line of text.split('\n')) {
    const m = /([\d.]+) us\s*\|\s*virtio_gpio_(get|set)\b/.exec(line);
    if (m) out[m[2] as 'get' | 'set'].push(Number(m[1]));
  }
  return out;
}

export function formatPercentiles(label: string, p: Percentiles | null): string {
  if (!p) return `${label}: no samples\n`;
  const f = (x: number): string => (x >= 1000 ? `${(x / 1000).toFixed(2)} ms` : `${x.toFixed(1)} us`);
  return `${label}: n=${p.n} mean ${f(p.mean)}  p50 ${f(p.p50)}  p90 ${f(p.p90)}  p99 ${f(p.p99)}  max ${f(p.max)}\n`;
}
