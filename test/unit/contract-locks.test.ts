import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { api, METHODS } from '../../shared/contract/index.ts';

const shapeOf = (schema: z.ZodType): Record<string, unknown> => (schema instanceof z.ZodObject ? schema.shape : {});

describe('every contract method declares how it holds the core writer', () => {
  it('is one of writer, job, self', () => {
    for (const m of METHODS) expect(['writer', 'job', 'self'], m).toContain(api[m].lock);
  });

  it('a job takes an optional caller job id and names its job id in the response, so a caller follows its own progress', () => {
    const jobs = METHODS.filter((m) => api[m].lock === 'job');
    expect(jobs).toEqual(['reviews.importBatchFiles', 'reviews.pull', 'export.run', 'admin.deriveBundle', 'bundles.importFile', 'admin.buildBundle', 'sync.importBatchData']);
    for (const m of jobs) {
      expect(Object.keys(shapeOf(api[m].request)), m).toContain('jobId');
      expect(Object.keys(shapeOf(api[m].response)), m).toContain('jobId');
      expect(api[m].request.safeParse({ path: 'x', jobId: 'not-a-uuid' }).success, m).toBe(false);
    }
  });

  it('the calls that wait on the network, on files or on a key derivation run outside the queue, and the long reads take turns', () => {
    expect(METHODS.filter((m) => api[m].lock === 'self').sort()).toEqual(
      ['admin.publishBundle', 'admin.validateSource', 'app.unlock', 'insight.dashboard', 'insight.tasks', 'sync.enrol', 'sync.exportBatches', 'sync.importBatches', 'sync.pull', 'sync.pullReviews', 'sync.pullDecisions', 'sync.retryRefused'].sort(),
    );
  });
});
