import type { BundleDetail, RemergeProposal, ReviewTaskView } from '../../../../shared/contract/index.ts';
import { fieldList } from './remergeFields.ts';

/**
 * What the re-merge proposal did to the stale decision, field by field: kept as decided, proposed
 * again (undecided before, filled from the work now held) and contested (new work disagrees with
 * what was decided; kept, for the reviewer to look at). Shown above the editor it seeds.
 */
export function RemergeNotice({ proposal, bundle, task, active }: { proposal: RemergeProposal; bundle: BundleDetail; task: ReviewTaskView['task']; active: boolean }) {
  return (
    <div className={`remerge${active ? ' is-on' : ''}`} role="group" aria-labelledby="remerge-title">
      <p className="remerge-title" id="remerge-title">
        <strong>Re-merge proposal</strong>
        {active ? <span className="chip chip-warn">Your draft starts here</span> : null}
      </p>
      <dl className="remerge-fields">
        <dt>Kept as decided</dt>
        <dd>{fieldList(proposal.kept, bundle, task)}</dd>
        <dt>Proposed again</dt>
        <dd>
          {proposal.filled.length === 0 ? 'nothing: every field was decided, or the work now held does not agree on an undecided one' : `${fieldList(proposal.filled, bundle, task)} (undecided before; most of the work now held agrees)`}
        </dd>
        {proposal.contested.length > 0 ? (
          <>
            <dt>New work disagrees on</dt>
            <dd>{fieldList(proposal.contested, bundle, task)} (kept as decided; change it below if the new work is right)</dd>
          </>
        ) : null}
      </dl>
    </div>
  );
}
