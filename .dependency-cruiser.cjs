// The library's floors. A folder may import its own files and the floors below it, never one
// above; nothing may import in a circle. `npm run lint` and CI run this over libs/face-webhooks/src.
//
//   contracts/                      ground floor: the provider contract, tokens, exceptions, outcomes
//   redis/ observability/ tenants/  services every stage uses
//   pipeline/                       authenticate, parse and validate, de-duplicate, run handlers
//   queue/ http/                    BullMQ delivery; everything that knows Express, Fastify or Nest's request
//   console/ health/                operator surfaces over the queue and the pipeline
//   providers/<name>/               one folder per provider, on the public contract only
//   *.ts at the root, testing/, cli/  the module, its options and the tools that assemble everything
const SRC = '^libs/face-webhooks/src/';
const floors = [
  ['contracts'],
  ['redis', 'observability', 'tenants'],
  ['pipeline'],
  ['queue', 'http'],
  ['console', 'health'],
];
const any = (folders) => `${SRC}(${folders.join('|')})/`;

const forbidden = [
  {
    name: 'no-circular',
    severity: 'error',
    comment: 'Imports in a circle make a floor impossible to read on its own.',
    from: {},
    to: { circular: true },
  },
  ...floors.map((floor, level) => ({
    name: `floor-${floor.join('-')}`,
    severity: 'error',
    comment: `${floor.join(', ')} may import only their own floor and the floors below it.`,
    from: { path: any(floor) },
    to: {
      path: `${SRC}.+`,
      pathNot: [any(floors.slice(0, level + 1).flat()), '\\.d\\.ts$'],
    },
  })),
  {
    name: 'floor-providers',
    severity: 'error',
    comment:
      'A provider is written on the public contract only (contracts/, plus the base guard of app routes), never on another provider.',
    from: { path: `${SRC}providers/([^/]+)/` },
    to: {
      path: `${SRC}.+`,
      pathNot: [
        `${SRC}providers/$1/`,
        `${SRC}contracts/`,
        `${SRC}http/face-webhook\\.guard\\.ts$`,
        '\\.d\\.ts$',
      ],
    },
  },
  {
    name: 'no-provider-below-root',
    severity: 'error',
    comment: 'Only the module, its options, testing/ and cli/ know which providers exist.',
    from: { path: any([...floors.flat()]) },
    to: { path: `${SRC}providers/` },
  },
];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.spec\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
