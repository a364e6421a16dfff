/** The submission rules as pure functions (no Node, no store): core, CLI and renderer share them. */
export * from './issues.ts';
export * from './escalation.ts';
export { scoreIssues } from './scores.ts';
export { compareIssues, rankingIssues, type CompareRuleInput } from './compare.ts';
export { exemplarIssues, isUnchanged } from './exemplar.ts';
export { stepOrderIssues, trajectoryIssues } from './trajectory.ts';
export { adjudicationIssues, answerIssues, submissionIssues, type RuleInput } from './submission.ts';
