import { z } from 'zod';
import { BATCH_MEDIA_TYPE } from '../shared/domain/index.ts';
import {
  BundleListing,
  BundleParams,
  BundleStored,
  ConflictView,
  DeviceParams,
  DeviceView,
  EnrolRequest,
  EnrolResponse,
  ExportLine,
  ExportQuery,
  Health,
  ProgressRow,
  ReviewBatches,
  ReviewBatchesQuery,
  ReviewDevice,
  Revoked,
  SyncErrorBody,
  TokenRequest,
  TokenResponse,
} from '../shared/sync/wire.ts';

/**
 * Every route of the sync server, described once. The app registers handlers against these
 * entries and parses requests with these schemas; the OpenAPI document is generated from them.
 */
export interface RouteSpec {
  id: string;
  method: 'GET' | 'POST' | 'PUT';
  url: string;
  summary: string;
  auth: 'none' | 'admin' | 'signed-batch' | 'device';
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: { mediaType: string; schema?: z.ZodType; description: string };
  responses: Record<number, { description: string; mediaType?: string; schema?: z.ZodType }>;
}

const err = (description: string) => ({ description, schema: SyncErrorBody });
const RECEIPT = { description: 'The signed receipt (DSSE envelope JSON): the same bytes on every replay', mediaType: 'application/vnd.casebook.receipt+json' };

export const ROUTES: RouteSpec[] = [
  { id: 'health', method: 'GET', url: '/v1/health', summary: 'Liveness, version and the id of the key that signs receipts.', auth: 'none', responses: { 200: { description: 'up', schema: Health } } },
  {
    id: 'enrol',
    method: 'POST',
    url: '/v1/enrol',
    summary: "Registers a device key with a one-time enrolment token issued by an admin. The device is enrolled for the token's user, name and role, which the answer names.",
    auth: 'none',
    body: { mediaType: 'application/json', schema: EnrolRequest, description: 'public key and a proof signed by it' },
    responses: { 200: { description: 'enrolled', schema: EnrolResponse }, 400: err('malformed request or bad proof'), 403: err('token unknown, used, expired or bound to no user (token_invalid); the proof claims a user, name or role the token does not grant (token_mismatch); or the device id is taken (device_exists)') },
  },
  {
    id: 'pushBatch',
    method: 'POST',
    url: '/v1/batches',
    summary: 'Submits one signed batch (the exact bytes of the batch file). Acknowledged only after a durable commit.',
    auth: 'signed-batch',
    body: { mediaType: BATCH_MEDIA_TYPE, description: 'DSSE envelope JSON over a casebook.batch/1 payload' },
    responses: {
      200: RECEIPT,
      400: err('bad signature or invalid batch content'),
      403: err('unknown or revoked key, or records of someone else'),
      409: err('conflict (same seq, different bytes), chain mismatch, or gap (expectedSeq says what to send)'),
      413: err('batch too large'),
      429: err('rate limited; retry after the Retry-After header'),
    },
  },
  {
    id: 'createEnrolToken',
    method: 'POST',
    url: '/v1/admin/enrol-tokens',
    summary: 'Issues a one-time enrolment token for one user, under one display name, in one role.',
    auth: 'admin',
    body: { mediaType: 'application/json', schema: TokenRequest, description: 'the user id, display name and role the token enrols; label and lifetime' },
    responses: { 200: { description: 'the token, shown once', schema: TokenResponse }, 401: err('admin token missing or wrong') },
  },
  { id: 'listDevices', method: 'GET', url: '/v1/admin/devices', summary: 'Enrolled devices.', auth: 'admin', responses: { 200: { description: 'devices', schema: z.array(DeviceView) }, 401: err('not an admin') } },
  {
    id: 'revokeDevice',
    method: 'POST',
    url: '/v1/admin/devices/:deviceId/revoke',
    summary: 'Revokes a device: its key is refused from now on.',
    auth: 'admin',
    params: DeviceParams,
    responses: { 200: { description: 'revoked', schema: Revoked }, 401: err('not an admin') },
  },
  { id: 'listConflicts', method: 'GET', url: '/v1/admin/conflicts', summary: 'Refused batches recorded as conflicts.', auth: 'admin', responses: { 200: { description: 'conflicts', schema: z.array(ConflictView) }, 401: err('not an admin') } },
  { id: 'progress', method: 'GET', url: '/v1/admin/progress', summary: 'Accepted work per annotator and bundle.', auth: 'admin', responses: { 200: { description: 'progress', schema: z.array(ProgressRow) }, 401: err('not an admin') } },
  {
    id: 'exportRecords',
    method: 'GET',
    url: '/v1/admin/export',
    summary: 'Accepted records with provenance, as JSON lines, paged by cursor.',
    auth: 'admin',
    query: ExportQuery,
    responses: { 200: { description: 'one ExportLine per line', mediaType: 'application/x-ndjson', schema: ExportLine }, 401: err('not an admin') },
  },
  {
    id: 'uploadBundle',
    method: 'PUT',
    url: '/v1/admin/bundles/:bundleId/:version',
    summary: 'Stores a signed bundle file for distribution. A lower version, or the same version with other bytes, is refused.',
    auth: 'admin',
    params: BundleParams,
    body: { mediaType: 'application/octet-stream', description: 'the .cbundle file' },
    responses: { 200: { description: 'stored or already present', schema: BundleStored }, 409: err('rollback or changed content'), 401: err('not an admin') },
  },
  {
    id: 'deviceListBundles',
    method: 'GET',
    url: '/v1/device/bundles',
    summary: 'Pull: the latest version of each bundle held for distribution, for an enrolled device.',
    auth: 'device',
    responses: { 200: { description: 'bundles', schema: z.array(BundleListing) }, 401: err('not a signed request from an enrolled, unrevoked device') },
  },
  {
    id: 'deviceGetBundle',
    method: 'GET',
    url: '/v1/device/bundles/:bundleId/:version',
    summary: 'Pull: one bundle file. The workstation verifies it against its own trusted keys before importing.',
    auth: 'device',
    params: BundleParams,
    responses: { 200: { description: 'the .cbundle file', mediaType: 'application/octet-stream' }, 404: err('no such bundle version'), 401: err('not an enrolled device') },
  },
  {
    id: 'reviewDevices',
    method: 'GET',
    url: '/v1/review/devices',
    summary: "For reviewers: enrolled devices and their public keys, so a reviewer's workstation can verify their batches itself (also when they arrive by hand).",
    auth: 'device',
    responses: { 200: { description: 'devices with keys', schema: z.array(ReviewDevice) }, 403: err('the device is not a reviewer'), 401: err('not an enrolled device') },
  },
  {
    id: 'reviewBatches',
    method: 'GET',
    url: '/v1/review/batches',
    summary: "For reviewers: one device's accepted batches after a seq, as the exact signed bytes.",
    auth: 'device',
    query: ReviewBatchesQuery,
    responses: { 200: { description: 'batches', schema: ReviewBatches }, 403: err('the device is not a reviewer'), 401: err('not an enrolled device') },
  },
  {
    id: 'decisionDevices',
    method: 'GET',
    url: '/v1/device/decisions/devices',
    summary: "Reviewers' and admins' devices and their public keys, so any workstation can verify the signed decisions that reach it.",
    auth: 'device',
    responses: { 200: { description: 'reviewer devices with keys', schema: z.array(ReviewDevice) }, 401: err('not an enrolled device') },
  },
  {
    id: 'decisionBatches',
    method: 'GET',
    url: '/v1/device/decisions/batches',
    summary: "One reviewer device's accepted batches after a seq (adjudications travel back to their authors), as the exact signed bytes.",
    auth: 'device',
    query: ReviewBatchesQuery,
    responses: { 200: { description: 'batches', schema: ReviewBatches }, 403: err('the device named is not a reviewer’s'), 401: err('not an enrolled device') },
  },
  { id: 'listBundles', method: 'GET', url: '/v1/admin/bundles', summary: 'Bundles held for distribution.', auth: 'admin', responses: { 200: { description: 'bundles', schema: z.array(BundleListing) }, 401: err('not an admin') } },
];

