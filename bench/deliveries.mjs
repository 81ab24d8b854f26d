// What the benchmarks send to each scenario's route: method, path, headers and body, signed for it.
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BENCH_SECRETS } from './secrets.mjs';

// Signed with the testing entry of the build under test: BENCH_LIBRARY's when set (a server or
// bench/receive.mjs running another build), so that a process never loads two copies of the
// library.
const { faceSignFixture, faceioFixture, idaasFixture, signFaceSignRequest, signIdaasRequest } = await import(
  process.env.BENCH_LIBRARY
    ? pathToFileURL(`${dirname(process.env.BENCH_LIBRARY)}/testing/index.js`).href
    : 'nestjs-face-webhooks/testing'
);

export const PEER_SCENARIOS = new Set(['stripe', 'standardwebhooks', 'octokit']);
let peers;

/** Loads the peers' signing (bench/peers must be installed: see installPeers in bench/run.mjs). */
export async function loadPeers() {
  peers ??= await import('./peers/peer-routes.mjs');
  return peers;
}

const PATHS = {
  'node-http': '/',
  bare: '/bare',
  direct: '/direct',
  naive: '/naive',
  validated: '/validated',
  facesign: '/webhooks/facesign',
  idaas: '/webhooks/idaas',
};
const FACEIO_HEADERS = {
  'content-type': 'application/json',
  'www-authenticate': `Bearer ${BENCH_SECRETS.faceio}`,
};

/**
 * Delivery number `sequence` for a scenario, a distinct event each time: FaceSign's signature for
 * `naive` and `facesign`, IDaaS's for `idaas`, the peer's own for a peer (after loadPeers), and a
 * FACEIO body with the bearer token for every other route (node-http, bare and validated ignore it).
 */
export function delivery(scenario, sequence) {
  if (PEER_SCENARIOS.has(scenario)) {
    return {
      method: 'POST',
      path: peers.PEER_ROUTES[scenario],
      ...peers.signPeerRequest(scenario, sequence),
    };
  }
  if (scenario === 'facesign' || scenario === 'naive') {
    const signed = signFaceSignRequest({
      secret: BENCH_SECRETS.facesign,
      body: faceSignFixture('media.user_photo'),
    });
    return { method: 'POST', path: PATHS[scenario], ...signed };
  }
  if (scenario === 'idaas') {
    const signed = signIdaasRequest({
      secret: BENCH_SECRETS.idaas,
      url: 'https://bench.example.com/webhooks/idaas',
      body: idaasFixture('face.biometric.created'),
    });
    return { method: 'POST', path: PATHS[scenario], ...signed };
  }
  return {
    method: 'POST',
    path: PATHS[scenario] ?? '/webhooks/faceio',
    headers: FACEIO_HEADERS,
    body: JSON.stringify(faceioFixture('ENROLL', { facialId: `bench-${process.pid}-${sequence}` })),
  };
}

/** Whether a scenario's deliveries are cheap enough to make while the load runs (unsigned FACEIO). */
export const signedAhead = (scenario) =>
  PEER_SCENARIOS.has(scenario) || ['facesign', 'naive', 'idaas'].includes(scenario);

let sequence = 0;
/**
 * autocannon's `requests` for a scenario: a distinct delivery each time or, for a scenario whose
 * signing costs too much to do while the load runs (`signedAhead`) and a `poolSize`, a pool of
 * that many signed beforehand and sent in turn (repeats are duplicates for our routes).
 */
export function deliveryRequests(scenario, poolSize) {
  const pool =
    poolSize && signedAhead(scenario)
      ? Array.from({ length: poolSize }, () => delivery(scenario, sequence++))
      : undefined;
  let next = 0;
  return [
    {
      method: 'POST',
      path: delivery(scenario, -1).path,
      setupRequest: (req) => {
        const sent = pool ? pool[next++ % pool.length] : delivery(scenario, sequence++);
        return { ...req, headers: sent.headers, body: sent.body };
      },
    },
  ];
}
