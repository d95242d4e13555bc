import { AppEvents } from '@grafana/data';
import { getAppEvents } from '@grafana/runtime';

/** Grafana's own toasts, so FlowKube's messages look and stack like the rest of Grafana's. */
export function notifySuccess(title: string, text?: string): void {
  getAppEvents().publish({ type: AppEvents.alertSuccess.name, payload: text ? [title, text] : [title] });
}

export function notifyError(title: string, text?: string): void {
  getAppEvents().publish({ type: AppEvents.alertError.name, payload: text ? [title, text] : [title] });
}
