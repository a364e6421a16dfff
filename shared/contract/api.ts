import { z } from 'zod';
import { AnnotationContent, Annotation, Id, Role, TaskKind } from '../domain/index.ts';
import { Severity } from '../domain/index.ts';
import {
  AssumptionHit,
  BundleDetail,
  BundleSummary,
  EscalationItem,
  IdentityView,
  LockView,
  PublicTaskView,
  QueueItem,
  QueueStatus,
  StatusCounts,
  SyncStatus,
  TaskView,
} from './views.ts';
import {
  BuildResultView,
  BundleVersionView,
  FlaggedAnnotationView,
  ImportResultView,
  ProblemView,
  PublicKeyInput,
  PublishResultView,
  ReviewFlaggedItem,
  SourceRequest,
  TrustedKeyView,
} from './bundle-views.ts';
import {
  AdjudicationDraftView,
  AdjudicationInput,
  BatchFileResult,
  BulkAcceptItem,
  FinalView,
  ReviewAnnotator,
  ReviewQueueItem,
  ReviewQueueRequest,
  ReviewTaskView,
} from './review-views.ts';
import { Adjudication } from '../domain/index.ts';
import { CandidateRef, CandidateView, DeriveRequest, DeriveView, ExportRequest, ExportSummaryView } from './export-views.ts';
import { GoldFeedbackView, InsightDrillInput, InsightDrillView, InsightFilterInput, InsightReportView } from './insight-views.ts';

/**
 * The one contract between the UI and the core. The preload bridge, the renderer's client
 * and the core's dispatcher are all derived from this object; every request entering the
 * core is parsed with its schema first.
 */
/**
 * How a method holds the core's single writer (the call queue, `exclusive`):
 * - `writer`: the whole call runs as one turn on the queue (most calls: short store work);
 * - `job`: a long job (import, build): it runs outside the queue, takes a turn for each short
 *   store step, and reports job.progress events under the job id its response carries;
 * - `self`: waits on the network or on files and takes a turn around each store step itself
 *   (none at all for work on files only, such as validating a bundle source).
 * The core decides from this alone which calls it queues.
 */
export type Lock = 'writer' | 'job' | 'self';

function method<Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res, doc: string, lock: Lock = 'writer') {
  return { request, response, doc, lock };
}

/**
 * A job's id, chosen by the caller so that it can follow the job's progress events from the
 * first one; made by the core when absent. The response names it either way.
 */
const JobId = z.uuid();

const BundleRef = z.strictObject({ bundleId: Id });
const TaskRef = z.strictObject({ bundleId: Id, taskId: Id });
/** Active time accrued in the UI since the last call (ms); capped so a bad client cannot inflate it. */
const ActiveDelta = z.number().int().min(0).max(10 * 60 * 1000);

