import { describe, expect, it } from 'vitest';
import { initials } from '../../../renderer/src/components/initials.ts';
import { count } from '../../../shared/text/plural.ts';

describe('avatar initials', () => {
  it('skip honorifics and use first and last names', () => {
    expect(initials('Dr. Amara Okafor')).toBe('AO');
    expect(initials('Dr Robin Vale')).toBe('RV');
    expect(initials('Prof. Sir John Smith')).toBe('JS');
    expect(initials('Mrs Ada Byron King')).toBe('AK');
    expect(initials('Ada')).toBe('A');
    expect(initials('Dr Ada Example')).toBe('AE');
  });

  it('cope with unusual names', () => {
    expect(initials('  zoë  ')).toBe('Z');
    expect(initials('Seán Ó Briain')).toBe('SB');
    expect(initials("Amara O'Neill (locum)")).toBe('AO');
    expect(initials('Dr.')).toBe('D');
    expect(initials('李 小龍')).toBe('李小');
    expect(initials('')).toBe('?');
  });
});

describe('counts agree with their nouns', () => {
  it('singular for one, plural otherwise', () => {
    expect(count(1, 'batch')).toBe('1 batch');
    expect(count(2, 'batch')).toBe('2 batches');
    expect(count(0, 'task')).toBe('0 tasks');
    expect(count(3, 'summary')).toBe('3 summaries');
    expect(count(1, 'device')).toBe('1 device');
    expect(count(2, 'record', 'records')).toBe('2 records');
  });
});
