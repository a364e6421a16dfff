import { useEffect, useRef, useState } from 'react';
import { roleMayCall } from '../../../../shared/contract/index.ts';
import { useIdentity } from '../../state/identity.ts';
import { useRouter } from '../../state/router.ts';
import { useBundles } from '../../state/bundles.ts';
import { BringWorkIn } from './BringWorkIn.tsx';
import { DisagreementQueue } from './DisagreementQueue.tsx';
import { BulkAccept } from './BulkAccept.tsx';

/**
 * The reviewer's workspace: other annotators' work brought in (server or batch files), then the
 * tasks where they disagree, most disagreement first.
 */
export function ReviewView() {
  const identity = useIdentity((s) => s.identity);
  const reload = useRouter((s) => s.reload);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const bundles = useBundles((s) => s.list);
  const loadList = useBundles((s) => s.loadList);
  const [picked, setPicked] = useState('');
  const bundleId = picked || (bundles?.[0]?.id ?? '');

  useEffect(() => {
    if (!bundles) void loadList();
  }, [bundles, loadList]);
  const allowed = identity !== null && roleMayCall(identity.role, 'sync.importBatchData');

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  return (
    <main className="page page-wide" id="main" tabIndex={-1}>
      <div className="page-header">
        <div>
          <h1 className="page-title" ref={headingRef} tabIndex={-1}>
            Review
          </h1>
          <p className="muted">Bring in other annotators’ work, then settle where they disagree, with a recorded reason.</p>
        </div>
      </div>
      {!allowed ? (
        <div className="panel empty">
          <h2 className="section-title">For reviewers and admins</h2>
          <p className="muted">This workstation’s identity is an annotator. A reviewer’s decisions on your work appear on your own tasks.</p>
        </div>
      ) : (
        <>
          <BringWorkIn onArrived={reload} />
          <DisagreementQueue bundleId={bundleId} onBundle={setPicked} />
          {bundleId ? <BulkAccept bundleId={bundleId} /> : null}
        </>
      )}
    </main>
  );
}
