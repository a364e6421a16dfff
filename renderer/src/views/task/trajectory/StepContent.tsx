import type { Step } from '../../../../../shared/domain/index.ts';
import { Markdown } from '../../../components/Markdown.tsx';

/** Longer than this, arguments and outputs start folded so the run stays scannable. */
const FOLD_LINES = 10;
const FOLD_CHARS = 900;

/** Tool results are often JSON in a string: indent them when they parse, else show as is. */
export function prettyMaybeJson(text: string): string {
  const t = text.trim();
  if (!(t.startsWith('{') || t.startsWith('['))) return text;
  try {
    return JSON.stringify(JSON.parse(t), null, 2);
  } catch {
    return text;
  }
}

/** The text shown for a step's body, and whether it is long enough to fold. */
export function bodyOf(step: Step): { text: string; lines: number; foldable: boolean } {
  const text = step.type === 'tool_call' ? JSON.stringify(step.arguments, null, 2) : step.type === 'tool_result' ? prettyMaybeJson(step.content) : step.content;
  let lines = 1;
  for (let i = 0; i < text.length; i += 1) if (text.charCodeAt(i) === 10) lines += 1;
  return { text, lines, foldable: lines > FOLD_LINES || text.length > FOLD_CHARS };
}

interface Props {
  step: Step;
  stepNo: number;
  unfolded: boolean;
  onFold: () => void;
}

/** A step's content: Markdown for messages, plain text for thoughts, indented JSON for tools. */
export function StepContent({ step, stepNo, unfolded, onFold }: Props) {
  const { text, lines, foldable } = bodyOf(step);
  const folded = foldable && !unfolded;
  const target = `step:${step.id}`;
  let body;
  if (step.type === 'message') body = <Markdown text={step.content} />;
  else if (step.type === 'thought') body = <p className="step-thought">{step.content}</p>;
  else {
    const what = step.type === 'tool_call' ? `Arguments of ${step.tool}, step ${stepNo}` : `Output${step.tool ? ` of ${step.tool}` : ''}, step ${stepNo}`;
    body = (
      <pre className="code-block step-code" tabIndex={folded ? -1 : 0} aria-label={what}>
        <code>{text}</code>
      </pre>
    );
  }
  return (
    <div className={`step-content${folded ? ' is-folded' : ''}`} data-span-target={target}>
      {body}
      {foldable ? (
        <button type="button" className="fold-button" aria-expanded={!folded} onClick={onFold}>
          {folded ? `Show all ${lines} lines` : 'Fold'} <kbd className="kbd">o</kbd>
        </button>
      ) : null}
    </div>
  );
}
