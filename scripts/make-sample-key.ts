// One-off: created resources/samples/sample-key.*.jwk. Kept to show how the sample key was made.
import { writeFileSync } from 'node:fs';
import { generateKeyPair } from '../shared/node/keys.ts';

const { privateJwk, publicJwk } = generateKeyPair();
writeFileSync('resources/samples/sample-key.private.jwk', JSON.stringify(privateJwk, null, 2) + '\n', { mode: 0o600 });
writeFileSync('resources/samples/sample-key.public.jwk', JSON.stringify({ ...publicJwk, label: 'Casebook sample content key' }, null, 2) + '\n');
