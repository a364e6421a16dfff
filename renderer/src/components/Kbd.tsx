import { formatKeys, shortcut, type ShortcutId } from '../keyboard/registry.ts';

/** A key or key combination, styled like a keycap. */
export function Kbd({ keys }: { keys: string }) {
  const parts = formatKeys(keys).split(' then ');
  return (
    <span className="kbd-group">
      {parts.map((p, i) => (
        <span key={i}>
          {i > 0 ? <span className="kbd-then"> then </span> : null}
          <kbd className="kbd">{p}</kbd>
        </span>
      ))}
    </span>
  );
}

/** The first key of a registry shortcut. */
export function ShortcutKbd({ id }: { id: ShortcutId }) {
  const first = shortcut(id).keys[0];
  return first ? <Kbd keys={first} /> : null;
}
