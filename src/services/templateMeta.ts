import type { TemplateView } from '../api/types';
import { formatDuration } from './jobDisplay';

/** A resource name that counts GPUs (nvidia.com/gpu, amd.com/gpu, gpu.intel.com/i915). */
const isGpu = (name: string) => /gpu|i915/i.test(name);

/**
 * What a person needs to choose a template, one short item each: the timeout, the resources (or the preset choices),
 * GPUs when requested, the node pool when the template pins one, and the concurrency limit.
 */
export function templateMeta(t: TemplateView): string[] {
  const { requests, limits } = t.resources;
  const items = [`Timeout ${formatDuration(t.timeoutSeconds)}`];
  if (t.resourcePresets) {
    items.push(`Size: ${Object.keys(t.resourcePresets.presets).join(' | ')}`);
  }
  items.push(`CPU ${requests.cpu}–${limits.cpu}`, `Memory ${requests.memory}–${limits.memory}`);
  for (const [name, value] of Object.entries(limits)) {
    if (isGpu(name)) {
      items.push(`GPU ${value}${name === 'nvidia.com/gpu' ? '' : ` (${name})`}`);
    }
  }
  const selector = Object.entries(t.nodeSelector ?? {});
  const pool = selector.find(([key]) => /pool|nodegroup|instance-type/i.test(key)) ?? selector[0];
  if (pool) {
    items.push(`Nodes ${pool[1]}`);
  }
  if (t.maxConcurrent) {
    items.push(`At most ${t.maxConcurrent} at once`);
  }
  return items;
}

/** The template's active jobs (Pending or Running), against its limit when it has one: "2 of 3 running". */
export function runningText(active: number, maxConcurrent?: number): string {
  if (active === 0) {
    return 'none running';
  }
  return maxConcurrent ? `${active} of ${maxConcurrent} running` : `${active} running`;
}
