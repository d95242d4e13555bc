import React from 'react';

/**
 * Stands in for react-inlinesvg under jest, like create-plugin's `.config/jest/mocks/react-inlinesvg.tsx`: an icon
 * given by URL renders as an empty <svg> whose test id is the file name (`…/icons/angle-down.svg` → `angle-down`).
 *
 * That mock finds the name with `/(.+)\/(.+)\.svg$/`, which backtracks quadratically on inline markup: @grafana/ui's
 * EmptyState passes its 95 KB illustration as `src`, and one render cost about 3 s of regex. Inline markup gets no
 * test id here (the scaffold's mock used the whole markup as one).
 */
export default function InlineSvgMock({ src }: { src: string }) {
  const testId = src.startsWith('<') ? undefined : (/\/([^/]+)\.svg$/.exec(src)?.[1] ?? src);
  return <svg xmlns="http://www.w3.org/2000/svg" data-testid={testId} viewBox="0 0 24 24" />;
}
