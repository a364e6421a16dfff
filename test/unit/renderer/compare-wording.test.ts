import { describe, expect, it } from 'vitest';
import { strengthQuestion } from '../../../renderer/src/views/task/compare/PreferencePanel.tsx';
import { contextLine, defaultCollapsed } from '../../../renderer/src/views/task/common/contextLine.ts';

describe('the strength question says better than what', () => {
  it('two responses: the other one, so no need to say', () => {
    expect(strengthQuestion('B', 2)).toBe('How much better is Response B?');
    expect(strengthQuestion(null, 2)).toBe('How much better?');
  });
  it('three or more: than the next best', () => {
    expect(strengthQuestion('C', 4)).toBe('How much better is Response C than the next best?');
    expect(strengthQuestion(null, 3)).toBe('How much better is the best than the next best?');
  });
});

describe('the context as one line', () => {
  it('is the question asked, as plain text', () => {
    expect(
      contextLine([
        { role: 'system', content: 'You are a careful assistant.' },
        { role: 'user', content: '**Mrs Marlow** is 82,\n\nweight `44 kg`. See [BNF](https://bnf.nice.org.uk).' },
      ]),
    ).toBe('Mrs Marlow is 82, weight 44 kg. See BNF.');
  });
  it('falls back to the last message, and to nothing', () => {
    expect(contextLine([{ role: 'system', content: 'Only a system prompt' }])).toBe('Only a system prompt');
    expect(contextLine([])).toBe('');
  });
  it('starts collapsed on short screens and with four or more responses', () => {
    expect(defaultCollapsed(720, 2)).toBe(true);
    expect(defaultCollapsed(900, 2)).toBe(false);
    expect(defaultCollapsed(900, 4)).toBe(true);
  });
});
