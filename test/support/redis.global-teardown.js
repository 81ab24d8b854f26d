export default async function teardown() {
  await globalThis.__FACE_WEBHOOKS_REDIS__?.stop();
}
