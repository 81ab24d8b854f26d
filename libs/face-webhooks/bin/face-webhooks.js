#!/usr/bin/env node
// The face-webhooks command. A committed file, so that npm links the command at install time
// (inside this repository too, before the library is built) and it is executable everywhere.
try {
  await import('../dist/cli/main.js');
} catch (error) {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/cli/main.js')) {
    console.error('face-webhooks: the library is not built yet; run `npm run build:lib` first');
    process.exit(2);
  }
  throw error;
}
