/**
 * LaTeX-style math made readable without a math engine: `$…$` and `$$…$$` become styled spans
 * whose TeX is rewritten to Unicode where that is unambiguous (Greek letters, common operators,
 * simple super/subscripts, \frac and \sqrt). Anything else stays as the TeX source, which is
 * still legible. A `$` followed by a space, or a closing `$` followed by a digit, is money.
 */
interface MdNode {
  type: string;
  value?: string;
  children?: MdNode[];
  data?: { hName?: string; hProperties?: Record<string, unknown> };
}

const SYMBOLS: Record<string, string> = {
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ε', varepsilon: 'ε', zeta: 'ζ', eta: 'η', theta: 'θ', kappa: 'κ', lambda: 'λ', mu: 'μ', nu: 'ν', xi: 'ξ', pi: 'π', rho: 'ρ', sigma: 'σ', tau: 'τ', phi: 'φ', varphi: 'φ', chi: 'χ', psi: 'ψ', omega: 'ω',
  Gamma: 'Γ', Delta: 'Δ', Theta: 'Θ', Lambda: 'Λ', Pi: 'Π', Sigma: 'Σ', Phi: 'Φ', Psi: 'Ψ', Omega: 'Ω',
  times: '×', cdot: '·', div: '÷', pm: '±', mp: '∓', leq: '≤', le: '≤', geq: '≥', ge: '≥', neq: '≠', ne: '≠', approx: '≈', sim: '∼', equiv: '≡', propto: '∝',
  infty: '∞', sum: '∑', prod: '∏', int: '∫', partial: '∂', nabla: '∇', to: '→', rightarrow: '→', leftarrow: '←', Rightarrow: '⇒', Leftrightarrow: '⇔', in: '∈', notin: '∉', subset: '⊂', cup: '∪', cap: '∩', forall: '∀', exists: '∃', ldots: '…', dots: '…', degree: '°', circ: '∘',
};
const SUP: Record<string, string> = { '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹', '+': '⁺', '-': '⁻', n: 'ⁿ', i: 'ⁱ' };
const SUB: Record<string, string> = { '0': '₀', '1': '₁', '2': '₂', '3': '₃', '4': '₄', '5': '₅', '6': '₆', '7': '₇', '8': '₈', '9': '₉', '+': '₊', '-': '₋' };

const script = (s: string, table: Record<string, string>, mark: string): string =>
  [...s].every((c) => table[c]) ? [...s].map((c) => table[c]).join('') : `${mark}(${s})`;

export function texToText(tex: string): string {
  let t = tex;
  for (let i = 0; i < 4; i++) {
    t = t.replace(/\\frac\{([^{}]*)\}\{([^{}]*)\}/g, (_m, a: string, b: string) => `(${a})/(${b})`).replace(/\\sqrt\{([^{}]*)\}/g, (_m, a: string) => `√(${a})`);
  }
  t = t
    .replace(/\\(?:mathrm|text|mathbf|mathit|operatorname)\{([^{}]*)\}/g, '$1')
    .replace(/\\([A-Za-z]+)/g, (m, name: string) => SYMBOLS[name] ?? m)
    .replace(/\^\{([^{}]*)\}|\^(\w)/g, (_m, a: string | undefined, b: string | undefined) => script(a ?? b ?? '', SUP, '^'))
    .replace(/_\{([^{}]*)\}|_(\w)/g, (_m, a: string | undefined, b: string | undefined) => script(a ?? b ?? '', SUB, '_'))
    .replace(/\\,|\\;|\\!|~/g, ' ');
  return t;
}

const MATH = /\$\$([^$]+?)\$\$|\$(?![\s$])([^$\n]*?[^\s$\\])\$(?!\d)/g;

function mathNode(tex: string, display: boolean): MdNode {
  return {
    type: 'casebookMath',
    data: { hName: 'span', hProperties: { className: [display ? 'md-math md-math-display' : 'md-math'], title: tex } },
    children: [{ type: 'text', value: texToText(tex.trim()) }],
  };
}

/** remark plugin: math spans in text nodes (never inside code, which has no text children). */
export function remarkReadableMath() {
  const walk = (node: MdNode): void => {
    if (!node.children) return;
    const next: MdNode[] = [];
    for (const child of node.children) {
      if (child.type !== 'text' || !child.value?.includes('$')) {
        walk(child);
        next.push(child);
        continue;
      }
      const value = child.value;
      let last = 0;
      for (const m of value.matchAll(MATH)) {
        if (m.index > last) next.push({ type: 'text', value: value.slice(last, m.index) });
        next.push(mathNode(m[1] ?? m[2] ?? '', m[1] !== undefined));
        last = m.index + m[0].length;
      }
      if (last === 0) next.push(child);
      else if (last < value.length) next.push({ type: 'text', value: value.slice(last) });
    }
    node.children = next;
  };
  return (tree: MdNode): void => walk(tree);
}
