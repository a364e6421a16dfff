/**
 * The pure part of "trust the key that signed this bundle": the prefix offered by default and
 * the CLI command that does the same, so the admin learns the scriptable way while fixing it here.
 */

/** "acme.dosing" → "acme.": the organisation part of the id, so the key vouches for that org's bundles only. */
export function defaultPrefix(bundleId: string): string {
  const dot = bundleId.indexOf('.');
  return dot > 0 ? bundleId.slice(0, dot + 1) : bundleId;
}

/** POSIX shell quoting: bare when safe, else single quotes (with embedded quotes escaped). */
export function shellQuote(arg: string): string {
  if (/^[A-Za-z0-9_./:=@%+-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export interface TrustCommand {
  keyFile: string;
  dataDir: string;
  label: string;
  /** null: any bundle id. */
  prefix: string | null;
}

/**
 * The command as the README says to run it from the project folder. `trust add` takes the private
 * key file too (it keeps only the public half), so the key file the bundle was signed with works.
 */
export function trustCliCommand(c: TrustCommand): string {
  const args = [c.keyFile, '--data', c.dataDir, '--label', c.label];
  if (c.prefix) args.push('--prefix', c.prefix);
  return `npm run -s casebook -- trust add ${args.map(shellQuote).join(' ')}`;
}

/** True when a refused import is the one this offer fixes: the signer is not among the trusted keys. */
export function signerUntrusted(signerKeyId: string, trusted: ReadonlyArray<{ keyId: string }>): boolean {
  return !trusted.some((k) => k.keyId === signerKeyId);
}
