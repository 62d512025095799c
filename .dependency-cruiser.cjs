/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles, type-only imports included.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'crawlers-import-only-core',
      severity: 'error',
      comment: 'crawlers/ import nothing of src/ but the core (src/core/).',
      from: { path: '^crawlers/' },
      to: { path: '^src/', pathNot: '^src/core/' },
    },
    {
      name: 'crawl-steps-import-no-platform',
      severity: 'error',
      comment: 'The crawl steps (src/pipeline/crawl/) name no platform: they reach a platform through crawlers/registry.ts and the hooks.',
      from: { path: '^src/pipeline/crawl/' },
      to: { path: '^(crawlers/[^/]+/|src/pipeline/platforms/[^/]+$)', pathNot: '^src/pipeline/platforms/index\\.ts$' },
    },
    {
      name: 'core-imports-only-core',
      severity: 'error',
      comment: 'src/core/ (the core model and pure maths) imports nothing of the project outside src/core/.',
      from: { path: '^src/core/' },
      to: { path: '^(src|crawlers|test|bench|scripts)/', pathNot: '^src/core/' },
    },
    {
      name: 'store-imports-no-stage',
      severity: 'error',
      comment: 'The store imports no stage and nothing that reads it: pipeline, media, resurface, queue, research, api, cli, app.',
      from: { path: '^src/store/' },
      to: { path: '^src/(pipeline|media|resurface|queue|research|api|cli|app)/' },
    },
    {
      name: 'store-db-stays-in-store',
      severity: 'error',
      comment:
        'The raw database (src/store/db-handle.ts) stays in the store: other layers use the collection families (src/store/repos/) and the typed collections of Store. Tests and benches may reach it.',
      from: { path: '^(src|crawlers)/', pathNot: '^src/store/' },
      to: { path: '^src/store/db-handle\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|data)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
