import { parseArgs } from 'node:util';
import { agreement } from './commands/agreement.ts';
import { bundleBuild, bundleImport, bundleInspect, bundlePublish, bundleVerify } from './commands/bundle.ts';
import { keysNew } from './commands/keys.ts';
import { status } from './commands/status.ts';
import { keysRotate, trustAdd, trustList, trustRemove, trustRotate } from './commands/trust.ts';
import {
  serverDevices,
  serverExport,
  serverImportBatches,
  serverInit,
  serverOpenApi,
  serverProgress,
  serverRevoke,
  serverRun,
  serverToken,
} from './commands/server.ts';
import { batchesExport, enrol, pull, reviewPull, syncNow, workstationImportBatches } from './commands/sync.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { web } from './commands/web.ts';
import { backup, doctor, restore } from './commands/store.ts';
import { CliError } from './errors.ts';
import { StoreError } from '../core/store/errors.ts';
import { processIo, type Io } from './io.ts';

const USAGE = `casebook — Casebook's command line

  keys new --out FILE                              make an Ed25519 key pair; private JWK to FILE (0600), public JWK to stdout
  keys rotate --old F --new F --label T --out F    write a rotation statement: the old org key endorses the new one
  trust list --data DIR [--json]                   org keys this workstation accepts bundles from, with fingerprints
  trust add PUBFILE --data DIR [--label T] [--prefix P]   trust an org key (optionally only for bundle ids starting with P)
  trust remove KEYID|FINGERPRINT --data DIR        stop trusting a key
  trust rotate STATEMENT --data DIR                replace a trusted key by its successor named in a signed statement
  bundle build SRC_DIR --key FILE --out FILE.cbundle   validate and sign a bundle from bundle.json, tasks.jsonl,
                                                   guidelines.md, rubric.json and taxonomy.json; with
        [--from-jsonl FILE | --from-csv FILE] --mapping MAP.json   tasks come from that file instead of tasks.jsonl
        [--rotation STATEMENT.json]              carry a rotation statement (keys rotate) naming --key as the
                                                   successor: workstations trusting the old key accept it
  bundle inspect FILE (--trust PUBFILE | --data DIR) [--json]   manifest, signer, counts per kind and a sample task
  bundle verify FILE --trust PUBFILE               check a bundle's signature, hashes and content without importing
  bundle import FILE --data DIR [--trust PUBFILE [--label T]]  import a bundle into a workstation data directory
                                                   (trust store by default; --label names the --trust key)
  bundle publish FILE --server URL [--admin-token-file F | --admin-token T] [--trust PUBFILE]
                                                   upload a built bundle to the sync server for distribution
                                                   (the token may also come from CASEBOOK_ADMIN_TOKEN)
  status --data DIR [--json]                       bundles with task and annotation counts (--json: and the device key)
  web --data DIR [--port N] [--passphrase-file F] [--lock-after MIN] [--open]   serve the app on 127.0.0.1 (port 0
                                                   picks a free one); locks after MIN idle minutes (15; 0 never);
                                                   --open opens it in the desktop's browser where there is one
  doctor --data DIR [--json]                       full integrity check, every task re-hashed; exit 1 on damage
  backup --data DIR --out FILE                     consistent encrypted copy of a workstation, also while it runs
  restore FILE --data DIR                          a backup into a new data folder (an older backup migrates forward)

  Stores are encrypted: the passphrase comes from CASEBOOK_PASSPHRASE, --passphrase-file or the terminal.

  enrol --data DIR --server URL --token TOKEN      register this workstation's device key with a sync server
  sync --data DIR [--json]                         seal, sign and push the outbox; exit 3 offline, 4 refused
  pull --data DIR                                  download and import newer bundle versions from the sync server
  batches export --data DIR --out DIR [--from SEQ] [--to SEQ]   write signed batch files (USB transport)
  batches import FILE... --data DIR [--database-url URL]  verify and accept batch files on a server, or on a
                                                   reviewer's workstation (DIR holds casebook.sqlite)
  review pull --data DIR                           reviewers: fetch other annotators' batches, verified here

  agreement --matrix FILE.csv --metric alpha|fleiss|cohen|ac1|tau-b|percent   agreement between coders (rows)
        [--level nominal|ordinal|interval|ratio] [--weights linear|quadratic]    on units (columns); empty = missing
        [--seed N] [--bootstrap N] [--json]      95% bootstrap interval (1000 replicates, seed 1 by default)

  server --data DIR [--port N] [--host ADDR] [--database-url URL]   run the sync server (127.0.0.1:4790 by default)
  server init --data DIR [--database-url URL]      make the server key and the admin token (printed once)
  server token --data DIR --user ID|new --name NAME --role annotator|reviewer|admin [--label TEXT]
                                                   issue a one-time enrolment token that enrols one device
                                                   for this user, name and role (the server's word, not the
                                                   device's); --user new makes a user id, printed for the
                                                   person's further devices
  server devices --data DIR [--json]               list enrolled devices (--json: with their public keys)
  server revoke DEVICE_ID --data DIR               refuse a device's key from now on
  server progress --data DIR [--json]              accepted work per annotator and bundle
  server export --data DIR --out FILE.jsonl        accepted records with provenance
  server openapi                                   print the OpenAPI document of the server's routes
`;

