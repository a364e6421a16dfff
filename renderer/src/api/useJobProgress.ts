import { useEffect, useState } from 'react';
import type { JobProgress } from '../../../shared/contract/index.ts';
import { client } from './client.ts';

/**
 * A fresh id for the `jobId` of a job's request (contract lock `job`): chosen before the call so
 * that its progress events can be told from any other job's from the first one on.
 */
export function newJobId(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40; // version 4
  b[8] = (b[8]! & 0x3f) | 0x80; // RFC 9562 variant
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The latest progress of the job with this id (null when none is followed or nothing came yet). */
export function useJobProgress(jobId: string | null): JobProgress | null {
  const [job, setJob] = useState<JobProgress | null>(null);
  useEffect(() => {
    if (!jobId) return;
    const off = client.subscribe((event) => {
      if (event.type === 'job.progress' && event.progress.jobId === jobId) setJob(event.progress);
    });
    return () => {
      off();
      setJob(null);
    };
  }, [jobId]);
  return jobId !== null && job?.jobId === jobId ? job : null;
}
