import type { ExportFormat } from './options.ts';
import type { ExportSummary } from './manifest.ts';
import { METADATA_PLACEMENT } from './convert.ts';

/** An agreement figure computed elsewhere (the agreement library) and shown on the card. */
export interface AgreementFigure {
  /** What was measured, e.g. "Preference, Krippendorff's α (nominal)". */
  label: string;
  value: number | null;
  /** How many tasks or units it covers. */
  n?: number;
}

export interface CardInput {
  summary: ExportSummary;
  description?: string;
  agreement?: readonly AgreementFigure[];
  /** The key id of the manifest's signer. */
  signerKeyId: string;
}

const TASK_CATEGORY: Record<ExportFormat, string> = {
  sft: 'text-generation',
  'chat-sft': 'text-generation',
  dpo: 'text-generation',
  'chat-preference': 'text-generation',
  kto: 'text-generation',
  // Step-wise labels are one class per step, as TRL's PRM datasets on the Hub declare them.
  prm: 'token-classification',
  full: 'text-generation',
};

const FORMAT_TITLE: Record<ExportFormat, string> = {
  sft: 'Supervised examples (TRL conversational, `messages`)',
  'chat-sft': 'Supervised examples (chat-completions shape, `messages`)',
  dpo: 'Preference pairs (TRL, `prompt`/`chosen`/`rejected`)',
  'chat-preference': 'Preference pairs (`input`/`preferred_output`/`non_preferred_output`)',
  kto: 'Unpaired preferences (TRL, `prompt`/`completion`/`label`)',
  prm: 'Step-wise supervision (TRL, `prompt`/`completions`/`labels`)',
  full: 'Every task with all its records and their provenance',
};

/** The Hugging Face size bucket of a row count. */
export function sizeCategory(n: number): string {
  const bounds: [number, string][] = [
    [1e3, 'n<1K'],
    [1e4, '1K<n<10K'],
    [1e5, '10K<n<100K'],
    [1e6, '100K<n<1M'],
    [1e7, '1M<n<10M'],
    [1e8, '10M<n<100M'],
    [1e9, '100M<n<1B'],
  ];
  for (const [limit, label] of bounds) if (n < limit) return label;
  return 'n>1B';
}

/** YAML scalars are written as JSON strings, which YAML reads exactly (no surprises with ":" or "yes"). */
const q = (s: string) => JSON.stringify(s);