export const api = {
  'app.info': method(
    z.strictObject({}),
    z.object({ version: z.string(), host: z.enum(['electron', 'web']), dataDir: z.string(), encrypted: z.boolean(), lock: LockView }),
    'Version of the app, which host runs the core, whether the store is encrypted, and the lock state.',
  ),
  'app.lock': method(z.strictObject({}), LockView, 'Locks the workstation now (the UI also calls it after the idle time): every other call answers `locked` until app.unlock.'),
  'app.unlock': method(
    z.strictObject({ passphrase: z.string().max(1024).optional() }),
    LockView,
    'Unlocks with the passphrase, or with the OS session where the OS keychain protects the store.',
    // The passphrase's scrypt takes about a second and touches no store: no turn of the writer.
    'self',
  ),
  'identity.get': method(z.strictObject({}), IdentityView.nullable(), 'The user and device of this workstation, or null before first-run setup.'),
  'identity.setup': method(
    z.strictObject({ displayName: z.string().trim().min(1, 'Enter your name').max(120), role: Role }),
    IdentityView,
    'First-run setup: records who the user is and creates the device key pair.',
  ),
  'bundles.list': method(z.strictObject({}), z.array(BundleSummary), 'Installed bundles with progress counts for this user.'),
  'bundles.get': method(BundleRef, BundleDetail, 'One bundle with its guidelines, rubric and taxonomy.'),
  'queue.list': method(
    z.strictObject({
      bundleId: Id,
      status: QueueStatus.default('all'),
      kind: TaskKind.optional(),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(500).default(100),
    }),
    z.object({ items: z.array(QueueItem), total: z.number().int(), counts: StatusCounts }),
    "A page of the bundle's queue for this user, in bundle order, filtered by status.",
  ),
  'tasks.open': method(TaskRef, TaskView, 'A task as this annotator sees it, with their draft or latest submission.'),
  'tasks.goldFeedback': method(
    TaskRef,
    GoldFeedbackView,
    "On a gold (calibration) item the annotator has submitted: the reference answer beside theirs, unless the bundle turns calibration feedback off. Never before submission.",
  ),
  'tasks.next': method(
    z.strictObject({
      bundleId: Id,
      afterTaskId: Id.optional(),
      status: QueueStatus.default('todo'),
      direction: z.enum(['forward', 'backward']).default('forward'),
    }),
    z.object({ taskId: Id.nullable() }),
    'The next (or previous) task from the given one in bundle order, wrapping round, whose status matches; null when none is left.',
  ),
  'annotations.saveDraft': method(
    z.strictObject({ bundleId: Id, taskId: Id, content: AnnotationContent, activeMsDelta: ActiveDelta.default(0) }),
    Annotation,
    'Autosave: creates or updates the open draft. Never touches a submitted revision.',
  ),
  'annotations.submit': method(
    z.strictObject({ bundleId: Id, taskId: Id, content: AnnotationContent, activeMsDelta: ActiveDelta.default(0) }),
    Annotation,
    'Validates the content against the rubric and bundle rules and submits the draft as an immutable revision.',
  ),
  'annotations.revise': method(TaskRef, Annotation, 'Opens a new draft revision of a submitted annotation, starting from its content.'),
  'annotations.discardDraft': method(TaskRef, z.object({ discarded: z.boolean() }), 'Drops the open draft revision; submitted revisions stay.'),
  'annotations.history': method(TaskRef, z.array(Annotation), 'Every revision this user made of this task, oldest first.'),
  'reviews.escalations': method(
    z.strictObject({ bundleId: Id.optional(), minSeverity: Severity.optional() }),
    z.array(EscalationItem),
    "The reviewers' escalation queue: every escalation on the latest submitted revisions, most severe first. Reviewers and admins only.",
  ),
  'insight.dashboard': method(
    z.strictObject({ filter: InsightFilterInput.default({}), seed: z.number().int().min(0).max(0xffffffff).optional() }),
    InsightReportView,
    'Agreement, calibration, bias, drift, judges and failure modes on all work this workstation holds (shared/insight), with flags as sentences. Reviewers and admins only. Reads the store in turns.',
    'self',
  ),
  'insight.tasks': method(
    z.strictObject({ filter: InsightFilterInput.default({}), drill: InsightDrillInput, limit: z.number().int().min(1).max(2000).default(200) }),
    InsightDrillView,
    'The tasks behind a dashboard figure or flag: where the annotators (or a pair, or one against the others, or a judge) disagree, a position-biased choice, a missed gold item. Reviewers and admins only.',
    'self',
  ),
  'reviews.flagged': method(
    z.strictObject({
      bundleId: Id.optional(),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(500).default(200),
    }),
    z.object({ items: z.array(ReviewFlaggedItem), total: z.number().int() }),
    "Every annotator's work, across all bundles (or one), kept across a bundle update that changed the task's content and not yet revised: newest flags first. Reviewers and admins only.",
  ),
  'reviews.work': method(
    z.strictObject({ bundleId: Id, taskId: Id, annotatorId: z.string().min(1).max(200) }),
    TaskView.extend({ taskChanged: z.boolean() }),
    "One annotator's latest submitted work on a task (local or received), as they saw the task, to be shown read-only; taskChanged when a bundle update changed the task since. Reviewers and admins only.",
  ),
  'reviews.queue': method(
    ReviewQueueRequest,
    z.object({ items: z.array(ReviewQueueItem), total: z.number().int(), totalCapped: z.boolean() }),
    'The disagreement queue: tasks with two or more annotators\' submitted work, most disagreement first (then bundle order), filtered and paged; total is exact up to 1000, past which it is 1000 and totalCapped is true. Reviewers and admins only.',
  ),
  'reviews.annotators': method(
    z.strictObject({ bundleId: Id }),
    z.object({ annotators: z.array(ReviewAnnotator) }),
    "The annotators whose work on the bundle's current content this workstation holds (local or received), by name, with how many tasks each worked on: the choices of the disagreement queue's annotator filter. Reviewers and admins only.",
  ),
  'reviews.task': method(
    z.strictObject({ bundleId: Id, taskId: Id, blind: z.boolean().default(false) }),
    ReviewTaskView,
    "Every annotator's latest work on a task side by side (names hidden when blind), their assumptions and escalations, the decision in force and the reviewer's draft, whether the decision is stale, and a re-merge proposal. Reviewers and admins only.",
  ),
  'reviews.bulkAcceptPreview': method(
    z.strictObject({ bundleId: Id, kind: TaskKind.optional(), offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(1000).default(200) }),
    z.object({ items: z.array(BulkAcceptItem), total: z.number().int() }),
    'Tasks whose annotators all gave the same answer, with no open escalation and no current decision: what reviews.bulkAccept would accept.',
  ),
  'reviews.bulkAccept': method(
    z.strictObject({
      bundleId: Id,
      taskIds: z.array(Id).min(1, 'Choose at least one task').max(1000),
      rationale: z.string().trim().min(1).max(2000).default('Unanimous: every annotator gave this answer.'),
    }),
    z.object({ accepted: z.array(Id), skipped: z.array(z.object({ taskId: Id, reason: z.string() })) }),
    'Accepts the unanimous answer of each task as its decision (checked again for each task: a task no longer unanimous is skipped, saying why).',
  ),
  'reviews.importBatchFiles': method(
    z.strictObject({ files: z.array(z.string().min(1).max(4096)).min(1, 'Choose at least one batch file').max(10_000), jobId: z.uuid().optional() }),
    z.object({ jobId: z.uuid(), results: z.array(BatchFileResult), kept: z.number().int(), refused: z.number().int() }),
    "Imports batch files (another annotator's work, carried by hand), reporting job.progress per file. Each file is verified with the server's rule; a refused file says why and nothing from it is kept.",
    'job',
  ),
  'reviews.pull': method(
    z.strictObject({ jobId: z.uuid().optional() }),
    z.object({ jobId: z.uuid(), devices: z.number().int(), received: z.number().int(), failed: z.array(z.object({ deviceId: z.string(), seq: z.number().int(), message: z.string() })) }),
    "Fetches other devices' accepted batches from the server as a job with progress, each verified on this workstation.",
    'job',
  ),
  'adjudications.saveDraft': method(AdjudicationInput, AdjudicationDraftView, "Saves the reviewer's unfinished decision on a task (autosave)."),
  'adjudications.submit': method(
    AdjudicationInput,
    Adjudication,
    'Signs off a decision: checked against the submission rules (complete, final), recorded as the next revision of the task\'s decision, queued for sync. Resolves the named escalations.',
  ),
  'adjudications.discardDraft': method(TaskRef, z.object({ discarded: z.boolean() }), "Drops the reviewer's draft decision on a task."),
  'tasks.final': method(TaskRef, FinalView, "The author's own latest answer beside the final (adjudicated) answer and the reviewer's rationale, once the decision has reached this workstation."),
  'assumptions.search': method(
    z.strictObject({ bundleId: Id, query: z.string().max(200).default(''), category: Id.optional(), limit: z.number().int().min(1).max(500).default(100) }),
    z.object({ hits: z.array(AssumptionHit), total: z.number().int() }),
    'Assumptions recorded on the latest revisions across a bundle, matching words of the query (all of them, any order, case-insensitive).',
  ),

  'assumptions.markCandidate': method(CandidateRef, CandidateView, 'Marks an assumption from the search as a guideline candidate (its text as read now); `bundle derive` adds candidates to the next version\'s guidelines as a draft section.'),
  'assumptions.unmarkCandidate': method(CandidateRef, z.object({ unmarked: z.boolean() }), 'Removes a guideline candidate.'),
  'assumptions.candidates': method(BundleRef, z.array(CandidateView), "A bundle's guideline candidates, oldest mark first."),
  'export.run': method(
    ExportRequest.extend({ jobId: JobId.optional() }),
    ExportSummaryView.extend({ jobId: JobId }),
    'Exports everything this workstation holds (local and received work) as training data into a new folder, with a signed manifest and a dataset card, reporting job.progress events (tasks read); the response says what was included and why.',
    'job',
  ),
  'admin.deriveBundle': method(
    DeriveRequest.extend({ jobId: JobId.optional() }),
    DeriveView.extend({ jobId: JobId }),
    "Writes the source folder of a bundle's next version: its tasks, an exemplar task per documented failure (steps judged error or unsafe, both responses unacceptable, drafts scored low) linked to its annotations, and the guideline candidates as a draft section.",
    'job',
  ),

  'bundles.importFile': method(
    z.strictObject({ path: z.string().min(1).max(4096), jobId: JobId.optional() }),
    ImportResultView.extend({ jobId: JobId }),
    'Verifies and imports a bundle file (all or nothing), reporting job.progress events; other calls keep running meanwhile.',
    'job',
  ),
  'bundles.versions': method(BundleRef, z.array(BundleVersionView), 'Every version of a bundle installed on this workstation, newest first.'),
  'bundles.flagged': method(
    BundleRef,
    z.array(FlaggedAnnotationView),
    "This user's annotations on tasks whose content changed in a later bundle version: kept, but to be looked at again.",
  ),
  'trust.list': method(z.strictObject({}), z.array(TrustedKeyView), 'The org keys this workstation accepts bundles from.'),
  'trust.add': method(
    z.strictObject({ jwk: PublicKeyInput, label: z.string().trim().min(1).max(200), bundlePrefix: z.string().min(1).max(128).nullable().default(null) }),
    TrustedKeyView,
    'Trusts an org key (compare its fingerprint with the admin first).',
  ),
  'trust.remove': method(
    z.strictObject({ key: z.string().min(1).max(200) }),
    TrustedKeyView,
    'Stops trusting a key, named by key id or fingerprint. Installed bundles stay.',
  ),
  'trust.rotate': method(
    z.strictObject({ statement: z.string().min(1).max(64 * 1024) }),
    TrustedKeyView,
    'Applies a key rotation statement signed by a trusted key and its successor: the successor replaces it.',
  ),

  'admin.validateSource': method(
    SourceRequest.extend({ previewCount: z.number().int().min(0).max(50).default(5) }),
    z.object({
      /** Every problem found (up to a cap), each with file, line and field. Empty = ready to sign. */
      problems: z.array(ProblemView),
      truncated: z.boolean(),
      bundle: z.object({ id: Id, version: z.number().int(), title: z.string() }).nullable(),
      taskCount: z.number().int(),
      taskCounts: z.record(TaskKind, z.number().int()),
      goldCount: z.number().int(),
      /** The first tasks as annotators will see them (gold removed, models hidden unless allowed). */
      preview: z.array(PublicTaskView),
      /** What the task views need to show the preview as annotators will: null when a settings file does not parse. */
      previewSettings: BundleDetail.pick({ guidelines: true, rubric: true, taxonomy: true, showModelNames: true, rationale: true, allowEscalationWithoutAnswer: true }).nullable(),
    }),
    'Validates a bundle source (folder, or JSONL/CSV with a mapping) without writing anything.',
    'self',
  ),
  'admin.buildBundle': method(
    SourceRequest.extend({
      keyFile: z.string().min(1).max(4096),
      // Only ever a .cbundle: the UI cannot be used to overwrite arbitrary files with zip bytes.
      outFile: z.string().min(1).max(4096).regex(/\.cbundle$/, 'the bundle file name must end in .cbundle'),
      jobId: JobId.optional(),
    }),
    BuildResultView.extend({ jobId: JobId }),
    'Validates, signs with the key file and writes the bundle, reporting job.progress events. Nothing is written if any problem is found.',
    'job',
  ),
  'admin.publishBundle': method(
    z.strictObject({
      file: z.string().min(1, 'Choose a bundle file').max(4096).regex(/\.cbundle$/, 'Choose a .cbundle file'),
      serverUrl: z.string().trim().min(1, 'Enter the server address').max(2000),
      adminToken: z.string().trim().min(1, "Paste the server's admin token").max(200),
    }),
    PublishResultView,
    "Uploads a built bundle to the sync server, where workstations' \"Check for new bundles\" finds it. A lower version, or the same version with other content, is refused.",
    // Files and the network only: an upload never holds the writer.
    'self',
  ),
  'sync.status': method(z.strictObject({}), SyncStatus, 'Enrolment, online state, outbox size, last success, errors in plain words, refused batches, progress.'),
  'sync.enrol': method(
    z.strictObject({
      serverUrl: z.string().trim().min(1, 'Enter the server address').max(2000),
      token: z.string().trim().min(16, 'Paste the whole enrolment token from your admin').max(200),
    }),
    SyncStatus,
    "Registers this device's key with the sync server using a one-time token from an admin.",
    'self',
  ),
  'sync.now': method(z.strictObject({}), SyncStatus, 'Starts sealing, signing and sending the outbox (returns at once; follow sync.changed and job.progress events).'),
  'sync.retryRefused': method(z.strictObject({}), SyncStatus, 'A deliberate retry of batches the server refused (after the cause was fixed). Never automatic.', 'self'),
  'sync.pull': method(
    z.strictObject({}),
    z.object({
      imported: z.array(z.object({ bundleId: Id, version: z.number().int() })),
      failed: z.array(z.object({ bundleId: Id, version: z.number().int(), message: z.string() })),
    }),
    'Downloads bundle versions newer than those installed and imports them, each verified against this workstation’s trusted keys.',
    'self',
  ),
  'sync.pullReviews': method(
    z.strictObject({}),
    z.object({
      devices: z.number().int(),
      received: z.number().int(),
      failed: z.array(z.object({ deviceId: z.string(), seq: z.number().int(), message: z.string() })),
    }),
    "For reviewers: fetch other annotators' accepted batches from the server, each verified on this workstation.",
    'self',
  ),
  'sync.importBatches': method(
    z.strictObject({ files: z.array(z.string().min(1)).min(1, 'Choose at least one batch file') }),
    z.object({
      results: z.array(
        z.object({ file: z.string(), ok: z.boolean(), message: z.string().optional(), deviceId: z.string().optional(), seq: z.number().int().optional(), duplicate: z.boolean().optional(), expectedSeq: z.number().int().optional() }),
      ),
    }),
    "Imports batch files carried by hand (another annotator's work), with the server's verification rule.",
    'self',
  ),
  'sync.importBatchData': method(
    z.strictObject({
      // Base64 keeps the request JSON; the web host caps a request at 16 MiB, so the UI sends a few files per call.
      files: z.array(z.strictObject({ name: z.string().min(1).max(255), data: z.base64().max(12 * 1024 * 1024) })).min(1, 'Choose at least one batch file').max(100),
      jobId: JobId.optional(),
    }),
    z.object({
      jobId: JobId,
      results: z.array(
        z.object({ file: z.string(), ok: z.boolean(), message: z.string().optional(), deviceId: z.string().optional(), seq: z.number().int().optional(), duplicate: z.boolean().optional(), expectedSeq: z.number().int().optional() }),
      ),
    }),
    "sync.importBatches for files chosen or dropped in the UI (the browser host has no paths): each file's bytes, verified and kept or refused whole, reporting job.progress events.",
    'job',
  ),
  'sync.pullDecisions': method(
    z.strictObject({}),
    z.object({ received: z.number().int(), failed: z.array(z.object({ deviceId: z.string(), seq: z.number().int(), message: z.string() })) }),
    "Fetches reviewers' signed decisions from the server (for 'mine vs final'), each verified on this workstation against the reviewers' enrolled keys.",
    'self',
  ),
  'sync.exportBatches': method(
    z.strictObject({
      outDir: z.string().min(1, 'Choose a folder'),
      fromSeq: z.number().int().min(1).optional(),
      toSeq: z.number().int().min(1).optional(),
    }),
    z.object({ files: z.array(z.string()) }),
    'Writes signed batch files (the same bytes a push sends) to a folder, e.g. a USB stick.',
    'self',
  ),
} as const;

export type Api = typeof api;
export type Method = keyof Api;
export const METHODS = Object.keys(api) as Method[];
export type Request<M extends Method> = z.input<Api[M]['request']>;
export type ParsedRequest<M extends Method> = z.output<Api[M]['request']>;
export type Response<M extends Method> = z.output<Api[M]['response']>;

/** IPC channel name of one method; only these channels are ever registered. */
export const channelOf = (m: Method): string => `casebook:${m}`;
export const EVENT_CHANNEL = 'casebook:event';

export function isMethod(name: string): name is Method {
  return Object.prototype.hasOwnProperty.call(api, name);
}
