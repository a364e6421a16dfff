import { describe, expect, it } from 'vitest';
import { isAppUrl } from '../../electron/main/origin.ts';

describe('navigation guard', () => {
  it('allows only our own app:// origin', () => {
    expect(isAppUrl('app://casebook/index.html')).toBe(true);
    expect(isAppUrl('app://casebook/#/b/x')).toBe(true);
  });
  it('refuses lookalikes that a prefix check would let through', () => {
    for (const url of [
      'app://casebook.evil.example/',
      'app://casebook@evil.example/',
      'app://casebookx/',
      'https://casebook/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'not a url',
    ]) {
      expect(isAppUrl(url), url).toBe(false);
    }
  });
});