function licenseOf(summary: ExportSummary): { id: string; note: string | null } {
  const licenses = [...new Set(summary.bundles.map((b) => b.license ?? null))];
  if (licenses.length === 1 && licenses[0] !== null) return { id: licenses[0]!, note: null };
  if (licenses.every((l) => l === null)) return { id: 'unknown', note: 'No bundle declares a licence (`license` in bundle.json).' };
  const named = summary.bundles.map((b) => `\`${b.id}\`: ${b.license ?? 'not declared'}`).join('; ');
  return { id: 'other', note: `The bundles carry different licences: ${named}.` };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function fmt(n: number | null, digits = 3): string {
  return n === null ? '—' : n.toFixed(digits);
}

function reasons(r: Record<string, number>): string {
  const entries = Object.entries(r).filter(([, n]) => n > 0);
  return entries.length === 0 ? 'none' : entries.map(([k, n]) => `${k.replaceAll('_', ' ')} ${n}`).join(', ');
}

/**
 * The dataset card (README.md) in the Hugging Face layout: YAML front matter (licence from the
 * bundles, task categories, size category, one config per format with its data file), then
 * counts, agreement, provenance and how the data was made.
 */
export function datasetCard(input: CardInput): string {
  const { summary: s } = input;
  const license = licenseOf(s);
  const largest = Math.max(0, ...s.datasets.map((d) => d.rows));
  const categories = [...new Set(s.datasets.map((d) => TASK_CATEGORY[d.format]))];
  const tags = ['casebook', 'human-feedback', ...s.datasets.map((d) => d.format)];
  const yaml = [
    '---',
    `pretty_name: ${q(s.title)}`,
    `license: ${q(license.id)}`,
    'task_categories:',
    ...categories.map((c) => `  - ${q(c)}`),
    'size_categories:',
    `  - ${q(sizeCategory(largest))}`,
    'tags:',
    ...tags.map((t) => `  - ${q(t)}`),
    'configs:',
    ...s.datasets.flatMap((d, i) => [
      `  - config_name: ${q(d.format)}`,
      ...(i === 0 ? ['    default: true'] : []),
      '    data_files:',
      '      - split: "train"',
      `        path: ${q(d.parquet ?? d.data)}`,
    ]),
    '---',
  ];
  const o = s.options;
  const f = o.filters;
  const body = [
    `# ${s.title}`,
    '',
    ...(input.description ? [input.description, ''] : []),
    `Exported by ${s.generator} on ${s.createdAt}, from the judgements of domain experts recorded in Casebook.`,
    '',
    '## Contents',
    '',
    '| config | what | rows | files | row ids and sources |',
    '| --- | --- | --- | --- | --- |',
    ...s.datasets.map((d) => {
      const files = [d.data, d.side, d.parquet].filter((x): x is string => x !== null).map((x) => `\`${x}\``).join(', ');
      const where = METADATA_PLACEMENT[d.format] === 'side-file' ? `side file \`${d.side ?? ''}\` (line N describes line N)` : d.format === 'full' ? '`id` on each line' : '`metadata` column';
      return `| ${d.format} | ${FORMAT_TITLE[d.format]}${d.conversational ? ', conversational form' : ''} | ${d.rows} | ${files} | ${where} |`;
    }),
    '',
    '## How it was made',
    '',
    `- **Answer per task**: an adjudication in force always wins; otherwise policy \`${o.policy}\`.`,
    `- **Rankings to pairs**: \`${o.pairing}\`; tied responses and "both unacceptable" never become pairs.`,
    `- **Step labels (prm)**: good → true, error and unsafe → false, unnecessary → ${o.prm.unnecessary}; steps after the first false step ${o.prm.afterFirstError === 'drop' ? 'are left out' : 'are labelled false'}.`,
    `- **Filters**: ${[
      f.bundles ? `bundles ${f.bundles.join(', ')}` : null,
      f.versions ? `bundle versions ${f.versions.join(', ')}` : null,
      f.kinds ? `kinds ${f.kinds.join(', ')}` : null,
      f.minAgreement !== undefined ? `agreement ≥ ${f.minAgreement}` : null,
      f.includeGold ? 'calibration (gold) items included' : 'calibration (gold) items left out',
      f.includeEscalated ? 'tasks with open escalations included' : 'tasks with open escalations left out',
      f.currentModelOnly ? "only rows from each bundle's current model version" : null,
      o.fromTrajectories ? 'rows from corrected trajectory steps included' : null,
    ]
      .filter(Boolean)
      .join('; ')}.`,
    `- **Tasks**: ${s.units.seen} seen, ${s.units.selected} with an answer; left out: ${reasons(s.units.excluded)}.`,
    ...s.datasets.map((d) => `- **${d.format}**: ${plural(d.rows, 'row')}; answers without rows: ${reasons(d.noRows)}; rows on responses from an older model version: ${d.staleRows}${f.currentModelOnly ? `; left out as not from the current model: ${d.modelDropped}` : ''}.`),
    '',
    '## Agreement',
    '',
    ...(input.agreement && input.agreement.length > 0
      ? ['| measure | value | n |', '| --- | --- | --- |', ...input.agreement.map((a) => `| ${a.label} | ${fmt(a.value)} | ${a.n ?? '—'} |`), '']
      : []),
    `Per-task agreement over the ${s.units.agreement.tasks} exported tasks that have a figure: mean ${fmt(s.units.agreement.mean)}, lowest ${fmt(s.units.agreement.min)}.`,
    '',
    '## Provenance',
    '',
    '| bundle | versions | licence | current model |',
    '| --- | --- | --- | --- |',
    ...s.bundles.map((b) => `| \`${b.id}\` | ${b.versions.join(', ')} | ${b.license ?? 'not declared'} | ${b.currentModel ? `${b.currentModel.name ? `${b.currentModel.name} ` : ''}${b.currentModel.version}` : 'not declared'} |`),
    '',
    `${plural(s.sources.records, 'annotation or adjudication record', 'annotation and adjudication records')} from ${plural(s.sources.batches.length, 'signed batch', 'signed batches')}${s.sources.unsealedRecords > 0 ? ` (${s.sources.unsealedRecords} records were local work not yet sealed into a batch)` : ''}. Each row names the records it came from; \`full\` has every record with its annotator, device, batch and the task's content hash.`,
    '',
    `\`manifest.dsse.json\` is a DSSE envelope (payload type \`application/vnd.casebook.export-manifest+json\`) signed with Ed25519 key \`${input.signerKeyId}\`. It lists the size and SHA-256 of every file here, this card included, with the options and counts above: verify the signature against the exporter's public key, then every file's hash.`,
    ...(license.note ? ['', `Licence: ${license.note}`] : []),
    '',
  ];
  return [...yaml, '', ...body].join('\n');
}
