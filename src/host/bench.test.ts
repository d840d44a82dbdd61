import { describe, expect, it } from 'vitest';
import { parseFtrace, percentiles } from './bench';

describe('guest bench parsing', () => {
  it('reads function_graph durations of the driver calls and ignores everything else', () => {
    const text = [
      '# tracer: function_graph',
      ' 0) # 4357.466 us |  virtio_gpio_get [gpio_virtio]();',
      ' 0) ! 381.331 us  |  virtio_gpio_get [gpio_virtio]();',
      ' 0)   99.5 us    |  virtio_gpio_set [gpio_virtio]();',
      ' 0)   12.0 us    |  some_other_function();',
    ].join('\n');
    expect(parseFtrace(text)).toEqual({ get: [4357.466, 381.331], set: [99.5] });
  });

  it('gives nearest-rank percentiles', () => {
    const p = percentiles(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(p).toMatchObject({ n: 100, p50: 50, p90: 90, p99: 99, max: 100, mean: 50.5 });
    expect(percentiles([])).toBeNull();
  });
});
