import { randomUUID } from 'node:crypto';
import { count } from '../../../shared/text/plural.ts';
import { existsSync } from 'node:fs';
import { createWriteStream } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensureAdminToken, createEnrolToken } from '../../../server/admin-auth.ts';
import { importBatchFiles } from '../../../server/import-files.ts';
import { openApiDocument, ROUTES } from '../../../server/routes.ts';
import { SERVER_VERSION } from '../../../server/app.ts';
import { loadReceiptKey, ReceiptKeyMismatch } from '../../../server/server-key.ts';
import { NewerServerDatabaseError } from '../../../server/storage/migrations/index.ts';
import { openStorage, startServer } from '../../../server/start.ts';
import type { SyncStorage } from '../../../server/storage/types.ts';
import { TokenBinding } from '../../../shared/sync/wire.ts';
import { CliError } from '../errors.ts';
import type { Io } from '../io.ts';

export interface ServerArgs {
  data: string | undefined;
  port?: string | undefined;
  host?: string | undefined;
  databaseUrl?: string | undefined;
}

function dataDirOf(a: ServerArgs, usage: string): string {
  if (!a.data) throw new CliError(`usage: ${usage}`, 2);
  return resolve(a.data);
}

async function withStorage<T>(a: ServerArgs, usage: string, fn: (s: SyncStorage, dir: string) => Promise<T>): Promise<T> {
  const dir = dataDirOf(a, usage);
  if (!a.databaseUrl && !existsSync(join(dir, 'server.sqlite'))) throw new CliError(`${dir}: no server data here; run \`casebook server init --data ${a.data}\` first`);
  const storage = await openStorage(dir, a.databaseUrl).catch(startRefusal);
  try {
    return await fn(storage, dir).catch(startRefusal);
  } finally {
    await storage.close();
  }
}

/** A server that must not start says why in words, without a stack trace. */
function startRefusal(e: unknown): never {
  if (e instanceof ReceiptKeyMismatch || e instanceof NewerServerDatabaseError) throw new CliError(e.message);
  throw e;
}