/** OpenAPI 3.1 generated from ROUTES, so the document cannot drift from what is parsed. */
export function openApiDocument(version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const js = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' });
  for (const r of ROUTES) {
    const path = r.url.replace(/:([A-Za-z]+)/g, '{$1}');
    const parameters = [
      ...Object.keys(r.params?.shape ?? {}).map((name) => ({ name, in: 'path', required: true, schema: js(r.params!.shape[name] as z.ZodType) })),
      ...Object.keys(r.query?.shape ?? {}).map((name) => ({ name, in: 'query', required: false, schema: js(r.query!.shape[name] as z.ZodType) })),
    ];
    paths[path] = {
      ...paths[path],
      [r.method.toLowerCase()]: {
        operationId: r.id,
        summary: r.summary,
        ...(r.auth === 'admin' ? { security: [{ adminToken: [] }] } : r.auth === 'device' ? { security: [{ deviceSignature: [] }] } : {}),
        ...(parameters.length ? { parameters } : {}),
        ...(r.body
          ? { requestBody: { required: true, description: r.body.description, content: { [r.body.mediaType]: r.body.schema ? { schema: js(r.body.schema) } : {} } } }
          : {}),
        responses: Object.fromEntries(
          Object.entries(r.responses).map(([code, res]) => [
            code,
            { description: res.description, content: { [res.mediaType ?? 'application/json']: res.schema ? { schema: js(res.schema) } : {} } },
          ]),
        ),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Casebook sync server', version, description: 'Signed, hash-chained batches from enrolled devices. See docs/sync.md.' },
    components: {
      securitySchemes: {
        adminToken: { type: 'http', scheme: 'bearer', description: 'the admin token from `casebook server init`' },
        deviceSignature: {
          type: 'apiKey',
          in: 'header',
          name: 'x-casebook-signature',
          description: 'Ed25519 signature by the enrolled device key over "casebook-request/1\\nMETHOD\\nPATH?QUERY\\nTIME", with x-casebook-device and x-casebook-time headers',
        },
      },
    },
    paths,
  };
}
