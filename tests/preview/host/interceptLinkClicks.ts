// Grafana catches clicks on same-origin <a href> anywhere in the page and turns them into history pushes
// (public/app/core/navigation/patch/interceptLinkClicks.ts), so plugin links such as @grafana/ui's TextLink and
// LinkButton navigate without reloading the document. The preview does the same, or those links would reload.
import { locationService } from '@grafana/runtime';

export function interceptLinkClicks(event: MouseEvent) {
  const anchor = event.target instanceof Element ? event.target.closest('a') : null;
  const href = anchor?.getAttribute('href');
  if (!anchor || !href || anchor.getAttribute('target') || event.defaultPrevented) {
    return;
  }
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
    return;
  }
  if (href.includes('://') || href.startsWith('mailto:') || href.startsWith('#')) {
    return;
  }
  event.preventDefault();
  locationService.push(href.startsWith('/') ? href : `/${href}`);
}
