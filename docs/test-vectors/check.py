#!/usr/bin/env python3
"""An outside check of docs/test-vectors/, written from docs/formats.md alone (not from the source).

Run from docs/test-vectors/: python3 check.py (needs the cryptography package). It checks the
RFC 7638 key ids, the DSSE PAE and Ed25519 signatures, the bundle hashes, the batch chain, the
signed request text and the enrolment proof: what a Python pipeline verifying Casebook files does."""
import base64, hashlib, json, zipfile
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
b64u = lambda s: base64.urlsafe_b64decode(s + '=' * (-len(s) % 4))
def key(path):
    j = json.load(open(path)); return j, Ed25519PublicKey.from_public_bytes(b64u(j['x']))
def thumb(j): return base64.urlsafe_b64encode(hashlib.sha256(('{"crv":"Ed25519","kty":"OKP","x":"%s"}' % j['x']).encode()).digest()).rstrip(b'=').decode()
def pae(t, p): t = t.encode(); return b'DSSEv1 %d %s %d %s' % (len(t), t, len(p), p)
def verify(env, j, k, ptype):
    assert env['payloadType'] == ptype
    p = base64.b64decode(env['payload'], validate=True)
    s = [s for s in env['signatures'] if s.get('keyid') == thumb(j)]
    assert s, 'no keyid names the key'
    k.verify(base64.b64decode(s[0]['sig'], validate=True), pae(ptype, p)); return p
org, orgk = key('keys/org.public.jwk')
z = zipfile.ZipFile('bundle/good-v1.cbundle')
m = json.loads(verify(json.loads(z.read('manifest.dsse.json')), org, orgk, 'application/vnd.casebook.manifest+json'))
for f in m['files']:
    d = z.read(f['path']); assert len(d) == f['size'] and hashlib.sha256(d).hexdigest() == f['sha256'], f
print('bundle ok', m['bundleId'], m['version'], m['taskCount'])
dev, devk = key('keys/device.public.jwk')
prev = '0' * 64
import glob
for n, path in enumerate(sorted(glob.glob('batch/dev_*.cbatch')), 1):
    raw = open(path, 'rb').read()
    b = json.loads(verify(json.loads(raw), dev, devk, 'application/vnd.casebook.batch+json'))
    assert b['seq'] == n and b['prevHash'] == prev, path
    prev = hashlib.sha256(raw).hexdigest()
print('batch chain ok', n)
r = json.load(open('request/signed-request.json'))
h = r['headers']
text = 'casebook-request/1\n%s\n%s\n%s' % (r['method'].upper(), r['pathAndQuery'], h['x-casebook-time'])
devk.verify(base64.b64decode(h['x-casebook-signature'], validate=True), text.encode())
print('request ok')
e = json.load(open('enrol/request.json'))
st = json.loads(verify(json.loads(e['proof']), e['publicKey'], Ed25519PublicKey.from_public_bytes(b64u(e['publicKey']['x'])), 'application/vnd.casebook.enrol+json'))
assert st['deviceId'] == 'dev_' + thumb(dev)[:22]
print('enrol ok', st)
