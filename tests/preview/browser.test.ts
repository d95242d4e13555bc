// The browser test on the Grafana 12.4 runtime packages the plugin is built against: every flow (browserSuite.ts).
import { browserSuite } from './browserSuite.ts';

browserSuite({ grafana: '12', mainFlowsOnly: false });
