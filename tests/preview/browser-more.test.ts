// The browser test's error paths and stand-in checks on Grafana 12.4 (browserSuite.ts): cancel, unreachable proxy,
// no user header, backendSrv's 401 retry, wrong read token.
import { browserSuite } from './browserSuite.ts';

browserSuite({ grafana: '12', flows: 'more' });
