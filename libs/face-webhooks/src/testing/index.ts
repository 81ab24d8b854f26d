export { faceioFixture, type FaceioFixture } from '../providers/faceio/faceio.fixtures.js';
export { signFaceioRequest, type SignedFaceioRequest } from '../providers/faceio/faceio.signer.js';