/** casebook server --data DIR [--port N] [--host H] [--database-url URL]: runs until SIGINT/SIGTERM. */
export async function serverRun(io: Io, a: ServerArgs): Promise<void> {
  const dir = dataDirOf(a, 'casebook server --data DIR [--port N] [--host ADDR] [--database-url URL]');
  const port = a.port === undefined ? 4790 : Number(a.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--port: "${a.port}" is not a port number`, 2);
  const crash = Number(process.env.CASEBOOK_TEST_CRASH_AFTER_COMMIT_SEQ ?? '');
  const server = await startServer({
    dataDir: dir,
    port,
    ...(a.host ? { host: a.host } : {}),
    ...(a.databaseUrl ? { databaseUrl: a.databaseUrl } : {}),
    logLevel: process.env.CASEBOOK_LOG_LEVEL ?? 'info',
    ...(process.env.CASEBOOK_TEST_NO_RATE_LIMIT === '1' ? { rateLimit: { perSecond: 0, burst: 0 } } : {}),
    ...(Number.isInteger(crash) && crash > 0 ? { crashAfterCommitSeq: crash } : {}),
    onAdminToken: (t) => io.err(`admin token (shown once, store it safely): ${t}`),
  }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'EADDRINUSE') throw new CliError(`port ${port} is in use; pass --port with another number (0 picks a free one)`);
    return startRefusal(e);
  });
  io.err(`casebook server listening on ${server.url} (${server.storage.kind}); request log as JSON lines on stdout (CASEBOOK_LOG_LEVEL=warn quietens it); Ctrl+C stops`);
  await new Promise<void>((done) => {
    const stop = () => void server.close().then(done);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/** casebook server init: makes the server key and admin token; prints the token once. */
export async function serverInit(io: Io, a: ServerArgs): Promise<void> {
  const dir = dataDirOf(a, 'casebook server init --data DIR [--database-url URL]');
  const storage = await openStorage(dir, a.databaseUrl).catch(startRefusal);
  try {
    await loadReceiptKey(storage, dir).catch(startRefusal);
    const token = await ensureAdminToken(storage);
    if (!token) throw new CliError(`${dir}: this server already has an admin token`);
    io.out(token);
    io.err('admin token printed above; it is stored only as a hash and cannot be shown again');
  } finally {
    await storage.close();
  }
}

export interface TokenArgs {
  user: string | undefined;
  name: string | undefined;
  role: string | undefined;
  label: string | undefined;
}

const TOKEN_USAGE = 'casebook server token --data DIR --user ID|new --name NAME --role annotator|reviewer|admin [--label TEXT] [--database-url URL]';

/**
 * casebook server token: a one-time token that enrols one device for one user, name and role.
 * Every device of one person needs a token issued with that person's user id.
 */
export async function serverToken(io: Io, a: ServerArgs, t: TokenArgs): Promise<void> {
  const missing = (['user', 'name', 'role'] as const).filter((k) => !t[k]?.trim());
  if (missing.length > 0) {
    throw new CliError(`an enrolment token enrols one user in one role: give ${missing.map((k) => `--${k}`).join(', ')}\nusage: ${TOKEN_USAGE}`, 2);
  }
  const newUser = t.user === 'new';
  const parsed = TokenBinding.safeParse({ userId: newUser ? randomUUID() : t.user, displayName: t.name, role: t.role });
  if (!parsed.success) {
    const field = { userId: '--user', displayName: '--name', role: '--role' }[String(parsed.error.issues[0]!.path[0])] ?? 'arguments';
    const hint = field === '--user' ? 'a user id (UUID) given before, or "new" for a person enrolling a first device' : field === '--role' ? 'annotator, reviewer or admin' : 'a name of 1 to 120 characters';
    throw new CliError(`${field}: "${field === '--user' ? t.user : field === '--role' ? t.role : t.name}" is not ${hint}`, 2);
  }
  await withStorage(a, TOKEN_USAGE, async (s) => {
    const r = await createEnrolToken(s, parsed.data, t.label ?? '', new Date());
    io.out(r.token);
    io.err(`one-time enrolment token for ${r.displayName} as ${r.role} (user ${r.userId}); expires ${r.expiresAt}`);
    if (newUser) io.err(`new user id ${r.userId}: issue this person's further devices' tokens with --user ${r.userId}`);
  });
}

export async function serverDevices(io: Io, a: ServerArgs, json: boolean): Promise<void> {
  await withStorage(a, 'casebook server devices --data DIR', async (s) => {
    // With the public key, so an admin can check a device's .cbatch files by hand (docs/formats.md).
    const devices = (await s.listDevices()).map(({ publicJwk, lastHash: _h, ...d }) => ({ ...d, publicKey: publicJwk }));
    if (json) io.out(JSON.stringify(devices, null, 2));
    else if (devices.length === 0) io.out('no devices enrolled');
    else for (const d of devices) io.out(`${d.deviceId}  ${d.displayName} (${d.role}, user ${d.userId})  last batch ${d.lastSeq}${d.revokedAt ? `  REVOKED ${d.revokedAt}` : ''}`);
  });
}

export async function serverRevoke(io: Io, a: ServerArgs, deviceId: string | undefined): Promise<void> {
  if (!deviceId) throw new CliError('usage: casebook server revoke DEVICE_ID --data DIR', 2);
  await withStorage(a, 'casebook server revoke DEVICE_ID --data DIR', async (s) => {
    if (!(await s.revokeDevice(deviceId, new Date().toISOString()))) throw new CliError(`${deviceId}: no such device, or already revoked`);
    io.out(`revoked ${deviceId}`);
  });
}

export async function serverProgress(io: Io, a: ServerArgs, json: boolean): Promise<void> {
  await withStorage(a, 'casebook server progress --data DIR', async (s) => {
    const rows = await s.progress();
    if (json) io.out(JSON.stringify(rows, null, 2));
    else if (rows.length === 0) io.out('nothing accepted yet');
    else for (const r of rows) io.out(`${r.bundleId}  ${r.annotatorName}  ${r.annotations} annotations, ${r.adjudications} adjudications  last ${r.lastAcceptedAt ?? '-'}`);
  });
}

/** Accepted records with provenance as JSON lines, streamed page by page. */
export async function serverExport(io: Io, a: ServerArgs, out: string | undefined): Promise<void> {
  if (!out) throw new CliError('usage: casebook server export --data DIR --out FILE.jsonl', 2);
  await withStorage(a, 'casebook server export --data DIR --out FILE.jsonl', async (s) => {
    const file = createWriteStream(out, { flags: 'wx' });
    let cursor = 0;
    let n = 0;
    for (;;) {
      const page = await s.exportRecords(cursor, 1000);
      if (page.length === 0) break;
      for (const r of page) {
        const line = `{"cursor":${r.cursor},"kind":${JSON.stringify(r.kind)},"deviceId":${JSON.stringify(r.deviceId)},"acceptedAt":${JSON.stringify(r.acceptedAt)},"record":${r.body}}\n`;
        if (!file.write(line)) await new Promise<void>((ok) => file.once('drain', () => ok()));
      }
      cursor = page.at(-1)!.cursor;
      n += page.length;
    }
    await new Promise<void>((ok, fail) => file.end((e?: Error | null) => (e ? fail(e) : ok())));
    io.err(`${count(n, 'record')} written to ${out}`);
  });
}

/** casebook batches import FILE... --data SERVER_DIR: the same verification as a push. */
export async function serverImportBatches(io: Io, a: ServerArgs, files: string[]): Promise<void> {
  if (files.length === 0) throw new CliError('usage: casebook batches import FILE... --data SERVER_DIR', 2);
  await withStorage(a, 'casebook batches import FILE... --data SERVER_DIR', async (s, dir) => {
    const results = await importBatchFiles(s, await loadReceiptKey(s, dir), files);
    let refused = 0;
    for (const { file, result } of results) {
      if (result.ok) io.out(`${file}: ${result.duplicate ? 'already accepted' : 'accepted'} (${result.deviceId} batch ${result.seq})`);
      else {
        refused++;
        io.err(`${file}: refused — ${result.message}`);
      }
    }
    if (refused > 0) throw new CliError(`${refused} of ${results.length} batch files refused`);
  });
}

export function serverOpenApi(io: Io): void {
  if (ROUTES.length === 0) throw new CliError('no routes');
  io.out(JSON.stringify(openApiDocument(SERVER_VERSION), null, 2));
}
