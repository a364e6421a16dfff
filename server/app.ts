import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { BATCH_MEDIA_TYPE, REVIEWER_ROLES } from '../shared/domain/index.ts';
import { BundleParams, DeviceParams, EnrolRequest, ExportQuery, ReviewBatchesQuery, TokenRequest, type BundleListing, type EnrolResponse, type ReviewDevice, type SyncErrorCode } from '../shared/sync/wire.ts';
import { checkEnrolProof } from '../shared/node/enrol-proof.ts';
import { sha256Hex } from '../shared/node/hash.ts';
import { keyId, toPublic, type PrivateJwk } from '../shared/node/keys.ts';
import { acceptBatchBytes } from './accept.ts';
import { DEVICE_HEADER, SIGNATURE_HEADER, TIME_HEADER, verifyRequest } from '../shared/node/request-signature.ts';
import { createEnrolToken, isAdmin } from './admin-auth.ts';
import { RateLimiter } from './rate-limit.ts';
import { ROUTES, openApiDocument, type RouteSpec } from './routes.ts';
import type { DeviceRecord } from './storage/types.ts';
import type { SyncStorage } from './storage/types.ts';

export const SERVER_VERSION = '0.1.0';

export interface AppOptions {
  storage: SyncStorage;
  serverKey: PrivateJwk;
  now?: () => Date;
  /** Largest request body in bytes; a batch of 500 annotations is about 1–2 MB. */
  bodyLimit?: number;
  /** Requests per second per client address, and the burst allowed; 0 disables. */
  rateLimit?: { perSecond: number; burst: number };
  /** pino level, or false for no logs. Logs carry method, route, status and ids — never bodies or tokens. */
  logLevel?: string | false;
  /** Test hook: exit abruptly right after committing this (seq), before answering. */
  crashAfterCommitSeq?: number;
}

