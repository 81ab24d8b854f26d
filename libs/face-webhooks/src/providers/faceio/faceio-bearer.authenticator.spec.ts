import { SecretSet } from '../../contracts/constant-time.js';
import { authenticateFaceioBearer } from './faceio-bearer.authenticator.js';

const TOKENS = new SecretSet(['tok_live_1', 'tok_live_2']);

describe('authenticateFaceioBearer', () => {
  it.each([
    [{ 'www-authenticate': 'Bearer tok_live_1' }],
    [{ 'www-authenticate': 'bearer tok_live_2' }],
    [{ 'www-authenticate': 'Bearer   tok_live_1  ' }],
    [{ authorization: 'Bearer tok_live_2' }],
    [{ 'www-authenticate': 'Bearer wrong', authorization: 'Bearer tok_live_1' }],
    [{ 'www-authenticate': 'Bearer tok_live_2', authorization: 'Bearer wrong' }],
  ])('accepts %j', (headers) => expect(authenticateFaceioBearer(headers, TOKENS)).toEqual({ ok: true }));

  it.each([
    [{}],
    [{ 'www-authenticate': 'tok_live_1' }],
    [{ 'www-authenticate': 'Bearer' }],
    [{ 'www-authenticate': 'Bearer tok_live_1, Bearer x' }],
    [{ 'www-authenticate': 'Bearer tok_live_1 tok_live_2' }],
    [{ 'www-authenticate': 'Bearer tok_live_3' }],
    [{ 'www-authenticate': 'Bearer tok_live_' }],
    [{ 'www-authenticate': 'Bearer\ntok_live_1' }],
    [{ authorization: 'Basic tok_live_1' }],
    [{ 'www-authenticate': 'Bearer wrong', authorization: 'Bearer wrong too' }],
  ])('refuses %j', (headers) => expect(authenticateFaceioBearer(headers, TOKENS).ok).toBe(false));
});
