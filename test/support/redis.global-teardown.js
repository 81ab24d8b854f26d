export default async function teardown() {
  await globalThis.__FACE_WEBHOOKS_REDIS__?.stop();
  await globalThis.__FACE_WEBHOOKS_REDIS_CLUSTER__?.stop();
}
