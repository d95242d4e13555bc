import type { BusEventWithPayload, EventBus } from '@grafana/data';
import { setAppEvents } from '@grafana/runtime';

/** Records Grafana's toasts (app events) instead of showing them; returns what was published, in order. */
export function captureAppEvents(): Array<{ type: string; payload: unknown }> {
  const published: Array<{ type: string; payload: unknown }> = [];
  const publish = (event: BusEventWithPayload<unknown>) => published.push({ type: event.type, payload: event.payload });
  setAppEvents({ publish } as unknown as EventBus);
  return published;
}
