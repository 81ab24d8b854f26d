import { FaceWebhooksConfigError } from './face-webhooks-config.error.js';
import { importOptionalPeer, loadWithOptionalPeers } from './optional-peer.js';

describe('optional peer dependencies', () => {
  it('names the option and the npm install line when the package is not installed', async () => {
    const load = importOptionalPeer('no-such-package-face-webhooks-peer', 'queue: true');
    await expect(load).rejects.toThrow(FaceWebhooksConfigError);
    await expect(load).rejects.toThrow(
      'queue: true needs the no-such-package-face-webhooks-peer package, which is not installed: ' +
        'npm install no-such-package-face-webhooks-peer',
    );
  });

  it('lists every package the option needs', async () => {
    const missing: string = 'no-such-peer-b';
    await expect(
      loadWithOptionalPeers(['no-such-peer-a', 'no-such-peer-b'], 'queue: true', () => import(missing)),
    ).rejects.toThrow('npm install no-such-peer-a no-such-peer-b');
  });

  it('lets other errors through', async () => {
    const other = new Error('boom');
    await expect(loadWithOptionalPeers(['bullmq'], 'queue: true', () => Promise.reject(other))).rejects.toBe(
      other,
    );
  });

  it('loads an installed package', async () => {
    await expect(importOptionalPeer<{ parse: unknown }>('bytes', 'bodyLimit')).resolves.toBeDefined();
  });
});
