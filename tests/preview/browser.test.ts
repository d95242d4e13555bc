// The browser test's main flows on the Grafana 12.4 runtime packages the plugin is built against (browserSuite.ts).
import { browserSuite } from './browserSuite.ts';

browserSuite({ grafana: '12', flows: 'main' });
