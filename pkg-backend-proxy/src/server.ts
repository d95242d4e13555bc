import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.ts';
import { loadCatalog } from './catalog/load.ts';
import { loadConfig } from './config.ts';
import { PooledKubeConfig } from './kube/pooled-config.ts';
import { loggerOptions } from './logger.ts';
import { appendingSink } from './plugins/audit.ts';

/** The process entry: configuration errors end it with one line and exit code 1, never a stack trace. */
async function main(): Promise<void> {
  let config;
  let catalog;
  let auditSink;
  const kubeConfig = new PooledKubeConfig();
  try {
    config = loadConfig(process.env);
    catalog = loadCatalog(config.catalogPath);
    auditSink = config.auditFile ? appendingSink(config.auditFile) : undefined;
    if (config.kubeconfig) {
      kubeConfig.loadFromFile(config.kubeconfig);
    } else {
      kubeConfig.loadFromCluster();
    }
    if (!kubeConfig.getCurrentCluster()) {
      throw new Error(`KUBECONFIG ${config.kubeconfig ?? '(in-cluster)'}: no current cluster`);
    }
  } catch (err) {
    process.stderr.write(`flowkube-proxy: ${(err as Error).message.split('\n')[0]}\n`);
    process.exit(1);
  }

  const app = await buildApp({
    config,
    catalog,
    kubeConfig,
    logger: loggerOptions(config.logLevel),
    auditSink,
  });

  // SIGTERM: stop accepting, let in-flight requests finish (long-polls end at once), stop the watch, exit 0.
  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) {
      app.log.error({ err }, 'closing after an error');
    } else {
      app.log.info({ signal }, 'closing');
    }
    await app.close();
  });

  await app.listen({ port: config.port, host: config.host });
  app.log.info(
    { namespace: config.namespace, catalog: config.catalogPath, templates: catalog.templates.length },
    'flowkube proxy ready for requests'
  );
}

await main();
