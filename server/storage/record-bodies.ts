/**
 * The accepted batch is the evidence; the records table only indexes it. Record bodies are
 * read back out of the stored envelope (verified when it was accepted) rather than stored a
 * second time, which halves what the server writes per batch.
 */
export function recordBodies(envelope: Buffer): string[] {
  const env = JSON.parse(envelope.toString('utf8')) as { payload: string };
  const batch = JSON.parse(Buffer.from(env.payload, 'base64').toString('utf8')) as { records: { record: unknown }[] };
  return batch.records.map((r) => JSON.stringify(r.record));
}

export interface ExportRow {
  cursor: number;
  kind: string;
  deviceId: string;
  seq: number;
  position: number;
  acceptedAt: string;
}

/** Attaches bodies to a page of record index rows, decoding each batch once. */
export async function withBodies(rows: ExportRow[], envelopeOf: (deviceId: string, seq: number) => Promise<Buffer>) {
  const cache = new Map<string, string[]>();
  const out = [];
  for (const r of rows) {
    const k = `${r.deviceId}\u0000${r.seq}`;
    let bodies = cache.get(k);
    if (!bodies) {
      bodies = recordBodies(await envelopeOf(r.deviceId, r.seq));
      cache.set(k, bodies);
    }
    const body = bodies[r.position];
    if (body === undefined) throw new Error(`record ${r.position} of batch ${r.seq} of ${r.deviceId} is missing from the stored batch`);
    out.push({ cursor: r.cursor, kind: r.kind, deviceId: r.deviceId, body, acceptedAt: r.acceptedAt });
  }
  return out;
}