type Handler = (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

/** The enrolled device that signed a request, for device-authenticated routes. */
const signedBy = new WeakMap<FastifyRequest, DeviceRecord>();

function requireReviewer(req: FastifyRequest, reply: FastifyReply): boolean {
  const d = signedBy.get(req);
  if (d && REVIEWER_ROLES.includes(d.role)) return true;
  void sendError(reply, 403, 'unauthorized', "only reviewers' devices may read other annotators' work");
  return false;
}

function sendError(reply: FastifyReply, status: number, code: SyncErrorCode, message: string, extra: object = {}) {
  return reply.code(status).send({ error: { code, message, ...extra } });
}

function parseOr400<T>(schema: z.ZodType<T>, value: unknown, where: string, reply: FastifyReply): T | null {
  const r = schema.safeParse(value ?? {});
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => ({ path: [where, ...i.path.map(String)].join('.'), message: i.message }));
  void sendError(reply, 400, 'invalid_request', `${issues[0]!.path}: ${issues[0]!.message}`, { issues });
  return null;
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const { storage, serverKey } = opts;
  const now = opts.now ?? (() => new Date());
  const app = Fastify({
    bodyLimit: opts.bodyLimit ?? 16 * 1024 * 1024,
    connectionTimeout: 60_000,
    requestTimeout: 120_000,
    keepAliveTimeout: 10_000,
    logger:
      opts.logLevel === false
        ? false
        : {
            level: opts.logLevel ?? 'info',
            // Only what an operator needs; headers (Authorization) and bodies are never logged.
            serializers: {
              req: (req: { method: string; routeOptions?: { url?: string }; url: string; ip?: string }) => ({ method: req.method, route: req.routeOptions?.url ?? req.url.split('?')[0], ip: req.ip }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
            },
          },
  });

  // Batches and bundles arrive as exact bytes: the signature covers them, so nothing may re-encode them.
  app.addContentTypeParser([BATCH_MEDIA_TYPE, 'application/octet-stream'], { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  const limiter = opts.rateLimit?.perSecond === 0 ? null : new RateLimiter(opts.rateLimit?.perSecond ?? 50, opts.rateLimit?.burst ?? 200);
  app.addHook('onRequest', async (req, reply) => {
    const wait = limiter?.take(req.ip) ?? 0;
    if (wait > 0) {
      reply.header('retry-after', String(wait));
      return sendError(reply, 429, 'rate_limited', `too many requests; retry in ${wait} s`);
    }
  });
  app.setErrorHandler((error: { statusCode?: number; code?: string; message: string }, req, reply) => {
    if (error.statusCode === 413 || error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendError(reply, 413, 'too_large', 'the request body is larger than this server accepts');
    if (error.statusCode && error.statusCode < 500) return sendError(reply, error.statusCode, 'invalid_request', error.message);
    req.log.error({ err: { message: error.message, code: error.code } }, 'request failed');
    return sendError(reply, 500, 'internal', 'the server failed; nothing was accepted from this request');
  });
  app.setNotFoundHandler((req, reply) => sendError(reply, 404, 'not_found', `no route ${req.method} ${req.url.split('?')[0]}`));

  const serverPublic = toPublic(serverKey);
  const handlers: Record<string, Handler> = {
    health: async () => ({ ok: true, version: SERVER_VERSION, serverKeyId: keyId(serverPublic) }),

    enrol: async (req, reply) => {
      const body = parseOr400(EnrolRequest, req.body, 'body', reply);
      if (!body) return reply;
      const proof = checkEnrolProof(body);
      if (!proof.ok) return sendError(reply, proof.status, proof.code, proof.message, proof.issues ? { issues: proof.issues } : {});
      const { token, deviceId, ...claims } = proof.statement;
      const outcome = await storage.enrol(sha256Hex(token), { deviceId, keyId: keyId(body.publicKey), publicJwk: body.publicKey }, claims, now().toISOString());
      if (outcome.kind !== 'enrolled') return sendError(reply, 403, outcome.kind, outcome.reason);
      req.log.info({ deviceId, role: outcome.binding.role }, 'device enrolled');
      const answer: EnrolResponse = { deviceId, serverPublicKey: serverPublic, lastSeq: outcome.lastSeq, ...outcome.binding };
      return answer;
    },

    pushBatch: async (req, reply) => {
      if (!Buffer.isBuffer(req.body)) return sendError(reply, 400, 'invalid_request', `send the batch file as ${BATCH_MEDIA_TYPE}`);
      const result = await acceptBatchBytes(storage, serverKey, req.body, now);
      if (!result.ok) {
        req.log.warn({ code: result.code, expectedSeq: result.expectedSeq }, 'batch refused');
        return sendError(reply, result.status, result.code, result.message, {
          ...(result.expectedSeq !== undefined ? { expectedSeq: result.expectedSeq } : {}),
          ...(result.issues ? { issues: result.issues } : {}),
        });
      }
      req.log.info({ deviceId: result.deviceId, seq: result.seq, duplicate: result.duplicate }, 'batch accepted');
      if (opts.crashAfterCommitSeq === result.seq && !result.duplicate) process.kill(process.pid, 'SIGKILL');
      return reply.code(200).type('application/vnd.casebook.receipt+json').send(result.receipt);
    },

    createEnrolToken: async (req, reply) => {
      const body = parseOr400(TokenRequest, req.body, 'body', reply);
      if (!body) return reply;
      const { label, ttlHours, ...binding } = body;
      return createEnrolToken(storage, binding, label, now(), ttlHours);
    },
    listDevices: async () => (await storage.listDevices()).map(({ publicJwk: _p, lastHash: _h, ...view }) => view),
    revokeDevice: async (req, reply) => {
      const p = parseOr400(DeviceParams, req.params, 'params', reply);
      if (!p) return reply;
      const revoked = await storage.revokeDevice(p.deviceId, now().toISOString());
      if (revoked) req.log.info({ deviceId: p.deviceId }, 'device revoked');
      return { revoked };
    },
    listConflicts: async () => storage.listConflicts(),
    progress: async () => storage.progress(),
    exportRecords: async (req, reply) => {
      const q = parseOr400(ExportQuery, req.query, 'query', reply);
      if (!q) return reply;
      const rows = await storage.exportRecords(q.after, q.limit);
      const lines = rows.map((r) => `{"cursor":${r.cursor},"kind":${JSON.stringify(r.kind)},"deviceId":${JSON.stringify(r.deviceId)},"acceptedAt":${JSON.stringify(r.acceptedAt)},"record":${r.body}}\n`);
      return reply.type('application/x-ndjson').send(lines.join(''));
    },
    uploadBundle: async (req, reply) => {
      const p = parseOr400(BundleParams, req.params, 'params', reply);
      if (!p) return reply;
      if (!Buffer.isBuffer(req.body) || req.body.length === 0) return sendError(reply, 400, 'invalid_request', 'send the bundle file as application/octet-stream');
      const status = await storage.putBundle(p.bundleId, p.version, sha256Hex(req.body), req.body, now().toISOString());
      if (status === 'refused') return sendError(reply, 409, 'conflict', `bundle ${p.bundleId} already has version ${p.version} or later with other content`);
      return { status };
    },
    listBundles: async () => storage.listBundles(),
    reviewDevices: async (req, reply) => {
      if (!requireReviewer(req, reply)) return reply;
      return (await storage.listDevices()).map((d): ReviewDevice => ({
        deviceId: d.deviceId,
        publicKey: d.publicJwk,
        userId: d.userId,
        displayName: d.displayName,
        role: d.role,
        revokedAt: d.revokedAt,
        lastSeq: d.lastSeq,
      }));
    },
    reviewBatches: async (req, reply) => {
      if (!requireReviewer(req, reply)) return reply;
      const q = parseOr400(ReviewBatchesQuery, req.query, 'query', reply);
      if (!q) return reply;
      const rows = await storage.listBatches({ deviceId: q.deviceId, afterSeq: q.afterSeq, limit: q.limit });
      return { batches: rows.map((b) => ({ deviceId: b.deviceId, seq: b.seq, envelope: b.envelope.toString('utf8') })) };
    },
    // Decisions travel back to their authors: every enrolled device may learn the reviewers'
    // (and admins') keys. Batches are served whole (the signature covers the batch, so a record
    // cut out of one could not be verified), and to an annotator only the batches holding a
    // decision on a task they annotated; reviewer workstations seal each adjudication in a batch
    // of its own (electron/core/sync/seal.ts), so such a batch carries no one else's decision.
    decisionDevices: async () =>
      (await storage.listDevices())
        .filter((d) => REVIEWER_ROLES.includes(d.role))
        .map((d): ReviewDevice => ({ deviceId: d.deviceId, publicKey: d.publicJwk, userId: d.userId, displayName: d.displayName, role: d.role, revokedAt: d.revokedAt, lastSeq: d.lastSeq })),
    decisionBatches: async (req, reply) => {
      const q = parseOr400(ReviewBatchesQuery, req.query, 'query', reply);
      if (!q) return reply;
      const target = await storage.findDevice(q.deviceId);
      if (!target || !REVIEWER_ROLES.includes(target.role)) return sendError(reply, 403, 'role_forbidden', `device ${q.deviceId} is not a reviewer's; only reviewers' decisions are shared with every device`);
      const caller = signedBy.get(req)!;
      const rows = REVIEWER_ROLES.includes(caller.role)
        ? await storage.listBatches({ deviceId: q.deviceId, afterSeq: q.afterSeq, limit: q.limit })
        : await storage.listDecisionBatchesFor({ deviceId: q.deviceId, afterSeq: q.afterSeq, limit: q.limit, authorId: caller.userId });
      return { batches: rows.map((b) => ({ deviceId: b.deviceId, seq: b.seq, envelope: b.envelope.toString('utf8') })) };
    },
    deviceListBundles: async () => {
      // Only the newest version of each bundle: a workstation never goes back a version.
      const latest = new Map<string, BundleListing>();
      for (const b of await storage.listBundles()) if ((latest.get(b.bundleId)?.version ?? 0) < b.version) latest.set(b.bundleId, b);
      return [...latest.values()];
    },
    deviceGetBundle: async (req, reply) => {
      const p = parseOr400(BundleParams, req.params, 'params', reply);
      if (!p) return reply;
      const bytes = await storage.getBundle(p.bundleId, p.version);
      if (!bytes) return sendError(reply, 404, 'not_found', `no bundle ${p.bundleId} version ${p.version} on this server`);
      return reply.type('application/octet-stream').send(bytes);
    },
  };

  for (const spec of ROUTES) {
    const handler = handlers[spec.id];
    if (!handler) throw new Error(`route ${spec.id} has no handler`);
    app.route({ method: spec.method, url: spec.url, handler: withAuth(spec, storage, handler, now) });
  }
  app.get('/v1/openapi.json', async () => openApiDocument(SERVER_VERSION));
  return app;
}

function withAuth(spec: RouteSpec, storage: SyncStorage, handler: Handler, now: () => Date): Handler {
  if (spec.auth === 'admin') {
    return async (req, reply) => {
      if (!(await isAdmin(storage, req.headers.authorization))) return sendError(reply, 401, 'unauthorized', 'this needs the admin token (Authorization: Bearer …)');
      return handler(req, reply);
    };
  }
  if (spec.auth === 'device') {
    return async (req, reply) => {
      const h = (name: string) => {
        const v = req.headers[name];
        return typeof v === 'string' ? v : '';
      };
      const device = await storage.findDevice(h(DEVICE_HEADER));
      if (!device || device.revokedAt) return sendError(reply, 401, 'unauthorized', 'this needs a request signed by an enrolled, unrevoked device');
      const why = verifyRequest(device.publicJwk, req.method, req.url, h(TIME_HEADER), h(SIGNATURE_HEADER), now());
      if (why) return sendError(reply, 401, 'unauthorized', why);
      signedBy.set(req, device);
      return handler(req, reply);
    };
  }
  return handler;
}
