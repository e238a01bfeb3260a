/**
 * The lineage graph's layout as a pure function: columns by generation (a blend after all of its
 * sources), rows ordered to keep children beside their parents, cells that never overlap, and edges
 * that start at a parent's right side and end at the child's left side.
 */
import { describe, expect, it } from 'vitest';
import { layoutLineage, type LayoutSize } from '../../src/shared/lineage-layout';

const SIZE: LayoutSize = { nodeWidth: 100, nodeHeight: 80, columnGap: 40, rowGap: 10, padding: 20 };

const edge = (parentId: string, childId: string) => ({ parentId, childId });

describe('layoutLineage', () => {
  it('puts each job one column right of its latest parent', () => {
    const layout = layoutLineage(
      ['root', 'a', 'b', 'a1', 'blend'],
      [edge('root', 'a'), edge('root', 'b'), edge('a', 'a1'), edge('a1', 'blend'), edge('b', 'blend')],
      SIZE,
    );
    const column = Object.fromEntries(layout.nodes.map((n) => [n.id, n.column]));
    expect(column).toEqual({ root: 0, a: 1, b: 1, a1: 2, blend: 3 });
    expect(layout.columns).toEqual([['root'], ['a', 'b'], ['a1'], ['blend']]);
    expect(layout.width).toBe(20 * 2 + 4 * 100 + 3 * 40);
    expect(layout.height).toBe(20 * 2 + 2 * 80 + 10);
  });

  it('orders a column by its parents, so edges between two families do not cross', () => {
    // Given in an order that would cross: x's child listed before w's child.
    const layout = layoutLineage(
      ['w', 'x', 'x-child', 'w-child'],
      [edge('w', 'w-child'), edge('x', 'x-child')],
      SIZE,
    );
    expect(layout.columns).toEqual([
      ['w', 'x'],
      ['w-child', 'x-child'],
    ]);
  });

  it('never overlaps two nodes, centres short columns, and draws edges side to side', () => {
    const ids = ['r', ...Array.from({ length: 30 }, (_, i) => `c${i}`), 'g'];
    const links = [...ids.slice(1, 31).map((c) => edge('r', c)), edge('c7', 'g'), edge('c20', 'g')];
    const layout = layoutLineage(ids, links, SIZE);
    for (const a of layout.nodes) {
      for (const b of layout.nodes) {
        if (a === b) continue;
        const apart = a.x + 100 <= b.x || b.x + 100 <= a.x || a.y + 80 <= b.y || b.y + 80 <= a.y;
        expect(apart, `${a.id} and ${b.id}`).toBe(true);
      }
    }
    const root = layout.nodes.find((n) => n.id === 'r')!;
    expect(root.y + 40).toBeCloseTo(layout.height / 2, 5);
    const path = layout.edges.find((e) => e.childId === 'g' && e.parentId === 'c7')!.d;
    const c7 = layout.nodes.find((n) => n.id === 'c7')!;
    const g = layout.nodes.find((n) => n.id === 'g')!;
    expect(path.startsWith(`M ${c7.x + 100} ${c7.y + 40} C`)).toBe(true);
    expect(path.endsWith(`${g.x} ${g.y + 40}`)).toBe(true);
  });

  it('keeps unknown ends, self-links and cycles from breaking the layout', () => {
    const layout = layoutLineage(
      ['a', 'b', 'c'],
      [edge('a', 'b'), edge('b', 'a'), edge('c', 'c'), edge('ghost', 'c')],
      SIZE,
    );
    expect(layout.nodes).toHaveLength(3);
    expect(layout.edges).toHaveLength(2);
    expect(layoutLineage([], [], SIZE)).toEqual({ nodes: [], edges: [], width: 0, height: 0, columns: [] });
  });
});
