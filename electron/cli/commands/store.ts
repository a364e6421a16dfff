import { resolve } from 'node:path';
import { APP_VERSION } from '../../core/handlers/app.ts';
import { backupStore, restoreStore } from '../../core/store/backup.ts';
import { examineStore } from '../../core/store/doctor.ts';
import { CliError } from '../errors.ts';
import type { Io } from '../io.ts';
import { cliProtection } from '../protection.ts';
import { askSecret, canPrompt } from '../prompt.ts';
import { Core } from '../../core/core.ts';

/** casebook doctor --data DIR: names every problem and each damaged task; exit 1 if any. */
export async function doctor(io: Io, dataDir: string | undefined, json: boolean): Promise<void> {
  if (!dataDir) throw new CliError('usage: casebook doctor --data DIR [--json]', 2);
  const dir = resolve(dataDir);
  const report = await examineStore(dir, await cliProtection(io, dir));
  if (json) io.out(JSON.stringify(report, null, 2));
  else {
    io.out(`${report.path}: ${report.encrypted ? 'encrypted' : 'not encrypted'}, schema ${report.schemaVersion ?? 'unreadable'}`);
    for (const line of report.integrity) io.out(`  damaged: ${line}`);
    for (const t of report.damagedTasks) {
      io.out(`  task "${t.taskId}" of bundle "${t.bundleId}" (v${t.bundleVersion}${t.table === 'task_revisions' ? ', a kept older version' : ''}): content no longer matches its signed SHA-256`);
    }
    if (report.ok) io.out('  no damage found');
  }
  if (!report.ok) throw new CliError(`${report.path}: damage found. ${report.advice}`);
}

export async function backup(io: Io, dataDir: string | undefined, out: string | undefined): Promise<void> {
  if (!dataDir || !out) throw new CliError('usage: casebook backup --data DIR --out FILE', 2);
  const dir = resolve(dataDir);
  const header = await backupStore(dir, await cliProtection(io, dir), resolve(out), APP_VERSION);
  io.out(`backed up ${dir} (schema ${header.schemaVersion}, ${header.storeBytes} bytes, encrypted) to ${resolve(out)}`);
  io.err('The backup opens with this workstation’s passphrase; keep the two apart.');
}

export async function restore(io: Io, file: string | undefined, dataDir: string | undefined): Promise<void> {
  if (!file || !dataDir) throw new CliError('usage: casebook restore FILE --data DIR', 2);
  const dir = resolve(dataDir);
  let passphrase = process.env.CASEBOOK_PASSPHRASE;
  if (!passphrase && canPrompt()) passphrase = await askSecret(`Passphrase of the workstation ${resolve(file)} was made from: `);
  if (!passphrase) throw new CliError('a backup opens with the passphrase of the workstation it came from: set CASEBOOK_PASSPHRASE, or run this in a terminal.');
  const protection = { kind: 'passphrase' as const, passphrase };
  const header = await restoreStore(resolve(file), dir, protection);
  // Opening it once migrates an older backup forward and proves it opens.
  const core = await Core.open({ dataDir: dir, host: 'web', protection });
  const schema = core.ctx.db.pragma('user_version', { simple: true }) as number;
  await core.close();
  io.out(`restored ${resolve(file)} (made ${header.createdAt} by Casebook ${header.appVersion}, schema ${header.schemaVersion}) into ${dir}${schema > header.schemaVersion ? `, migrated to schema ${schema}` : ''}`);
}
