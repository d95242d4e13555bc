// The same built plugin in a host built on Grafana 13.x's runtime packages and React 19 (tests/preview/host13),
// the main flows: Grafana 13 is the current line, and the plugin declares it works there.
import { browserSuite } from './browserSuite.ts';

browserSuite({ grafana: '13', flows: 'main' });