export async function run(argv: string[], io: Io): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        out: { type: 'string' },
        key: { type: 'string' },
        trust: { type: 'string' },
        data: { type: 'string' },
        port: { type: 'string' },
        json: { type: 'boolean' },
        label: { type: 'string' },
        prefix: { type: 'string' },
        old: { type: 'string' },
        'from-jsonl': { type: 'string' },
        'from-csv': { type: 'string' },
        mapping: { type: 'string' },
        rotation: { type: 'string' },
        new: { type: 'string' },
        host: { type: 'string' },
        'database-url': { type: 'string' },
        server: { type: 'string' },
        user: { type: 'string' },
        name: { type: 'string' },
        role: { type: 'string' },
        token: { type: 'string' },
        'admin-token': { type: 'string' },
        'admin-token-file': { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        'passphrase-file': { type: 'string' },
        'lock-after': { type: 'string' },
        open: { type: 'boolean' },
        matrix: { type: 'string' },
        metric: { type: 'string' },
        level: { type: 'string' },
        weights: { type: 'string' },
        seed: { type: 'string' },
        bootstrap: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    io.err(`casebook: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values: v, positionals: p } = parsed;
  const cmd = p.slice(0, 2).join(' ');
  const srv = { data: v.data, port: v.port, host: v.host, databaseUrl: v['database-url'] };
  try {
    if (v.help || p.length === 0) {
      io.out(USAGE);
      return p.length === 0 && !v.help ? 2 : 0;
    }
    if (cmd === 'keys new') await keysNew(io, v.out);
    else if (cmd === 'keys rotate') await keysRotate(io, v.old, v.new, v.label, v.out);
    else if (cmd === 'trust list') await trustList(io, v.data, v.json ?? false);
    else if (cmd === 'trust add') await trustAdd(io, p[2], v.data, v.label, v.prefix);
    else if (cmd === 'trust remove') await trustRemove(io, p[2], v.data);
    else if (cmd === 'trust rotate') await trustRotate(io, p[2], v.data);
    else if (cmd === 'bundle build') await bundleBuild(io, p[2], { key: v.key, out: v.out, fromJsonl: v['from-jsonl'], fromCsv: v['from-csv'], mapping: v.mapping, rotation: v.rotation });
    else if (cmd === 'bundle inspect') await bundleInspect(io, p[2], v.trust, v.data, v.json ?? false);
    else if (cmd === 'bundle verify') await bundleVerify(io, p[2], v.trust);
    else if (cmd === 'bundle import') await bundleImport(io, p[2], v.data, v.trust, v.label);
    else if (cmd === 'bundle publish') await bundlePublish(io, p[2], { server: v.server, adminToken: v['admin-token'], adminTokenFile: v['admin-token-file'], trust: v.trust });
    else if (p[0] === 'status') await status(io, v.data, v.json ?? false);
    else if (p[0] === 'web') await web(io, v.data, { port: v.port, passphraseFile: v['passphrase-file'], lockAfter: v['lock-after'], open: v.open ?? false });
    else if (p[0] === 'doctor') await doctor(io, v.data, v.json ?? false);
    else if (p[0] === 'backup') await backup(io, v.data, v.out);
    else if (p[0] === 'restore') await restore(io, p[1], v.data);
    else if (p[0] === 'enrol') await enrol(io, v.data, v.server, v.token);
    else if (p[0] === 'sync') await syncNow(io, v.data, v.json ?? false);
    else if (p[0] === 'pull') await pull(io, v.data);
    else if (cmd === 'batches export') await batchesExport(io, v.data, v.out, v.from, v.to);
    else if (cmd === 'batches import') {
      // A workstation's data directory (a reviewer receiving work) or a server's.
      if (v.data && !v['database-url'] && existsSync(join(v.data, 'casebook.sqlite'))) await workstationImportBatches(io, v.data, p.slice(2));
      else await serverImportBatches(io, srv, p.slice(2));
    } else if (cmd === 'review pull') await reviewPull(io, v.data);
    else if (p[0] === 'agreement') await agreement(io, { matrix: v.matrix, metric: v.metric, level: v.level, weights: v.weights, seed: v.seed, bootstrap: v.bootstrap, json: v.json ?? false });
    else if (cmd === 'server init') await serverInit(io, srv);
    else if (cmd === 'server token') await serverToken(io, srv, { user: v.user, name: v.name, role: v.role, label: v.label });
    else if (cmd === 'server devices') await serverDevices(io, srv, v.json ?? false);
    else if (cmd === 'server revoke') await serverRevoke(io, srv, p[2]);
    else if (cmd === 'server progress') await serverProgress(io, srv, v.json ?? false);
    else if (cmd === 'server export') await serverExport(io, srv, v.out);
    else if (cmd === 'server openapi') serverOpenApi(io);
    else if (p.length === 1 && p[0] === 'server') await serverRun(io, srv);
    else throw new CliError(`unknown command "${p.join(' ')}"\n\n${USAGE}`, 2);
    return 0;
  } catch (e) {
    if (e instanceof CliError || e instanceof StoreError) {
      io.err(`casebook: ${e.message}`);
      return e instanceof CliError ? e.exitCode : 1;
    }
    io.err(`casebook: unexpected error: ${(e as Error).stack ?? String(e)}`);
    return 1;
  }
}

// Run only when executed directly, so tests can import run().
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  process.exitCode = await run(process.argv.slice(2), processIo);
}
